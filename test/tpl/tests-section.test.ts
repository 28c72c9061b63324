// `parseTestsSection`: the ___TESTS___ section alone, read exactly as `parse` reads it (a test run
// of a file without scenarios reads nothing else; src/cli/test-file.ts).
import { describe, expect, it } from 'vitest';
import { parse, parseTestsSection } from '../../src/tpl/index.js';
import { testFile } from '../../src/cli/test-file.js';
import { allCorpusFiles } from '../helpers/corpus.js';

const agrees = (text: string) => {
  const full = parse(text);
  const quick = parseTestsSection(text);
  expect(quick.tests).toEqual(full.tests);
  expect(quick.syntaxErrors).toEqual(full.syntaxErrors.filter((e) => e.section === 'TESTS'));
  expect(quick.sectionCount).toBe(full.layout?.sections.length ?? 0);
};

describe('parseTestsSection', () => {
  it('reads every corpus file’s tests as parse does', () => {
    for (const f of allCorpusFiles()) agrees(f.text);
  });

  it('agrees on the edge cases: none, empty, twice, a byte-order mark, broken YAML, no markers', () => {
    const info = '___INFO___\n\n{"type": "TAG"}\n\n';
    for (const text of [
      info,
      `${info}___TESTS___\n\n`,
      `${info}___TESTS___\n\nscenarios: []\n\n___TESTS___\n\nscenarios:\n- name: b\n  code: x\n`,
      `\uFEFF${info}___TESTS___\n\nscenarios:\n- name: a\n  code: runCode({});\n`,
      `${info}___TESTS___\n\nscenarios: [\n`,
      `${info}___TESTS___\n\n- a\n- b\n`,
      'no markers at all',
    ])
      agrees(text);
  });

  it('gives a file without scenarios the report the whole file would give', () => {
    // Its other sections are broken: a test run of it never reads them.
    const text =
      '___INFO___\n\n{ not json\n\n___TEMPLATE_PARAMETERS___\n\n[oops\n\n___TESTS___\n\nscenarios: []\n';
    expect(testFile('f.tpl', text, { once: false, strictPermissions: false })).toEqual({
      file: 'f.tpl',
      scenarios: [],
    });
    // A problem with the tests themselves is still reported.
    const bad = '___INFO___\n\n{}\n\n___TESTS___\n\n- a\n';
    expect(testFile('g.tpl', bad, { once: false, strictPermissions: false }).problem).toMatch(
      /test\/bad-tests-section/,
    );
  });

  it('leaves a section longer than maxChars unread, and testFile reports such a file the same', () => {
    const setup = `setup: |-\n${'  // a long setup line\n'.repeat(300)}`;
    const text = `___INFO___\n\n{"type": "TAG"}\n\n___TESTS___\n\nscenarios: []\n${setup}`;
    const long = parseTestsSection(text, { maxChars: 4096 });
    expect(long.tooLong).toBe(true);
    expect(long.tests).toBeUndefined();
    const read = parseTestsSection(text);
    expect(read.tooLong).toBe(false);
    expect(read.tests?.scenarios).toEqual([]);
    // Read whole instead: the same report as for a short section.
    expect(testFile('h.tpl', text, { once: false, strictPermissions: false })).toEqual({
      file: 'h.tpl',
      scenarios: [],
    });
  });
});
