// A file's scenarios share one compiled setup where nothing observable changes (scenario-code.ts).
// Each case runs the scenarios together and each one alone (`only`: a lone scenario is compiled
// with the setup as one body, as GTM concatenates them), and the outcomes must agree.
import { describe, expect, test, vi } from 'vitest';
import { NodeRealm } from '../../src/sandbox/node-realm.js';
import type { Realm } from '../../src/sandbox/realm.js';
import { runTests, type ScenarioResult } from '../../src/sandbox/index.js';
import { ScenarioCode } from '../../src/sandbox/scenario-code.js';
import type { TestScenario } from '../../src/tpl/model.js';
import { template } from './helpers.js';

const CODE = 'data.gtmOnSuccess(); return data.value;';

function outcome(results: ScenarioResult[]) {
  return results.map(({ name, status, message }) => ({ name, status, message }));
}

/** Runs the scenarios together, counting compiles, and each alone; returns both. */
function together(setup: string, scenarios: TestScenario[]) {
  const t = template(CODE, [], { setup, scenarios });
  const realm = new NodeRealm();
  const compile = vi.spyOn(realm, 'compileFunction');
  const all = outcome(runTests(t, { realm: () => realm }));
  // The template's own code is compiled once; the rest is scenario code.
  const scenarioCompiles = compile.mock.calls.filter(([, , file]) => file === 'scenario.js').length;
  const alone = scenarios.flatMap((s) => outcome(runTests(t, { only: [s.name] })));
  return { all, alone, scenarioCompiles };
}

const passing = (n: number, code: (i: number) => string): TestScenario[] =>
  Array.from({ length: n }, (_, i) => ({ name: `s${i}`, code: code(i) }));

