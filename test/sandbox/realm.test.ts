// The realm holds only what GTM's sandbox offers, and a run has a time limit.
import { describe, expect, test } from 'vitest';
import { ARRAY_METHODS, STRING_METHODS } from '../../src/gtm/apis.js';
import { runTemplate, runTests } from '../../src/sandbox/index.js';
import { NodeRealm } from '../../src/sandbox/node-realm.js';
import { adaptForV8 } from '../../src/sandbox/transform.js';
import { template } from './helpers.js';

const value = (code: string) => runTemplate(template(code), {}).returnValue;

describe('realm built-ins', () => {
  test('no globals besides data and require', () => {
    // Straight into the realm: the runtime itself refuses code naming undeclared globals.
    const realm = new NodeRealm();
    const probe = realm.compileFunction(['data', 'require'], '', 'probe.js');
    const value = (code: string) => {
      const fn = realm.compileFunction(['data', 'require'], code, 'probe.js');
      return realm.guard(() => fn({}, probe), 100);
    };
    expect(
      value(
        `return [typeof Object, typeof JSON, typeof Math, typeof window, typeof console, typeof setTimeout,
                 typeof String, typeof Array, typeof Date, typeof globalThis, typeof eval, typeof data, typeof require];`,
      ),
    ).toEqual([
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'object',
      'function',
    ]);
  });

  test('Array and String prototypes hold exactly the whitelist', () => {
    const arrayNames = ARRAY_METHODS.map((m) => `'${m}'`).join(',');
    const stringNames = STRING_METHODS.map((m) => `'${m}'`).join(',');
    expect(value(`return [${arrayNames}].every(function (m) { return typeof [][m] === 'function'; });`)).toBe(
      true,
    );
    expect(
      value(`return [${stringNames}].every(function (m) { return typeof ''[m] === 'function'; });`),
    ).toBe(true);
    expect(
      value(`return [typeof [].includes, typeof [].find, typeof ''.startsWith, typeof ''.padStart, typeof ''.charCodeAt,
                     typeof [].constructor, typeof (function () {}).call, typeof (1).toFixed];`),
    ).toEqual(Array(8).fill('undefined'));
  });

  test('for...of, closures and arguments work', () => {
    expect(
      value(
        `let s = 0; for (const x of [1, 2, 3]) s += x; const f = function () { return arguments.length; }; return [s, f(1, 2)];`,
      ),
    ).toEqual([6, 2]);
  });

  test('arrow functions get their own arguments, as in GTM', () => {
    expect(value(`const f = () => arguments[0]; return f('own');`)).toBe('own');
    expect(value(`const f = (a, b) => { return arguments.length + a + b; }; return f(1, 2);`)).toBe(5);
    expect(adaptForV8('x => x + 1')).not.toMatch(/function/);
  });

  test('an arrow as the right operand of an operator runs, as GTM runs it', () => {
    expect(value(`const pick = data.missing || () => 'fallback'; return pick();`)).toBe('fallback');
    expect(value(`const f = data.x && () => 1 || 2; return data.x;`)).toBeUndefined();
    expect(value(`const f = true && (a) => arguments.length + a; return f(1, 2);`)).toBe(3);
    expect(value(`const g = 0 || (() => 'paren'); return g();`)).toBe('paren');
  });

  test('arguments is an array, in template code and in test code', () => {
    expect(
      value(
        `const getType = require('getType');
         const rest = function () { return arguments.slice(1); };
         const doubled = function () { return arguments.map(function (x) { return x * 2; }); };
         const own = (a) => arguments.length;
         const kind = function () { return getType(arguments); };
         return [rest(1, 2, 3), doubled(1, 2), own(1, 2, 3), kind(), rest.apply === undefined];`,
      ),
    ).toEqual([[2, 3], [2, 4], 3, 'array', true]);
    const t = template("require('sendPixel')('https://p.test/x', 'a', 'b'); data.gtmOnSuccess();", [], {
      scenarios: [
        {
          name: 'mock reads its arguments as an array',
          code: `let seen;
                 mock('sendPixel', function () { seen = arguments.slice(1).map(function (s) { return s + '!'; }); });
                 runCode({});
                 assertThat(seen).isEqualTo(['a!', 'b!']);`,
        },
      ],
    });
    expect(runTests(t)).toMatchObject([{ status: 'pass' }]);
  });

  test("a function's toString is the name it was declared with, '' when it has none", () => {
    expect(
      value(
        `const makeString = require('makeString');
         function declared() { return 1; }
         const expression = function () { return 2; };
         const named = function inner() { return 3; };
         const arrow = (x) => x;
         return [declared.toString(), expression.toString(), named.toString(), arrow.toString(),
                 'fn:' + expression, 'fn:' + declared, makeString(declared), [declared, arrow].join('|'),
                 makeString.toString()];`,
      ),
    ).toEqual(['declared', '', 'inner', '', 'fn:', 'fn:declared', 'declared', 'declared|', '']);
    // A function that test code hands to the template converts the same way.
    const t = template('return data.fn.toString() + data.named.toString();', [], {
      scenarios: [
        {
          name: 'functions from test code',
          code: `function named() {}
                 assertThat(runCode({ fn: function () { return 42; }, named: named })).isEqualTo('named');`,
        },
      ],
    });
    expect(runTests(t)).toMatchObject([{ status: 'pass' }]);
  });

  test('an infinite loop ends the run as an error, within the time limit', () => {
    const start = performance.now();
    const r = runTemplate(template('while (true) {}'), {}, { timeLimitMs: 50 });
    expect(r.outcome).toBe('error');
    expect(r.errorCode).toBe('sandbox/time-limit');
    expect(performance.now() - start).toBeLessThan(2000);
  });

  test('callbacks that keep scheduling themselves end at the time limit too', () => {
    const r = runTemplate(
      template(
        `const callLater = require('callLater'); const again = function () { callLater(again); }; again();`,
      ),
      {},
      { timeLimitMs: 50 },
    );
    expect(r.errorCode).toBe('sandbox/time-limit');
  });

  test('a hang inside a built-in, which no tick sees, ends the scenario; the next one still runs', () => {
    const t = template('data.gtmOnSuccess();', [], {
      scenarios: [
        {
          name: 'backtracks',
          code: `return 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.match('^(a+)+$');`,
        },
        { name: 'fine', code: "runCode({}); assertApi('gtmOnSuccess').wasCalled();" },
      ],
    });
    const start = performance.now();
    const results = runTests(t, { world: { timeLimitMs: 50 } });
    expect(results.map((r) => r.status)).toEqual(['error', 'pass']);
    expect(results[0]!.message).toMatch(/time limit/);
    expect(performance.now() - start).toBeLessThan(5000);
  });

  test('the test runner goes on after a scenario that loops forever', () => {
    const t = template('data.gtmOnSuccess();', [], {
      scenarios: [
        { name: 'loops', code: 'while (true) {}' },
        { name: 'fine', code: "runCode({}); assertApi('gtmOnSuccess').wasCalled();" },
      ],
    });
    const results = runTests(t, { world: { timeLimitMs: 50 } });
    expect(results.map((r) => r.status)).toEqual(['error', 'pass']);
    expect(results[0]!.message).toMatch(/time limit/);
  });

  test('a syntax error is an error outcome, not a crash', () => {
    const r = runTemplate(template('const = ;'), {});
    expect(r.outcome).toBe('error');
    expect(r.errorCode).toBe('sandbox/syntax');
  });
});

