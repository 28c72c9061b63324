// The runner catches faults: mutants of each corpus template's code make its own scenarios fail.
// Figures (also printed by `npm run bench`): see the console line of the last test.
import { describe, expect, test } from 'vitest';
import { parseSandboxJs } from '../../src/js/parse.js';
import { generateMutants } from '../../src/sandbox/mutate.js';
import { mutationScore, type MutationReport } from '../../src/sandbox/mutation-score.js';
import { parse } from '../../src/tpl/index.js';
import { corpusFiles } from '../helpers/corpus.js';
import { template } from './helpers.js';

describe('generateMutants', () => {
  const code = `const inject = require('injectScript');
const log = require('logToConsole');
if (data.on) {
  inject('https://a.test/' + data.id, data.gtmOnSuccess, data.gtmOnFailure, 'tok');
} else {
  log(data.on ? 'yes' : 'no');
  data.gtmOnSuccess();
}`;
  const mutants = generateMutants(code);

  test('one mutant per gtmOnSuccess call, API string literal and condition; all parse', () => {
    expect(mutants.map((m) => m.kind).sort()).toEqual([
      'api-literal',
      'api-literal',
      'api-literal',
      'api-literal',
      'drop-gtmOnSuccess',
      'flip-condition',
      'flip-condition',
    ]);
    for (const m of mutants) expect(parseSandboxJs(m.code).ok, m.description).toBe(true);
    expect(mutants.find((m) => m.kind === 'drop-gtmOnSuccess')!.code).not.toMatch(/gtmOnSuccess\(\)/);
    expect(
      mutants.some(
        (m) => m.code.includes(`'https://a.test/_mutated'`) || m.code.includes('"https://a.test/_mutated"'),
      ),
    ).toBe(true);
    expect(mutants.some((m) => m.code.includes('if (!(data.on))'))).toBe(true);
  });

  test('the runner kills the mutants a good scenario set covers', () => {
    const t = template(code, [], {
      scenarios: [
        {
          name: 'on',
          code: `mock('injectScript', function (url, ok, fail, token) { assertThat(url).isEqualTo('https://a.test/7'); assertThat(token).isEqualTo('tok'); ok(); });
                 runCode({on: true, id: 7}); assertApi('gtmOnSuccess').wasCalled();`,
        },
        {
          name: 'off',
          code: `mock('logToConsole', function (m) { assertThat(m).isEqualTo('no'); });
                 runCode({on: false}); assertApi('gtmOnSuccess').wasCalled(); assertApi('injectScript').wasNotCalled();`,
        },
      ],
    });
    const report = mutationScore(t);
    expect(report.baseline).toEqual(['on', 'off']);
    const survivors = report.mutants.filter((m) => !m.killed).map((m) => m.mutant.description);
    // Only the 'yes' branch literal of the ?: is never logged by these scenarios.
    expect(survivors).toEqual([`logToConsole: 'yes' → 'yes_mutated'`]);
  });
});

describe('mutation score over the web corpus', () => {
  const reports: [string, MutationReport][] = [];
  const files = corpusFiles()
    .map((f) => ({ name: f.name, template: parse(f.text) }))
    .filter((f) => f.template.context === 'WEB' && (f.template.tests?.scenarios.length ?? 0) > 0);

  test.each(files.map((f) => [f.name, f] as const))(
    '%s: its scenarios kill some of its mutants',
    (name, f) => {
      const report = mutationScore(f.template);
      reports.push([name, report]);
      expect(report.total).toBeGreaterThan(0);
      expect(report.killed).toBeGreaterThan(0);
    },
  );

  test('total score', () => {
    const sum = (pick: (r: MutationReport) => number) => reports.reduce((n, [, r]) => n + pick(r), 0);
    const killed = sum((r) => r.killed);
    const total = sum((r) => r.total);
    const drops = {
      killed: sum((r) => r.byKind['drop-gtmOnSuccess'].killed),
      total: sum((r) => r.byKind['drop-gtmOnSuccess'].total),
    };
    console.log(
      reports.map(([n, r]) => `${n}: ${r.killed}/${r.total}`).join('\n') +
        `\ntotal: ${killed}/${total} (${((100 * killed) / total).toFixed(1)}%), dropped gtmOnSuccess: ${drops.killed}/${drops.total}`,
    );
    // Survivors are mutants no scenario observes (log texts, cache tokens, untested branches), not
    // runner misses; these floors catch a runner that stops executing code faithfully.
    expect(killed / total).toBeGreaterThan(0.5);
    expect(drops.killed).toBeGreaterThanOrEqual(drops.total - 1);
  });
});
