// `npm run bench` part for the sandbox: the median time of one `runTemplate` firing of a corpus
// template, of one scenario, and of all corpus scenarios in one process (aim, issue 3: at least
// 300 scenarios per second on the 2-core CI machine), plus the mutation score of the corpus tests.
// Run alone with: node scripts/run-ts.js bench/sandbox.ts

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runTemplate, runTests } from '../src/sandbox/index.js';
import { mutationScore } from '../src/sandbox/mutation-score.js';
import { parse, type Template } from '../src/tpl/index.js';
import { measure, printTable, type Measurement } from './measure.js';

function corpusTemplates(
  // Resolved from the working directory: benchmarks run bundled, so import.meta.url is elsewhere.
  dir = process.env.GTM_CORPUS_DIR ?? path.resolve(process.cwd(), '../shared/corpus'),
): { name: string; template: Template }[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.tpl'))
    .sort()
    .map((name) => ({ name, template: parse(readFileSync(path.join(dir, name), 'utf8')) }));
}

export async function run(): Promise<void> {
  const all = corpusTemplates();
  const withTests = all.filter((f) => (f.template.tests?.scenarios.length ?? 0) > 0);
  const web = withTests.filter((f) => f.template.context === 'WEB');
  const scenarioCount = withTests.reduce((n, f) => n + f.template.tests!.scenarios.length, 0);

  // One firing of a tag that injects a script, sets globals and calls back (LinkedIn's Insight tag).
  // The injected Insight script defines window.lintrk, as the real one does (without it the tag
  // re-checks forever through callLater, in GTM too).
  const linkedin = all.find((f) => f.name.startsWith('linkedin+'))!.template;
  const world = {
    scripts: { 'https://snap.licdn.com/': (w: Record<string, unknown>) => void (w.lintrk = () => {}) },
  };
  const firing = await measure(
    'runTemplate: one firing of the LinkedIn tag (fresh realm + page)',
    () => {
      const r = runTemplate(linkedin, { partnerId: '123', conversionId: '1,2' }, world);
      if (r.outcome !== 'success') throw new Error(`LinkedIn firing: ${r.outcome} ${r.error ?? ''}`);
    },
    { runs: 200, warmup: 20 },
  );

  const runAll = () => {
    for (const f of withTests) runTests(f.template);
  };
  const corpusRun = await measure(
    `all corpus scenarios (${scenarioCount}, ${withTests.length} files)`,
    runAll,
    {
      runs: 15,
      warmup: 2,
    },
  );
  const perScenario: Measurement = {
    name: 'one scenario (corpus run median / scenario count)',
    runs: corpusRun.runs,
    medianMs: corpusRun.medianMs / scenarioCount,
    p90Ms: corpusRun.p90Ms / scenarioCount,
    minMs: corpusRun.minMs / scenarioCount,
  };
  printTable('sandbox: runTemplate and ___TESTS___ scenarios', [firing, corpusRun, perScenario]);
  console.log(
    `scenarios per second over the corpus: ${((1000 * scenarioCount) / corpusRun.medianMs).toFixed(0)} (aim: >= 300)`,
  );

  // Server scenarios of both corpus folders (they settle promises, HTTP callbacks and callLater
  // before they end), printed beside the figure above.
  const wideDir = process.env.GTM_CORPUS_WIDE_DIR ?? path.resolve(process.cwd(), '../shared/corpus-wide');
  const serverFiles = [...all, ...corpusTemplates(wideDir)].filter(
    (f) => f.template.context === 'SERVER' && (f.template.tests?.scenarios?.length ?? 0) > 0,
  );
  const serverCount = serverFiles.reduce((n, f) => n + f.template.tests!.scenarios.length, 0);
  const serverRun = await measure(
    `server scenarios of both folders (${serverCount}, ${serverFiles.length} files)`,
    () => {
      for (const f of serverFiles) runTests(f.template);
    },
    { runs: 15, warmup: 2 },
  );
  printTable('sandbox: server ___TESTS___ scenarios', [serverRun]);
  console.log(
    `server scenarios per second: ${((1000 * serverCount) / serverRun.medianMs).toFixed(0)} ` +
      `(beside: ${((1000 * scenarioCount) / corpusRun.medianMs).toFixed(0)} per second over ../shared/corpus)`,
  );

  const start = performance.now();
  let killed = 0;
  let total = 0;
  console.log('\n## sandbox: mutation score of the web corpus scenarios');
  console.log('| template | killed | mutants | dropped gtmOnSuccess | API literals | flipped conditions |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const f of web) {
    const r = mutationScore(f.template);
    killed += r.killed;
    total += r.total;
    const k = (kind: keyof typeof r.byKind) => `${r.byKind[kind].killed}/${r.byKind[kind].total}`;
    console.log(
      `| ${f.name} | ${r.killed} | ${r.total} | ${k('drop-gtmOnSuccess')} | ${k('api-literal')} | ${k('flip-condition')} |`,
    );
  }
  console.log(
    `| total | ${killed} | ${total} (${((100 * killed) / total).toFixed(1)}%) | | | |\n` +
      `(mutation run took ${(performance.now() - start).toFixed(0)} ms)`,
  );
}

if (process.argv[1]?.endsWith(path.join('bench', 'sandbox.ts'))) await run();
