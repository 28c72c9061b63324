// Errors in code that never runs, and in one scenario's test code: the checker and the runtime
// agree on what fails. GTM compiles a template's code as a whole, so an undeclared name or a
// construct its parser lacks stops the code whether or not its line runs ("1 Error(s) parsing the
// input: Attempting to use undeclared variable Math in function template. Offending section
// starting from token 'Math' …"). Test code is compiled per scenario when it runs, not on save
// (GTM exports carry scenarios that cannot compile), so such an error fails its own scenario and
// leaves the others passing. Evidence in docs/diagnostics.md (js/ and tests/).
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { runTests } from '../../src/sandbox/index.js';
import { parse } from '../../src/tpl/index.js';
import { template, WEB_VARIABLE } from './fixtures.js';

const PASSING = "  code: |-\n    assertThat(runCode({ value: 'a' })).isEqualTo('A');";

/** WEB_VARIABLE with its code replaced and the given scenarios. */
function variable(code: string, scenarios: string[]): string {
  const withCode = WEB_VARIABLE.replace(
    /(___SANDBOXED_JS_FOR_WEB_TEMPLATE___\n\n)[\s\S]*?\n\n\n/,
    (_, marker: string) => `${marker}${code}\n\n\n`,
  );
  return withCode + template([['TESTS', ['scenarios:', ...scenarios].join('\n')]]);
}

const BODY = "const makeString = require('makeString');\nreturn makeString(data.value).toUpperCase();";

function outcome(text: string) {
  const errors = checkSource(text)
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.code}: ${d.text}`);
  const scenarios = Object.fromEntries(runTests(parse(text)).map((r) => [r.name, r.status]));
  return { errors, scenarios };
}

describe('code that never runs', () => {
  it('an undeclared name in a function never called stops the template code: error, every scenario fails', () => {
    const code = `function never() { return Math.floor(1.5); }\n${BODY}`;
    const { errors, scenarios } = outcome(variable(code, ['- name: a', PASSING, '- name: b', PASSING]));
    expect(errors).toEqual([
      'js/undeclared-variable: Attempting to use undeclared variable Math in function template.',
    ]);
    expect(scenarios).toEqual({ a: 'error', b: 'error' });
  });

  it('a regular-expression literal on a branch never taken is an error, and the code does not run', () => {
    const code = `if (data.value === 'never') { return data.value.replace(/a/g, 'b'); }\n${BODY}`;
    const { errors, scenarios } = outcome(variable(code, ['- name: a', PASSING]));
    expect(errors.map((e) => e.split(':')[0])).toEqual(['js/no-regex-literal']);
    expect(scenarios).toEqual({ a: 'error' });
  });

  it('the same code without the dead line is clean and passes (the probes above fail for that line alone)', () => {
    const { errors, scenarios } = outcome(variable(BODY, ['- name: a', PASSING]));
    expect(errors).toEqual([]);
    expect(scenarios).toEqual({ a: 'pass' });
  });
});

describe("one scenario's test code", () => {
  it('an undeclared name in a callback the scenario never calls fails that scenario only', () => {
    const broken =
      "  code: |-\n    const never = () => JSON.stringify({});\n    assertThat(runCode({ value: 'a' })).isEqualTo('A');";
    const { errors, scenarios } = outcome(
      variable(BODY, ['- name: broken', broken, '- name: fine', PASSING]),
    );
    expect(errors).toEqual([
      'js/undeclared-variable: scenario "broken": Attempting to use undeclared variable JSON in function template.',
    ]);
    expect(scenarios).toEqual({ broken: 'error', fine: 'pass' });
  });

  it('`this` in a mock that never runs fails that scenario only', () => {
    const broken =
      "  code: |-\n    const f = function() { this.a = 1; };\n    assertThat(runCode({ value: 'a' })).isEqualTo('A');";
    const { errors, scenarios } = outcome(
      variable(BODY, ['- name: broken', broken, '- name: fine', PASSING]),
    );
    expect(errors.map((e) => e.split(':')[0])).toEqual(['js/no-this']);
    expect(errors[0]).toContain('scenario "broken"');
    expect(scenarios).toEqual({ broken: 'error', fine: 'pass' });
  });
});
