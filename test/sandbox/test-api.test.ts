// GTM's test API and runTests semantics.
import { describe, expect, test } from 'vitest';
import { runTests } from '../../src/sandbox/index.js';
import { deepEqual, describe as describeValue, DESCRIBE_LIMIT } from '../../src/sandbox/test-api.js';
import { LOG_ALL, perm, template } from './helpers.js';

const INJECT = `require('injectScript')('https://a.test/x.js', data.gtmOnSuccess, data.gtmOnFailure);`;
const statusOf = (
  code: string,
  scenario: string,
  opts = {},
  permissions = [perm('inject_script', { urls: ['https://a.test/*'] })],
) => runTests(template(code, permissions, { scenarios: [{ name: 's', code: scenario }] }), opts)[0]!;

describe('assertThat', () => {
  const cases: [string, boolean][] = [
    ['assertThat(undefined).isUndefined()', true],
    ['assertThat(0).isDefined()', true],
    ['assertThat(null).isNull()', true],
    ['assertThat(undefined).isNotNull()', true],
    ['assertThat(true).isTrue()', true],
    ['assertThat(1).isTrue()', false],
    ['assertThat(false).isFalse()', true],
    ['assertThat("x").isTruthy()', true],
    ['assertThat("").isFalsy()', true],
    ['assertThat(0/0).isNaN()', true],
    ['assertThat(1).isNotNaN()', true],
    ['assertThat(-1/0).isInfinity()', true],
    ['assertThat(0).isNotInfinity()', true],
    ['assertThat({a: [1, {b: 2}]}).isEqualTo({a: [1, {b: 2}]})', true],
    ['assertThat({a: 1}).isEqualTo({a: 1, b: 2})', false],
    ['assertThat({a: 1, u: undefined}).isEqualTo({a: 1})', true],
    ['assertThat([1]).isNotEqualTo([2])', true],
    ['assertThat(5).isAnyOf(1, 5)', true],
    ['assertThat(5).isNoneOf(1, 2)', true],
    ['assertThat("4").isStrictlyEqualTo(4)', false],
    ['assertThat("4").isNotStrictlyEqualTo(4)', true],
    ['assertThat(10).isGreaterThan(5)', true],
    ['assertThat(5).isGreaterThanOrEqualTo(5)', true],
    ['assertThat(5).isLessThan(5)', false],
    ['assertThat(5).isLessThanOrEqualTo(5)', true],
    ['assertThat(["a", "b", "c"]).contains("a", "c")', true],
    ['assertThat([{x: 1}]).contains({x: 1})', true],
    ['assertThat("hello world").contains("lo w")', true],
    ['assertThat([1, 2]).doesNotContain(3, 4)', true],
    ['assertThat([1, 2]).doesNotContain(2)', false],
    ['assertThat([1, 2, 3]).containsExactly(3, 2, 1)', true],
    ['assertThat([1, 2, 3]).containsExactly(1, 2)', false],
    ['assertThat(["4", "5"]).doesNotContainExactly("4")', true],
    ['assertThat("hello").hasLength(5)', true],
    ['assertThat(5).hasLength(1)', false],
    ['assertThat([]).isEmpty()', true],
    ['assertThat("a").isNotEmpty()', true],
    ['assertThat([]).isArray()', true],
    ['assertThat({}).isArray()', false],
    ['assertThat(false).isBoolean()', true],
    ['assertThat(() => 1).isFunction()', true],
    ['assertThat(3.1).isNumber()', true],
    ['assertThat({}).isObject()', true],
    ['assertThat([]).isObject()', false],
    ['assertThat("s").isString()', true],
  ];
  test.each(cases)('%s → %s', (code, passes) => {
    expect(statusOf('', code).status).toBe(passes ? 'pass' : 'fail');
  });

  test('subjects chain, as in Truth', () => {
    const text = "'https://example.com/?q=a&x=1'";
    expect(statusOf('', `assertThat(${text}).contains('q=a').hasLength(28).isString();`).status).toBe('pass');
    const broken = statusOf('', `assertThat(${text}).contains('q=a').hasLength(3);`);
    expect(broken).toMatchObject({ status: 'fail', message: expect.stringMatching(/to have length 3/) });
    expect(statusOf('', `assertThat([1, 2]).contains(2).isNotEmpty().isArray();`).status).toBe('pass');
  });

  test('assertApi subjects chain too (the reference calls both subjects fluent)', () => {
    const template =
      "const inject = require('injectScript'); inject('https://a.test/1.js'); inject('https://a.test/2.js');";
    const chained =
      "runCode({}); assertApi('injectScript').wasCalled().wasCalledWith('https://a.test/1.js').wasCalledWith('https://a.test/2.js').wasNotCalledWith('https://a.test/3.js');";
    expect(statusOf(template, chained).status).toBe('pass');
    const broken = statusOf(
      template,
      "runCode({}); assertApi('injectScript').wasCalledWith('https://a.test/1.js').wasCalledWith('https://a.test/3.js');",
    );
    expect(broken).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/to have been called with/),
    });
    expect(statusOf(template, "runCode({}); assertApi('sendPixel').wasNotCalled().wasCalled();").status).toBe(
      'fail',
    );
  });

  test("assertApi on an object API counts its methods' calls, and only names that match up to a dot", () => {
    const template = "const JSON = require('JSON'); JSON.stringify({a: 1}); JSON.stringify([2]);";
    const pass = (scenario: string) => statusOf(template, `runCode({}); ${scenario}`).status;
    expect(pass("assertApi('JSON').wasCalled().wasCalledWith([2]);")).toBe('pass');
    expect(pass("assertApi('JSON.stringify').wasCalledWith({a: 1});")).toBe('pass');
    expect(pass("assertApi('JSON.parse').wasNotCalled();")).toBe('pass');
    // A name that only starts the same is another API.
    expect(pass("assertApi('JSO').wasNotCalled(); assertApi('JSON.str').wasNotCalled();")).toBe('pass');
    expect(pass("assertApi('JSO').wasCalled();")).toBe('fail');
  });

  test('a failed assertion says what was expected, with the optional message', () => {
    const r = statusOf('', `assertThat(1, 'the count').isEqualTo(2);`);
    expect(r.message).toBe('the count: expected 1 to equal 2');
  });

  test('a failure message shows at most DESCRIBE_LIMIT characters of a value, and says so', () => {
    const big = statusOf(
      '',
      `const a = []; for (let i = 0; i < 200000; i++) a.push(i); assertThat(a).isEqualTo(1);`,
    );
    expect(big.status).toBe('fail');
    expect(big.message).toMatch(/^expected \[0, 1, 2, .*… \(the first 2000 characters shown\) to equal 1$/);
    expect(big.message!.length).toBeLessThan(DESCRIBE_LIMIT + 100);
    expect(describeValue('x'.repeat(3000))).toBe(`"${'x'.repeat(1999)}… (2000 of 3002 characters shown)`);
    // A value that fits is shown whole.
    const fits = 'y'.repeat(DESCRIBE_LIMIT - 2);
    expect(describeValue(fits)).toBe(`"${fits}"`);
  });

  test('a failed wasCalledWith lists the first 20 calls and counts the rest', () => {
    const code = `const log = require('logToConsole'); for (let i = 0; i < 25; i++) log(i);`;
    const r = statusOf(code, `runCode({}); assertApi('logToConsole').wasCalledWith(99);`, {}, [LOG_ALL]);
    expect(r.message).toBe(
      `Expected API logToConsole to have been called with [99]; calls: ${Array.from({ length: 20 }, (_, i) => `[${i}]`).join('; ')}; and 5 more call(s)`,
    );
  });

  test('deepEqual treats arguments objects as arrays', () => {
    const args = (function (..._a: unknown[]) {
      // eslint-disable-next-line prefer-rest-params
      return arguments;
    })(1, 2);
    expect(deepEqual(args, [1, 2])).toBe(true);
  });
});