describe('syntax GTM refuses', () => {
  test.each([
    ['new', 'const d = new Date();'],
    ['this', 'const x = this;'],
    ['regex', "const r = /a+/; return 'aa'.match(r);"],
    ['template literal', 'return `x${1}`;'],
    ['try', 'try { data.gtmOnSuccess(); } catch (e) {}'],
    ['throw', "throw 'x';"],
    ['class', 'class A {}'],
  ])('%s is an error before anything runs', (_what, code) => {
    const r = runTemplate(template(code + ' data.gtmOnSuccess();'), {});
    expect(r.outcome).toBe('error');
    expect(r.errorCode).toBe('sandbox/syntax');
    expect(r.error).toMatch(/does not support/);
    expect(r.gtmOnSuccessCount).toBe(0);
  });

  test('a name declared nowhere is refused, as GTM does', () => {
    const r = runTemplate(template('if (data.never) { window.x = 1; } data.gtmOnSuccess();'), {});
    expect(r.errorCode).toBe('sandbox/syntax');
    expect(r.error).toMatch(/Attempting to use undeclared variable window/);
    const fine = runTemplate(
      template(
        'const f = function (a) { return a + arguments.length; }; var g; g = f(1); data.gtmOnSuccess();',
      ),
      {},
    );
    expect(fine.outcome).toBe('success');
  });

  test('in test code too, with the place', () => {
    const t = template('', [], {
      setup: 'const a = 1;',
      scenarios: [{ name: 's', code: 'const d = new Date();' }],
    });
    expect(runTests(t)[0]).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/scenario 1:11\): .*`new`/),
    });
    // `data` belongs to the template code; runCode hands it over.
    const reads = template('data.gtmOnSuccess();', [], {
      setup: 'const ok = 1;',
      scenarios: [{ name: 's', code: 'const key = data.apiKey; runCode({});' }],
    });
    expect(runTests(reads)[0]).toMatchObject({
      status: 'error',
      message: 'test code (scenario 1:13): Attempting to use undeclared variable data',
    });
  });

  test('a name that is an API of the container says how to require it; other names do not', () => {
    const scenario = (code: string) => ({ scenarios: [{ name: 's', code }] });
    const web = (code: string) => runTests(template('data.gtmOnSuccess();', [], scenario(code)))[0]!.message;
    expect(web('const s = JSON.stringify({}); runCode({});')).toBe(
      "test code (scenario 1:11): Attempting to use undeclared variable JSON (JSON is a sandbox API: require it first, const JSON = require('JSON');)",
    );
    expect(web('callLater(function () {}); runCode({});')).toContain(
      "const callLater = require('callLater');",
    );
    // Promise is an API of server containers only: in a web scenario it is just undeclared.
    expect(web('Promise.create(function () {}); runCode({});')).toBe(
      'test code (scenario 1:1): Attempting to use undeclared variable Promise',
    );
    const server = { ...template('data.gtmOnSuccess();', [], scenario('Promise.all([]); runCode({});')) };
    server.context = 'SERVER';
    expect(runTests(server)[0]!.message).toContain(
      "(Promise is a sandbox API: require it first, const Promise = require('Promise');)",
    );
    // In template code too.
    const r = runTemplate(template('const n = Math.floor(1.5); data.gtmOnSuccess();'), {});
    expect(r.error).toBe(
      "template code 1:11: Attempting to use undeclared variable Math (Math is a sandbox API: require it first, const Math = require('Math');)",
    );
  });
});

