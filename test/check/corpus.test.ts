// Conformance: GTM accepted every template in ../shared/corpus, so the checker must report no
// error on any of them (an error there is a false positive).
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { corpusFiles } from '../helpers/corpus.js';

const files = corpusFiles();

describe('checker conformance over the corpus of templates GTM accepted', () => {
  it('has the whole corpus to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(57);
  });

  it.each(files.map((f) => [f.name, f] as const))('%s: no errors', (_name, file) => {
    const diagnostics = checkSource(file.text);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.line}:${d.column} ${d.code} ${d.text}`)).toEqual([]);
    // Internal faults would hide findings: none may occur on real input.
    expect(diagnostics.filter((d) => d.code.startsWith('internal/'))).toEqual([]);
    for (const d of diagnostics) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
      expect(d.section).toMatch(/^___[A-Z_]+___$/);
    }
  });
});
