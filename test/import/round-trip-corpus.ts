// The import round trip over real templates: each is imported, the project built from memory and
// the result compared with the original (src/import/equivalence.ts). A template that does not
// round-trip completely must be in round-trip-known-failures.json with the reason and its evidence;
// a listed template that starts round-tripping fails the suite too, so the list stays exact.
// Shared by the suites that split the corpus folders (vitest runs them in parallel).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { roundTrip, type RoundTrip } from '../../src/import/equivalence.js';
import { parse, type Template } from '../../src/tpl/index.js';
import type { CorpusFile } from '../helpers/corpus.js';

export interface KnownRoundTripFailure {
  file: string;
  reason: string;
  evidence: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const knownRoundTripFailures: KnownRoundTripFailure[] = JSON.parse(
  readFileSync(path.join(here, 'round-trip-known-failures.json'), 'utf8'),
);

/** Why a round trip is incomplete, in one line. */
export function incompleteReason(r: RoundTrip): string {
  if (r.importError) return `not imported: ${r.importError}`;
  if (r.buildErrors.length) return `build: ${r.buildErrors.map((d) => `${d.code} ${d.text}`).join('; ')}`;
  return [
    ...r.formDifferences.map((d) => `form ${d}`),
    ...r.permissions.wider.map((w) => `permissions wider: ${w}`),
    ...r.scenarioRegressions.map((s) => `scenario no longer passes: ${s}`),
  ].join('; ');
}

export function roundTripSuite(label: string, files: CorpusFile[]): void {
  const templates = files.map((f) => ({ ...f, template: parse(f.text) as Template }));
  const results = new Map<string, RoundTrip>();

  describe(`import round trip: ${label}`, () => {
    test.each(templates.map((t) => [t.name, t] as const))('%s', async (name, file) => {
      const result = await roundTrip(file.template, name.replace(/\.tpl$/, ''));
      results.set(name, result);
      const listed = knownRoundTripFailures.some((k) => k.file === name);
      if (listed)
        expect(result.complete, 'listed as a known failure but round-trips: remove it from the list').toBe(
          false,
        );
      else expect(result.complete, incompleteReason(result)).toBe(true);
      // A listed build failure whose evidence is the checker's error on the original: the import's
      // report names that error too (the cause it shows the user).
      const known = knownRoundTripFailures.find((k) => k.file === name);
      const cited = /^gtm-template check on the original: errors? ([a-z-]+\/[a-z-]+)/.exec(
        known?.evidence ?? '',
      );
      if (cited && result.buildErrors.length)
        expect(result.originalErrors.map((d) => d.code)).toContain(cited[1]);
      // Never wider than declared unless the original's own code needs more (then it is listed).
      if (!listed) expect(result.permissions.wider).toEqual([]);
    });

    test(`at least 90% round-trip completely, and every listed failure is one of these templates`, () => {
      const mine = knownRoundTripFailures.filter((k) => templates.some((t) => t.name === k.file));
      for (const k of mine) {
        expect(k.reason.length, `${k.file}: reason`).toBeGreaterThan(20);
        expect(k.evidence.length, `${k.file}: evidence`).toBeGreaterThan(20);
      }
      expect(results.size).toBe(templates.length);
      const complete = [...results.values()].filter((r) => r.complete).length;
      const rate = complete / templates.length;
      console.log(
        `import round trip, ${label}: ${complete} of ${templates.length} complete (${(rate * 100).toFixed(1)}%); ` +
          `not complete: ${mine.map((k) => k.file).join(', ') || 'none'}`,
      );
      expect(rate).toBeGreaterThanOrEqual(0.9);
    });
  });
}