describe('runCode, assertApi, mock', () => {
  test('an error the template code throws names its line, and the file line when read from a file', async () => {
    const { parse } = await import('../../src/tpl/index.js');
    const code =
      "const x = undefined;\nconst f = (o) => o.then;\nif (data.deep) f(x);\nrequire('injectScript')('https://b.test/x.js');\ndata.gtmOnSuccess();";
    const scenarios = [
      { name: 'in a function', code: 'runCode({deep: true});' },
      { name: 'in an API', code: 'runCode({});' },
      { name: 'in test code', code: 'const y = undefined; y.z;' },
    ];
    const inMemory = runTests(
      template(code, [perm('inject_script', { urls: ['https://a.test/*'] })], { scenarios }),
    );
    expect(inMemory.map((r) => [r.status, r.message?.replace(/^.*(\(template code.*\))$/, '$1')])).toEqual([
      ['error', '(template code line 2)'],
      ['error', '(template code line 4)'],
      ['error', "TypeError: Cannot read properties of undefined (reading 'z')"],
    ]);
    expect(inMemory[1]!.code).toBe('sandbox/permission-denied');
    // From a file: the code section starts at line 11 here.
    const text = `___INFO___\n\n{"type": "TAG", "id": "x", "version": 1, "displayName": "x", "containerContexts": ["WEB"]}\n\n___TEMPLATE_PARAMETERS___\n\n[]\n\n___SANDBOXED_JS_FOR_WEB_TEMPLATE___\n\n${code}\n\n___TESTS___\n\nscenarios:\n- name: s\n  code: |-\n    runCode({deep: true});\n`;
    expect(runTests(parse(text))[0]!.message).toMatch(/\(template code line 2, line 12 of the file\)$/);
  });

  test('runCode returns the variable value; setup shares the scenario scope', () => {
    const t = template(
      'return data.text1.toUpperCase();',
      [],
      {
        setup: "const input = {text1: 'this is a test'};",
        scenarios: [{ name: 'upper', code: "assertThat(runCode(input)).isEqualTo('THIS IS A TEST');" }],
      },
      'MACRO',
    );
    expect(runTests(t)[0]!.status).toBe('pass');
  });

  test('assertApi covers gtmOnSuccess/gtmOnFailure and wasCalledWith/wasNotCalledWith', () => {
    const scenario = `mock('injectScript', function (url, ok) { ok(); });
      runCode({});
      assertApi('gtmOnSuccess').wasCalled();
      assertApi('gtmOnFailure').wasNotCalled();
      assertApi('injectScript').wasCalledWith('https://a.test/x.js', undefined, undefined);`;
    // The template's callbacks are different functions, so wasCalledWith with undefined fails.
    expect(statusOf(INJECT, scenario).status).toBe('fail');
    const ok = `mock('injectScript', function (url, ok) { ok(); }); runCode({});
      assertApi('gtmOnSuccess').wasCalled(); assertApi('injectScript').wasNotCalledWith('https://b.test/');`;
    expect(statusOf(INJECT, ok).status).toBe('pass');
  });

  test('mocked APIs skip permission checks unless --strict-permissions', () => {
    const scenario = `mock('injectScript', function (url, ok) { ok(); }); runCode({}); assertApi('gtmOnSuccess').wasCalled();`;
    expect(statusOf(INJECT, scenario, {}, []).status).toBe('pass');
    const strict = statusOf(INJECT, scenario, { strictPermissions: true }, []);
    expect(strict.status).toBe('error');
    expect(strict.message).toMatch(/inject_script/);
  });

  test('a mocked API skips the argument check, which is part of the real API', () => {
    const code = `return require('generateRandom')(data.n, 9);`;
    const mocked = `mock('generateRandom', function (a) { return 'm' + a; }); assertThat(runCode({n: '5'})).isEqualTo('m5');`;
    expect(
      runTests(template(code, [], { scenarios: [{ name: 's', code: mocked }] }, 'MACRO'))[0]!.status,
    ).toBe('pass');
    const real = `runCode({n: '5'});`;
    const r = runTests(template(code, [], { scenarios: [{ name: 's', code: real }] }, 'MACRO'))[0]!;
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/Argument min has type string/);
  });

  test('a mocked getUrl skips its argument check too', () => {
    const code = `return require('getUrl')(data.part);`;
    const mocked = `mock('getUrl', function (p) { return 'u' + p; }); assertThat(runCode({part: 3})).isEqualTo('u3');`;
    const real = `runCode({part: 3});`;
    const status = (scenario: string) =>
      runTests(template(code, [], { scenarios: [{ name: 's', code: scenario }] }, 'MACRO'))[0]!;
    expect(status(mocked).status).toBe('pass');
    expect(status(real).message).toMatch(/Error in getUrl\. Argument component has type number/);
  });

  test('un-mocked APIs are checked, and their callbacks do not run before the assertions', () => {
    const r = statusOf(
      INJECT,
      `runCode({}); assertApi('injectScript').wasCalled(); assertApi('gtmOnSuccess').wasNotCalled();`,
    );
    expect(r.status).toBe('pass');
    expect(statusOf(INJECT, 'runCode({});', {}, []).status).toBe('error');
  });

  test('a scenario that fails with work still queued names it, by the API that queued it', () => {
    // The load and the sha256 digest call back after the test code, as in GTM's Tests tab.
    const code = `${INJECT}
      require('sha256')('x', function () { data.gtmOnSuccess(); });
      require('callLater')(function () {});`;
    const failed = statusOf(code, "runCode({}); assertApi('gtmOnSuccess').wasCalled();");
    expect(failed.status).toBe('fail');
    expect(failed.message).toMatch(
      /^Expected API gtmOnSuccess to have been called, but it was not\. \(still queued when the test code ended: 1 sha256 callback, 1 callLater callback, 1 injectScript load; in GTM's Tests tab they run only after the test code/,
    );
    // Nothing queued, or the scenario passed: no note.
    const bare = statusOf(
      "require('logToConsole')('x');",
      "runCode({}); assertApi('gtmOnSuccess').wasCalled();",
      {},
      [LOG_ALL],
    );
    expect(bare.message).toBe('Expected API gtmOnSuccess to have been called, but it was not.');
    expect(statusOf(code, "runCode({}); assertApi('injectScript').wasCalled();").message).toBeUndefined();
    // With the API mocked to call back at once, nothing is left queued and the scenario passes.
    const mocked = statusOf(
      code,
      "mock('sha256', function (input, ok) { ok('d'); }); runCode({}); assertApi('gtmOnSuccess').wasCalled();",
    );
    expect(mocked.status).toBe('pass');
  });

  test('mock with a value, mockObject for object APIs', () => {
    const code = `return [require('getUrl')(), require('localStorage').getItem('k'), require('JSON').stringify(1)];`;
    const scenario = `mock('getUrl', 'https://mocked.test/'); mockObject('localStorage', {getItem: function (k) { return 'v:' + k; }});
      assertThat(runCode({})).isEqualTo(['https://mocked.test/', 'v:k', '1']);`;
    expect(
      runTests(template(code, [], { scenarios: [{ name: 's', code: scenario }] }, 'MACRO'))[0]!.status,
    ).toBe('pass');
  });

  test('a mock names an API as require() does: a dotted method name replaces nothing', () => {
    const code = `return require('JSON').stringify(1);`;
    const run = (scenario: string) =>
      runTests(template(code, [], { scenarios: [{ name: 's', code: scenario }] }, 'MACRO'))[0]!.status;
    expect(run(`mock('JSON.stringify', () => 'mocked'); assertThat(runCode({})).isEqualTo('1');`)).toBe(
      'pass',
    );
    expect(
      run(`mockObject('JSON', {stringify: () => 'mocked'}); assertThat(runCode({})).isEqualTo('mocked');`),
    ).toBe('pass');
  });

  test('a scenario that fails says which of its mocks named no API', () => {
    // As jobcaseinc's tag, whose scenario mocks 'getCookie' while its code requires getCookieValues.
    const code = `return require('makeString')(0);`;
    const run = (scenario: string) =>
      runTests(template(code, [], { scenarios: [{ name: 's', code: scenario }] }, 'MACRO'))[0]!;
    const failed = run(`mock('makeStr', () => '1'); assertThat(runCode({})).isEqualTo('1');`);
    expect(failed.status).toBe('fail');
    expect(failed.message).toContain(`expected "0" to equal "1" (mocked 'makeStr': no API has that name`);
    // A dotted method name gets mockObject's form.
    expect(run(`mock('localStorage.getItem', 'x'); fail('stop');`).message).toContain(
      "mockObject('localStorage', { getItem: … })",
    );
    // A passing scenario, and a name the code did require (an API this runtime does not know), get no note.
    expect(run(`mock('makeStr', '1'); assertThat(runCode({})).isEqualTo('0');`)).toMatchObject({
      status: 'pass',
    });
    const required = runTests(
      template(
        `return require('custom')();`,
        [],
        {
          scenarios: [{ name: 's', code: `mock('custom', () => 1); assertThat(runCode({})).isEqualTo(2);` }],
        },
        'MACRO',
      ),
    )[0]!;
    expect(required.status).toBe('fail');
    expect(required.message).not.toContain('no API has');
  });

  test('require in test code binds at require time, so a mock may call the real API', () => {
    const scenario = `const realLog = require('logToConsole'); const seen = [];
      mock('logToConsole', function () { seen.push(arguments[0]); realLog(arguments); });
      runCode({}); assertThat(seen).isEqualTo(['hi']);`;
    expect(
      statusOf(`require('logToConsole')('hi');`, scenario, {}, [perm('logging', { environments: 'debug' })])
        .status,
    ).toBe('pass');
  });

  test("what a run required keeps answering that run's calls after a later mock", () => {
    const scenario = `mock('getUrl', 'first'); const before = runCode({}); mock('getUrl', 'second');
      assertThat(before()).isEqualTo('first'); assertThat(runCode({})()).isEqualTo('second');`;
    const r = runTests(
      template(`return require('getUrl');`, [], { scenarios: [{ name: 's', code: scenario }] }, 'MACRO'),
    );
    expect(r[0]).toMatchObject({ status: 'pass' });
  });

  test('fail() fails the scenario; other exceptions are errors', () => {
    expect(statusOf('', "fail('nope')")).toMatchObject({ status: 'fail', message: 'nope' });
    expect(statusOf('', 'undefinedThing.x;').status).toBe('error');
  });

  test('--once fails a run that did not call exactly one of gtmOnSuccess/gtmOnFailure exactly once', () => {
    const t = (code: string) => template(code, [], { scenarios: [{ name: 's', code: 'runCode({});' }] });
    expect(runTests(t('data.gtmOnSuccess();'), { once: true })[0]!.status).toBe('pass');
    expect(runTests(t(''), { once: true })[0]!.status).toBe('fail');
    expect(runTests(t('data.gtmOnSuccess(); data.gtmOnSuccess();'), { once: true })[0]!.status).toBe('fail');
    expect(runTests(t(''), {})[0]!.status).toBe('pass');
  });

  test('--once counts a tag that completes later, from a script callback, once the scenario ends', () => {
    // Without --once the callbacks have not run when the scenario's own assertions run.
    expect(statusOf(INJECT, "runCode({}); assertApi('gtmOnSuccess').wasNotCalled();").status).toBe('pass');
    expect(statusOf(INJECT, 'runCode({});', { once: true }).status).toBe('pass');
    // A mock that never calls back leaves the firing unfinished, and each firing is counted apart.
    expect(statusOf(INJECT, "mock('injectScript', () => {}); runCode({});", { once: true }).status).toBe(
      'fail',
    );
    const twice = statusOf(INJECT, 'runCode({}); runCode({});', { once: true });
    expect(twice.status).toBe('pass');
    const onlyFirstCompletes = statusOf(INJECT, "runCode({}); mock('injectScript', () => {}); runCode({});", {
      once: true,
    });
    expect(onlyFirstCompletes).toMatchObject({ status: 'fail', message: expect.stringContaining('run 2') });
  });

  test('each scenario starts from a fresh world and fresh mocks', () => {
    const t = template(
      `return require('copyFromWindow')('n');`,
      [perm('access_globals', { keys: [{ key: 'n', read: true, write: true, execute: false }] })],
      {
        scenarios: [
          { name: 'a', code: "mock('copyFromWindow', 5); assertThat(runCode({})).isEqualTo(5);" },
          { name: 'b', code: 'assertThat(runCode({})).isUndefined();' },
        ],
      },
      'MACRO',
    );
    expect(runTests(t).map((r) => r.status)).toEqual(['pass', 'pass']);
  });
});