describe('a shared setup', () => {
  test('is compiled once for all scenarios, and still runs afresh for each', () => {
    const setup = 'let count = 0; function next() { count++; return count; }';
    const { all, alone, scenarioCompiles } = together(
      setup,
      passing(
        3,
        (i) => `assertThat(next()).isEqualTo(1); assertThat(runCode({ value: ${i} })).isEqualTo(${i});`,
      ),
    );
    expect(all.map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
    expect(all).toEqual(alone);
    expect(scenarioCompiles).toBe(1);
  });

  test('a setup that refers to a name each scenario binds keeps them compiled with it', () => {
    // In one body the setup's function sees the scenario's `expected`.
    const setup = 'function check() { assertThat(runCode({ value: expected })).isEqualTo(expected); }';
    const { all, alone, scenarioCompiles } = together(
      setup,
      passing(2, (i) => `const expected = ${i}; check();`),
    );
    expect(all.map((r) => r.status)).toEqual(['pass', 'pass']);
    expect(all).toEqual(alone);
    expect(scenarioCompiles).toBe(2);
  });

  test("a scenario that declares one of the setup's names again fails as it does alone", () => {
    const { all, alone } = together('let value = 1;', [
      { name: 'redeclares', code: 'let value = 2; runCode({ value: value });' },
      { name: 'fine', code: 'runCode({ value: value });' },
    ]);
    expect(all).toEqual(alone);
    expect(all[0]).toMatchObject({
      status: 'error',
      message: expect.stringContaining('already been declared'),
    });
    expect(all[1]!.status).toBe('pass');
  });

  test('a scenario that binds a test API name fails as it does alone', () => {
    const { all, alone } = together('const base = 1;', [
      { name: 'binds mock', code: 'let mock = 1; runCode({ value: base });' },
      { name: 'fine', code: 'runCode({ value: base });' },
    ]);
    expect(all).toEqual(alone);
    expect(all[0]!.status).toBe('error');
  });

  test("`arguments` outside a scenario's functions is the one function's, as alone", () => {
    const { all, alone } = together('const base = 1;', [
      { name: 'reads arguments', code: 'assertThat(arguments.length).isEqualTo(0);' },
      { name: 'fine', code: 'runCode({ value: base });' },
    ]);
    expect(all).toEqual(alone);
    // The compiled function's parameters are the test API and the tick: never zero of them.
    expect(all[0]!.status).toBe('fail');
  });

  test("a directive at a scenario's start stays an ordinary statement after the setup", () => {
    // Sloppy mode ignores writing a property of a string; strict mode throws.
    const { all, alone } = together(
      'const base = 1;',
      passing(2, () => `'use strict'; const s = 'abc'; s.size = 5; runCode({ value: base });`),
    );
    expect(all).toEqual(alone);
    expect(all.map((r) => r.status)).toEqual(['pass', 'pass']);
  });

  test('a setup that reads `arguments` or starts with a directive is compiled with each scenario', () => {
    const counted = together(
      'const given = arguments.length;',
      passing(2, (i) => `runCode({ value: given + ${i} }); assertThat(given > 0).isTrue();`),
    );
    expect(counted.all).toEqual(counted.alone);
    expect(counted.scenarioCompiles).toBe(2);
    // A directive opens the body only where no helper goes before it: one scenario needs one.
    const strict = together("'use strict'; const base = 1;", [
      {
        name: 'needs a helper',
        code: 'mock("logToConsole", function () { return arguments.length; }); runCode({});',
      },
      { name: 'writes a string property', code: "const s = 'abc'; s.size = 5; runCode({ value: base });" },
    ]);
    expect(strict.all).toEqual(strict.alone);
    expect(strict.all[1]).toMatchObject({ status: 'error', message: expect.stringContaining('TypeError') });
  });

  test('a scenario with a syntax error or an undeclared name is reported alone; the others run shared', () => {
    const { all, alone, scenarioCompiles } = together('const base = 1;', [
      { name: 'syntax', code: 'runCode({ value: base ' },
      { name: 'undeclared', code: 'runCode({ value: nowhere });' },
      ...passing(2, () => 'assertThat(runCode({ value: base })).isEqualTo(1);'),
    ]);
    expect(all).toEqual(alone);
    expect(all.map((r) => r.status)).toEqual(['error', 'error', 'pass', 'pass']);
    expect(all[1]!.message).toContain('Attempting to use undeclared variable nowhere');
    expect(scenarioCompiles).toBe(1);
  });

  test('when the realm refuses the shared body, every scenario is compiled on its own', () => {
    const inner = new NodeRealm();
    const refusing: Realm = Object.assign(Object.create(inner) as Realm, {
      compileFunction(params: readonly string[], body: string, filename: string) {
        if (params.includes('__gtmScenario')) throw new Error('refused');
        return inner.compileFunction(params, body, filename);
      },
    });
    const t = template(CODE, [], {
      setup: 'const base = 1;',
      scenarios: passing(3, () => 'assertThat(runCode({ value: base })).isEqualTo(1);'),
    });
    expect(runTests(t, { realm: () => refusing }).map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
  });

  test("each scenario's time includes the preparing of its code, wherever it was done", () => {
    const t = template(CODE, [], {
      setup: 'const base = 1;',
      scenarios: passing(4, () => 'assertThat(runCode({ value: base })).isEqualTo(1);'),
    });
    const results = runTests(t);
    expect(results.every((r) => r.ms >= 0)).toBe(true);
    // The first turn prepares every scenario and lends that time to the others: the corrections
    // move time between scenarios and add none.
    const codes = Array.from({ length: 5 }, (_, i) => `const x${i} = [${'1,'.repeat(2000)}]; runCode({});`);
    const code = new ScenarioCode('const base = 1;', codes, 'WEB');
    const realm = new NodeRealm();
    const corrections = codes.map((_, i) => {
      expect(code.entry(realm, i).ok).toBe(true);
      return code.timeCorrectionMs(i);
    });
    expect(corrections[0]!).toBeLessThan(0);
    expect(corrections.slice(1).every((c) => c > 0)).toBe(true);
    expect(Math.abs(corrections.reduce((a, b) => a + b, 0))).toBeLessThan(1e-9);
  });
});
