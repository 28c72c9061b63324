// Conformance: GTM accepted (saved, exported or published) the templates of ../shared/corpus and
// ../shared/corpus-wide, so the checker must report no error on them: an error there is a false
// positive. The few files that are really broken are listed in corpus-known-bad.json with the
// evidence (what GTM refuses, or what fails at run time); each must still get exactly its listed
// errors, and a listed file that stops getting them fails the test (the list is exact both ways).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { allCorpusFiles, repoRoot } from '../helpers/corpus.js';

interface KnownBad {
  file: string;
  /** Every error the file gets, as "code@line". */
  errors: string[];
  /** Why the file is really broken: the line, and why GTM refuses it or it fails at run time. */
  evidence: string;
}

const files = allCorpusFiles();
const knownBad: KnownBad[] = JSON.parse(
  readFileSync(path.join(repoRoot, 'test/check/corpus-known-bad.json'), 'utf8'),
);
const listed = new Map(knownBad.map((k) => [k.file, k]));

describe('checker conformance over both corpora (templates GTM accepted)', () => {
  it('has both folders to check', () => {
    expect(files.filter((f) => f.folder === 'corpus').length).toBeGreaterThanOrEqual(57);
    expect(files.filter((f) => f.folder === 'corpus-wide').length).toBeGreaterThanOrEqual(233);
  });

  it('lists only files that exist, once each, each with evidence', () => {
    const names = new Set(files.map((f) => f.name));
    expect(knownBad.map((k) => k.file).filter((f) => !names.has(f))).toEqual([]);
    expect(listed.size).toBe(knownBad.length);
    for (const k of knownBad) {
      expect(k.errors.length, k.file).toBeGreaterThan(0);
      expect(k.evidence.length, k.file).toBeGreaterThan(40);
    }
  });

  it.each(files.map((f) => [f.name, f] as const))('%s', (_name, file) => {
    const diagnostics = checkSource(file.text);
    const errors = diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.code}@${d.line}`)
      .sort();
    const expected = [...(listed.get(file.name)?.errors ?? [])].sort();
    if (errors.join() !== expected.join()) {
      // Show the full findings so a new false error (or a stale entry) is easy to read.
      const shown = diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => `${d.code}@${d.line}:${d.column} ${d.text}`);
      expect(shown, expected.length ? 'listed as known-bad' : 'GTM accepts this file').toEqual(expected);
    }
    expect(errors).toEqual(expected);
    // Internal faults would hide findings: none may occur on real input.
    expect(diagnostics.filter((d) => d.code.startsWith('internal/'))).toEqual([]);
    for (const d of diagnostics) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
      expect(d.section).toMatch(/^___[A-Z_]+___$/);
    }
  });
});
