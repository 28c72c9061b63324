import { describe, expect, it } from 'vitest';
import { checkSandboxJs } from '../../src/check/js.js';

function codes(code: string, kind: 'template' | 'test' = 'template', context?: 'WEB' | 'SERVER') {
  return checkSandboxJs(code, { kind, context }).map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`);
}

describe('checkSandboxJs', () => {
  it('accepts the sandbox subset: let/const, arrows, for…of, for…in, typeof, switch', () => {
    const code = [
      "const log = require('logToConsole');",
      'let n = 0;',
      'for (const x of [1, 2]) { n += x; }',
      'for (var k in data) { if (typeof data[k] === "string") n++; }',
      'switch (n) { case 1: break; default: log(n); }',
      'const f = (a) => a + 1;',
      'function g() { return arguments.length; }',
      'const h = (first) => arguments.length + first;',
      'data.gtmOnSuccess();',
    ].join('\n');
    expect(codes(code)).toEqual([]);
  });

  it('accepts NaN and Infinity, as Google’s test-API examples use them; not the global isNaN', () => {
    expect(codes('assertThat(NaN).isNaN();\nassertThat(-Infinity).isInfinity();', 'test')).toEqual([]);
    expect(codes('return data.x === Infinity || data.x !== NaN;')).toEqual([]);
    expect(codes('return isNaN(data.x);')).toEqual(['1:8 error js/undeclared-variable']);
  });

  it('reports each forbidden construct with its code at its position, relative to the code', () => {
    expect(codes('\nconst d = new Date();')).toEqual([
      '2:11 error js/no-new',
      '2:15 error js/undeclared-variable',
    ]);
    expect(codes('const a = /x/;')).toEqual(['1:11 error js/no-regex-literal']);
    expect(codes('const a = `x`;')).toEqual(['1:11 error js/no-template-literal']);
    expect(codes('try { data.x(); } catch (e) {}')).toEqual(['1:1 error js/no-try']);
    expect(codes('throw 1;')).toEqual(['1:1 error js/no-throw']);
    expect(codes('const f = function () { return this; };')).toEqual(['1:32 error js/no-this']);
    expect(codes('class A {}')).toEqual(['1:1 error js/no-class']);
    expect(codes('const a = [...data.x];')).toEqual(['1:12 error js/no-spread']);
    expect(codes('const { a } = data;')).toEqual(['1:7 error js/no-destructuring']);
    expect(codes('function f(a = 1) { return a; }')).toEqual(['1:12 error js/no-default-param']);
    expect(codes('const o = { get a() { return 1; } };')).toEqual(['1:13 error js/no-accessor']);
    expect(codes('function* g() {}')).toEqual(['1:1 error js/no-generator']);
    expect(codes('const f = async () => 1;')).toEqual(['1:11 error js/no-async']);
    expect(codes('const a = data.x ?? 1;')).toEqual(['1:11 error js/unsupported-syntax']);
    expect(codes('const a = data.x?.y;')).toEqual(['1:11 error js/unsupported-syntax']);
  });

  it('looks inside object literal values, methods and class members', () => {
    expect(codes('const o = { a: new Date() };')).toEqual([
      '1:16 error js/no-new',
      '1:20 error js/undeclared-variable',
    ]);
    expect(codes('const o = { f() { return this; } };')).toEqual(['1:26 error js/no-this']);
    expect(codes('const o = { a: /x/ };')).toEqual(['1:16 error js/no-regex-literal']);
  });

  it('accepts an arrow as the right operand of an operator, as GTM does; not an arrow before one', () => {
    expect(codes('const f = data.f || () => 1;')).toEqual([]);
    expect(codes('const f = data.f && (a, b) => a + b;')).toEqual([]);
    expect(codes('const f = () => {} || data.f;')).toEqual(['1:20 error js/syntax']);
  });

  it('reports a syntax error with its position', () => {
    const [d] = checkSandboxJs('const a = ;\n', { kind: 'template' });
    expect(d).toMatchObject({ code: 'js/syntax', severity: 'error', line: 1, column: 11 });
  });

  it('uses GTM’s exact message for undeclared variables, once per name', () => {
    const ds = checkSandboxJs('Math.floor(1);\nMath.ceil(2);', { kind: 'template' });
    expect(ds).toHaveLength(1);
    expect(ds[0]!.text).toBe('Attempting to use undeclared variable Math in function template.');
  });

  it('warns on native methods outside the whitelist, not on API objects, user functions or hasOwnProperty', () => {
    const code = [
      "const Obj = require('Object');",
      'Obj.keys(data);',
      "'abc'.startsWith('a');",
      'data.items.propertyIsEnumerable("x");',
      'data.gtmOnSuccess();',
      'data.items.hasOwnProperty("x");',
      "'abc'.indexOf('a');",
    ].join('\n');
    expect(codes(code)).toEqual([
      '3:7 warning js/non-whitelisted-method',
      '4:12 warning js/non-whitelisted-method',
    ]);
  });

  it('warns on methods of functions and numbers, which GTM does not have (only toString)', () => {
    const code = [
      "const log = require('logToConsole');",
      'const f = function (a) { return a; };',
      'log.apply(null, [1]);',
      'f.call(null, 2);',
      'const g = f.bind(null);',
      'const n = (1.25).toFixed(1);',
      'const t = f.toString() + (3).toString() + true.toString();',
      'const own = { call: function () { return 1; } };',
    ].join('\n');
    expect(codes(code)).toEqual([
      '3:5 warning js/non-whitelisted-method',
      '4:3 warning js/non-whitelisted-method',
      '5:13 warning js/non-whitelisted-method',
      '6:18 warning js/non-whitelisted-method',
    ]);
  });

  it('warns on a method an API object does not have, not on its own methods or on objects generally', () => {
    const code = [
      "const storage = require('localStorage');",
      "const JSON = require('JSON');",
      "storage.get('k');",
      "storage.getItem('k');",
      "JSON.parse('1');",
      "require('templateStorage').set('k', 1);",
      "require('templateStorage').setItem('k', 1);",
      "storage.hasOwnProperty('getItem');",
      "const log = require('logToConsole');",
      'data.items.get(1);',
    ].join('\n');
    expect(codes(code)).toEqual(['3:9 warning js/unknown-api-member', '6:28 warning js/unknown-api-member']);
    const [d] = checkSandboxJs("const M = require('Math'); M.random();", { kind: 'template' });
    expect(d!.text).toBe('Math.random() is not a method of the Math API; the call fails when it runs.');
    expect(d!.notes).toEqual(['The Math API has: abs ceil floor max min pow round sqrt.']);
  });

  it('allows the test API in test code, and the setup’s names when given', () => {
    expect(
      codes("mock('getUrl', 1); runCode(mockData); assertApi('gtmOnSuccess').wasCalled();", 'test'),
    ).toEqual(['1:28 error js/undeclared-variable']);
    expect(
      checkSandboxJs('runCode(mockData);', { kind: 'test', globals: ['mockData'] }).map((d) => d.code),
    ).toEqual([]);
    expect(codes('runCode({});')).toEqual(['1:1 error js/undeclared-variable']);
  });

  it('warns when test code mocks a name that require() does not accept', () => {
    const code = [
      "mock('getUrl', 'https://example.com');",
      "mockObject('localStorage', { getItem: () => null });",
      "mock('localStorage.getItem', () => 'stored');",
      "mock('getCookie', []);",
      'mock(apiName, 1);',
    ].join('\n');
    const found = checkSandboxJs(code, { kind: 'test', globals: ['apiName'] });
    expect(found.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual([
      '3:6 warning tests/mock-unknown-api',
      '4:6 warning tests/mock-unknown-api',
    ]);
    expect(found[0]!.text).toBe(
      "mock('localStorage.getItem', …): 'localStorage.getItem' is not a name require() accepts, so this mock replaces nothing; the code under test calls the real API.",
    );
    expect(found[0]!.notes).toEqual([
      "To replace one method of localStorage, mock the object: mockObject('localStorage', { getItem: … }).",
    ]);
    expect(found[1]!.notes![0]).toContain('as passed to require()');
    // Template code has no mock(): a function of its own with that name is not checked.
    expect(checkSandboxJs("function mock(n) { return n; } mock('getCookie');", { kind: 'template' })).toEqual(
      [],
    );
  });

  it('warns about an assertion the test API does not have, in chains too', () => {
    const code = [
      "assertThat('abc').excludes('d');",
      "assertThat('abc').contains('a').hasLength(3).matches('x');",
      "assertApi('sendHttpRequest').wasCalledTimes(1);",
      "assertThat('abc').contains('a').hasLength(3);",
      "assertApi('sendHttpRequest').wasCalledWith('u');",
      'assertThat(1).toString();',
      "assertApi('setInWindow').wasCalled().wasCalledWith('a').wasCalledTimes(2);",
    ].join('\n');
    const found = checkSandboxJs(code, { kind: 'test' });
    expect(found.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual([
      '1:19 warning tests/unknown-assertion',
      '2:46 warning tests/unknown-assertion',
      '3:30 warning tests/unknown-assertion',
      '7:57 warning tests/unknown-assertion',
    ]);
    expect(found[0]!.text).toBe(
      "assertThat(…).excludes() is not an assertion of GTM's test API; the call fails when the scenario runs.",
    );
    expect(found[0]!.notes![0]).toContain('doesNotContain');
    expect(found[2]!.notes).toEqual([
      'assertApi(…) has: wasCalled wasNotCalled wasCalledWith wasNotCalledWith.',
    ]);
    // Template code has no assertThat(): a function of its own with that name is not checked.
    expect(
      checkSandboxJs('function assertThat(x) { return x; } assertThat({ a: 1 }).a.toString();', {
        kind: 'template',
      }),
    ).toEqual([]);
  });

  it('tells test code that reads `data` where the template’s data is, not to require() it', () => {
    const [d] = checkSandboxJs('runCode(mockData);\nassertThat(data.x).isEqualTo(1);', {
      kind: 'test',
      globals: ['mockData'],
    });
    expect(d).toMatchObject({ code: 'js/undeclared-variable', severity: 'error', line: 2, column: 12 });
    expect(d!.notes).toEqual([expect.stringContaining('Test code has no `data`')]);
    expect(d!.notes![0]).toContain('runCode(mockData)');
    // Template code and other names keep the general advice.
    const [other] = checkSandboxJs('assertThat(window).isDefined();', { kind: 'test' });
    expect(other!.notes).toEqual([expect.stringContaining('obtain it with require()')]);
  });

  it('says how to require a name that is an API of the container, and only then', () => {
    const note = (code: string, kind: 'template' | 'test', context: 'WEB' | 'SERVER') =>
      checkSandboxJs(code, { kind, context })[0]!.notes![0];
    expect(note('assertThat(JSON.stringify(1)).isEqualTo("1");', 'test', 'WEB')).toBe(
      "JSON is a sandbox API, obtained with require(): add `const JSON = require('JSON');` before its first use (in the setup, every scenario sees it).",
    );
    expect(note('const n = Math.floor(data.x);', 'template', 'SERVER')).toBe(
      "Math is a sandbox API, obtained with require(): add `const Math = require('Math');` before its first use.",
    );
    // Promise is a server API: web code that names it gets the general advice.
    expect(note('Promise.all([]);', 'template', 'WEB')).toContain('obtain it with require()');
    expect(note('Promise.all([]);', 'template', 'SERVER')).toContain("`const Promise = require('Promise');`");
  });

  it('checks APIs against the container context', () => {
    expect(codes("const g = require('getEventData');", 'template', 'WEB')).toEqual([
      '1:19 error js/api-wrong-context',
    ]);
    expect(codes("const g = require('getEventData');", 'template', 'SERVER')).toEqual([]);
    expect(codes("const g = require('nope');")).toEqual(['1:19 warning js/unknown-api']);
  });
});

describe('check() on a template built in memory', () => {
  it('reports missing parts at line 1 and code findings at their line in the code', async () => {
    const { check } = await import('../../src/check/index.js');
    const { emptyTemplate } = await import('../../src/tpl/model.js');
    const t = emptyTemplate('WEB');
    expect(check(t).map((d) => `${d.line} ${d.code} ${d.section}`)).toEqual([
      '1 structure/missing-section ___INFO___',
      '1 structure/missing-section ___TEMPLATE_PARAMETERS___',
      '1 structure/missing-section ___SANDBOXED_JS_FOR_WEB_TEMPLATE___',
    ]);
    t.info = { type: 'MACRO', displayName: 'x', containerContexts: ['WEB'] };
    t.parameters = [];
    t.code = 'const a = 1;\nreturn new A();';
    expect(check(t).map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual([
      '2:8 js/no-new',
      '2:12 js/undeclared-variable',
    ]);
  });
});

describe('reads of data fields the form does not define', () => {
  it('warns once per unknown field, ignoring GTM’s keys, written fields and a rebound data', async () => {
    const { checkSource } = await import('../../src/check/index.js');
    const { WEB_VARIABLE } = await import('./fixtures.js');
    const withCode = (code: string) =>
      WEB_VARIABLE.replace(
        /___SANDBOXED_JS_FOR_WEB_TEMPLATE___\n\n[\s\S]*$/,
        `___SANDBOXED_JS_FOR_WEB_TEMPLATE___\n\n${code}\n`,
      );
    const found = (code: string) =>
      checkSource(withCode(code))
        .filter((d) => d.code === 'js/unknown-data-field')
        .map((d) => d.text.split(' ')[0]);
    expect(found('return data.value + data.valeu + data.valeu + data.gtmEventId;')).toEqual(['data.valeu']);
    expect(found('data.scratch = 1;\nreturn data.scratch;')).toEqual([]);
    expect(found('const f = (data) => data.other;\nreturn f(data);')).toEqual([]);
  });
  it('warns where a web variable uses a tag’s outcome callbacks, which GTM gives only tags', async () => {
    const { checkSource } = await import('../../src/check/index.js');
    const { WEB_VARIABLE, WEB_TAG, SERVER_VARIABLE } = await import('./fixtures.js');
    const withCode = (tpl: string, code: string) =>
      tpl.replace(
        /(___SANDBOXED_JS_FOR_(?:WEB_TEMPLATE|SERVER)___\n\n)[\s\S]*?(\n\n___|$)/,
        (_m, head, tail) => `${head}${code}${tail}`,
      );
    const found = (tpl: string, code: string) =>
      checkSource(withCode(tpl, code))
        .filter((d) => d.code === 'js/variable-outcome-callback' || d.code === 'js/unknown-data-field')
        .map((d) => `${d.severity} ${d.code} ${d.text.split(' ')[0]}`);
    const code = 'if (!data.value) return data.gtmOnFailure();\ndata.gtmOnSuccess();\nreturn data.value;';
    expect(found(WEB_VARIABLE, code)).toEqual([
      'warning js/variable-outcome-callback data.gtmOnFailure',
      'warning js/variable-outcome-callback data.gtmOnSuccess',
    ]);
    // A tag has them; a variable that sets them itself, or a server variable, is not reported.
    expect(found(WEB_TAG, code).filter((f) => f.includes('outcome'))).toEqual([]);
    expect(found(WEB_VARIABLE, 'data.gtmOnFailure = function() {};\n' + code)).toEqual([
      'warning js/variable-outcome-callback data.gtmOnSuccess',
    ]);
    expect(found(SERVER_VARIABLE, code).filter((f) => f.includes('outcome'))).toEqual([]);
  });
});