describe("the Tests tab's page", () => {
  test("its data layer holds the container's start event", () => {
    const read = `const copyFromDataLayer = require('copyFromDataLayer');
                  return [copyFromDataLayer('event'), require('getType')(copyFromDataLayer('gtm.start'))];`;
    const t = template(
      read,
      [perm('read_data_layer', { allowedKeys: 'any' })],
      {
        scenarios: [{ name: 's', code: "assertThat(runCode({})).isEqualTo(['gtm.js', 'number']);" }],
      },
      'MACRO',
    );
    expect(runTests(t)).toMatchObject([{ status: 'pass' }]);
  });
});

describe('what assertApi sees', () => {
  test("the template's calls count, also from callbacks the scenario runs later; the scenario's own calls do not", () => {
    const code = `require('injectScript')('https://a.test/x.js', function () { require('sendPixel')('https://p.test/'); data.gtmOnSuccess(); });`;
    const scenario = `let loaded; mock('injectScript', function (url, ok) { loaded = ok; });
      const pixel = require('sendPixel');
      pixel('https://p.test/own');
      runCode({});
      assertApi('sendPixel').wasNotCalled();
      loaded();
      assertApi('sendPixel').wasCalledWith('https://p.test/');
      assertApi('sendPixel').wasNotCalledWith('https://p.test/own');
      assertApi('gtmOnSuccess').wasCalled();`;
    const permissions = [perm('send_pixel', { allowedUrls: 'any' })];
    expect(statusOf(code, scenario, {}, permissions)).toMatchObject({ status: 'pass' });
  });
});
