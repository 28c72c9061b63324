// The scenario conformance suite, one per container context: every scenario of every template
// of that context with ___TESTS___ in both corpus folders runs in the sandbox. Scenarios must pass,
// except the ones in the context's known-failures list (each with a reason and evidence that it
// cannot pass in GTM either); a listed scenario that starts passing fails the suite too, so the
// list stays exact.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse, type ContainerContext, type Template } from '../../src/tpl/index.js';
import { runTests, type ScenarioResult } from '../../src/sandbox/index.js';
import { allCorpusFiles } from '../helpers/corpus.js';

interface KnownFailure {
  file: string;
  scenario: string;
  reason: string;
  evidence: string;
}

export interface ScenarioSuite {
  context: ContainerContext;
  /** A JSON file beside this module listing the scenarios that cannot pass in GTM either. */
  knownFailuresFile: string;
  /** The least number of scenarios the corpora hold for this context (guards against an empty run). */
  minScenarios: number;
  /** The pass rate the issue asks for, when the suite enforces one. */
  minPassRate?: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function describeScenarioConformance(suite: ScenarioSuite): void {
  const label = suite.context === 'SERVER' ? 'server' : 'web';
  const known: KnownFailure[] = JSON.parse(readFileSync(path.join(here, suite.knownFailuresFile), 'utf8'));
  const isKnown = (file: string, scenario: string) =>
    known.some((k) => k.file === file && k.scenario === scenario);
  const files = allCorpusFiles()
    .map((f) => ({ ...f, template: parse(f.text) as Template }))
    .filter((f) => f.template.context === suite.context && (f.template.tests?.scenarios?.length ?? 0) > 0);
  const tally = { total: 0, passed: 0 };

  describe(`${label} corpus scenarios`, () => {
    test.each(files.map((f) => [`${f.folder}/${f.name}`, f] as const))('%s', (_name, file) => {
      const results = runTests(file.template);
      expect(results).toHaveLength(file.template.tests!.scenarios.length);
      const unexpected: ScenarioResult[] = [];
      const nowPassing: string[] = [];
      for (const r of results) {
        tally.total++;
        if (r.status === 'pass') tally.passed++;
        const listed = isKnown(file.name, r.name);
        if (r.status !== 'pass' && !listed) unexpected.push(r);
        if (r.status === 'pass' && listed) nowPassing.push(r.name);
      }
      expect(unexpected, `scenarios failing that are not in ${suite.knownFailuresFile}`).toEqual([]);
      expect(nowPassing, 'listed as known failures but passing: remove them from the list').toEqual([]);
    });

    test(`pass rate over the ${label} scenarios of both folders, and the known-failures list is well-formed`, () => {
      const keys = known.map((k) => `${k.file} / ${k.scenario}`);
      expect(
        keys.filter((k, i) => keys.indexOf(k) !== i),
        'listed twice',
      ).toEqual([]);
      for (const k of known) {
        expect(k.reason.length, `${k.file} / ${k.scenario}: reason`).toBeGreaterThan(20);
        expect(k.evidence.length, `${k.file} / ${k.scenario}: evidence`).toBeGreaterThan(20);
        const file = files.find((f) => f.name === k.file);
        expect(file, `${k.file} is a ${label} corpus template with tests`).toBeDefined();
        expect(file!.template.tests!.scenarios.map((s) => s.name)).toContain(k.scenario);
      }
      // Needs the per-file tests above to have run first (vitest runs tests of a file in order).
      expect(tally.total).toBeGreaterThanOrEqual(suite.minScenarios);
      console.log(
        `${label} scenarios of both corpus folders: ${tally.passed}/${tally.total} pass ` +
          `(${((100 * tally.passed) / tally.total).toFixed(1)}%), ${known.length} known failures, ` +
          `${tally.passed}/${tally.total - known.length} of the rest`,
      );
      expect(tally.passed).toBe(tally.total - known.length);
      if (suite.minPassRate !== undefined)
        expect(tally.passed / tally.total).toBeGreaterThanOrEqual(suite.minPassRate);
    });
  });
}