describe('let and const bindings as gtm.js keeps them: no dead zone (docs/runtime.md)', () => {
  const run = (code: string) => runTemplate(template(code, [], undefined, 'MACRO'), {});

  test('a function that reads a let before its declaration has run reads undefined', () => {
    const r = run(
      'const read = () => later;\nconst before = read();\nlet later = 1;\nreturn [before, read()];',
    );
    expect(r.error).toBeUndefined();
    expect(r.returnValue).toEqual([undefined, 1]);
  });

  test('a let in a loop body is a fresh binding on every pass, undefined until assigned', () => {
    const r = run(
      'const seen = []; const read = [];\n' +
        'for (let i = 0; i < 3; i++) { let v; if (i !== 1) v = i; let w = i * 10; seen.push(v); read.push(() => w); }\n' +
        'return [seen, read.map((f) => f())];',
    );
    expect(r.returnValue).toEqual([
      [0, undefined, 2],
      [0, 10, 20],
    ]);
  });

  test('a let that shadows an outer name, and several names in one statement', () => {
    const r = run('let a = 1, b;\nif (a) { let a = 2, c = a + 1; b = [a, c]; }\nreturn [a, b];');
    expect(r.returnValue).toEqual([1, [2, 3]]);
  });

  test('a const reads undefined early too, and stays constant when the code assigns it', () => {
    expect(run('const f = () => k; const early = f(); const k = 1; return [early, k];').returnValue).toEqual([
      undefined,
      1,
    ]);
    expect(run('const k = 1; const f = () => { k = 2; }; f(); return k;').error).toMatch(/constant/);
  });

  test('the declarations of a for head or a switch case are left as they are', () => {
    expect(run('let n = 0; switch (n) { case 0: let m = 5; n = m; } return n;').returnValue).toBe(5);
    expect(adaptForV8('for (let i = 0; i < 1; i++) {}')).not.toMatch(/let i;/);
  });

  test('in test code, each part declares its own lets where it starts', () => {
    const t = template(
      'return data.x;',
      [],
      {
        setup: 'let fromSetup = 1;',
        scenarios: [
          {
            name: 's',
            code: 'const early = later; let later = 2; assertThat(early).isUndefined(); assertThat(fromSetup + later).isEqualTo(3);',
          },
        ],
      },
      'MACRO',
    );
    expect(runTests(t)[0]).toMatchObject({ status: 'pass' });
  });
});

describe('compiled code is shared between realms, never between their globals', () => {
  test('a body that would close the function early is refused, and none of it runs', () => {
    const realm = new NodeRealm();
    const escape = '}); ran = true; (function () {';
    expect(() => realm.compileFunction(['a'], escape, 'escape.js')).toThrow(/escape\.js/);
    // Refused again in a later realm (the check is remembered only for bodies V8 accepted).
    const later = new NodeRealm();
    expect(() => later.compileFunction(['a'], escape, 'escape.js')).toThrow(/escape\.js/);
    const probe = later.compileFunction([], 'return typeof ran;', 'probe.js');
    expect(later.guard(() => probe(), 1000)).toBe('undefined');
  });

  test('the same body in two realms: each function has its own realm, and lines count from 1', () => {
    const body =
      'count = (typeof count === "number" ? count : 0) + a;\nif (a < 0) throw new Error("no");\nreturn count;';
    const first = new NodeRealm();
    const second = new NodeRealm();
    const f1 = first.compileFunction(['a'], body, 'shared.js');
    const f2 = second.compileFunction(['a'], body, 'shared.js');
    expect(first.guard(() => f1(2), 1000)).toBe(2);
    expect(first.guard(() => f1(3), 1000)).toBe(5);
    // The second realm's global never saw the first realm's `count`.
    expect(second.guard(() => f2(1), 1000)).toBe(1);
    // Same parameters, another file name: compiled and named on its own.
    const f3 = second.compileFunction(['a'], body, 'other.js');
    let stack = '';
    try {
      second.guard(() => f3(-1), 1000);
    } catch (err) {
      stack = String((err as Error).stack);
    }
    expect(stack).toMatch(/other\.js:2:/);
  });
});
