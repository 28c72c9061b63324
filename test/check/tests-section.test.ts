// Positions of findings inside ___TESTS___ scenario code, for the YAML string styles GTM writes.
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { template, WEB_VARIABLE } from './fixtures.js';

function withTests(tests: string): string {
  return WEB_VARIABLE + template([['TESTS', tests]]);
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('___TESTS___ positions', () => {
  it('is exact inside block scalars, including the column', () => {
    const text = withTests('scenarios:\n- name: a\n  code: |-\n    runCode({});\n    const x = missing;\n');
    const d = checkSource(text).find((x) => x.code === 'js/undeclared-variable')!;
    expect(d.line).toBe(lineOf(text, 'const x = missing'));
    expect(d.column).toBe('    const x = '.length + 1);
    expect(d.text).toBe('scenario "a": Attempting to use undeclared variable missing in function template.');
  });

  it('points at the start of a double-quoted string and names the line in a note', () => {
    const text = withTests('scenarios:\n- name: a\n  code: "runCode({});\\nconst x = missing;"\n');
    const d = checkSource(text).find((x) => x.code === 'js/undeclared-variable')!;
    expect(d.line).toBe(lineOf(text, '  code: "runCode'));
    expect(d.notes?.join(' ')).toContain('line 2, column 11');
  });

  it('says a mock of a name no API has stands in for the template’s own require() of it', () => {
    const tests =
      "scenarios:\n- name: a\n  code: |-\n    mock('addEventListener', () => {});\n    runCode({});\n";
    const requiring = withTests(tests).replace(
      "const makeString = require('makeString');",
      "const makeString = require('makeString');\nrequire('addEventListener');",
    );
    const mockText = (text: string) =>
      checkSource(text).find((x) => x.code === 'tests/mock-unknown-api')?.text;
    // The runner hands the template's require('addEventListener') this mock (test/sandbox), so the
    // mock does replace something there; without that require it replaces nothing.
    expect(mockText(requiring)).toContain(
      "the template's require('addEventListener') gets this mock in its tests",
    );
    expect(mockText(withTests(tests))).toContain('so this mock replaces nothing');
  });

  it('lets scenarios use what setup declares, and setup callbacks use what scenarios declare', () => {
    const text = withTests(
      [
        'scenarios:',
        '- name: a',
        '  code: |-',
        '    const mockData = { value: 1 };',
        '    runCode(shared);',
        'setup: |-',
        "  const shared = { value: 'x' };",
        "  mock('makeString', () => mockData.value);",
      ].join('\n'),
    );
    expect(checkSource(text)).toEqual([]);
  });

  it('reads a scenario’s calls on what setup requires as that API’s methods, not native methods', () => {
    const scenario = (line: string) =>
      withTests(
        [
          'scenarios:',
          '- name: a',
          '  code: |-',
          '    const o = { a: 1 };',
          `    ${line}`,
          '    runCode({});',
          'setup: |-',
          "  const Object = require('Object');",
        ].join('\n'),
      );
    // Object.keys is a method of the Object API (GTM runs setup and the scenario as one body).
    expect(checkSource(scenario('assertThat(Object.keys(o).length).isEqualTo(1);'))).toEqual([]);
    // The API's own member list still applies, and a native method the sandbox removed still warns.
    expect(checkSource(scenario('Object.assign(o, {});')).map((d) => d.code)).toEqual([
      'js/unknown-api-member',
    ]);
    expect(checkSource(scenario("assertThat('ab'.startsWith('a')).isTrue();")).map((d) => d.code)).toEqual([
      'js/non-whitelisted-method',
    ]);
  });

  it('allows the test API and arguments, but not data', () => {
    const ok = withTests(
      "scenarios:\n- name: a\n  code: |-\n    mock('getUrl', () => arguments[0]);\n    fail('no');\n",
    );
    expect(checkSource(ok)).toEqual([]);
    const bad = withTests('scenarios:\n- name: a\n  code: |-\n    runCode(data);\n');
    expect(checkSource(bad).map((d) => d.code)).toEqual(['js/undeclared-variable']);
  });
});
