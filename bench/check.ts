// `npm run bench` part for the checker: how long `checkSource` (parse + check) takes per corpus file
// and for the whole corpus in one process. Aim (issue 2): the whole corpus in under 1.5 s.
// Run alone with: node scripts/run-ts.js bench/check.ts

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkSource } from '../src/check/index.js';
import { measure, printTable, type Measurement } from './measure.js';

function corpus(): { name: string; text: string }[] {
  // Resolved from the working directory: benchmarks run bundled, so import.meta.url is elsewhere.
  const dir = process.env.GTM_CORPUS_DIR ?? path.resolve(process.cwd(), '../shared/corpus');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.tpl'))
    .sort()
    .map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export async function run(): Promise<void> {
  const files = corpus();
  const checkAll = () => {
    for (const f of files) checkSource(f.text);
  };

  // The first pass in a fresh process, as `gtm-template check` on the whole corpus sees it.
  const coldStart = performance.now();
  checkAll();
  const coldMs = performance.now() - coldStart;

  const perFile: Measurement[] = [];
  for (const f of files)
    perFile.push(await measure(f.name, () => checkSource(f.text), { runs: 21, warmup: 2 }));
  const medians = perFile.map((m) => m.medianMs).sort((a, b) => a - b);
  const acrossFiles: Measurement = {
    name: `one corpus file (median of the ${files.length} per-file medians)`,
    runs: files.length,
    medianMs: quantile(medians, 0.5),
    p90Ms: quantile(medians, 0.9),
    minMs: medians[0]!,
  };
  const total = await measure(`whole corpus, ${files.length} files`, checkAll, { runs: 15, warmup: 2 });
  const cold: Measurement = {
    name: 'whole corpus, first pass in a fresh process',
    runs: 1,
    medianMs: coldMs,
    p90Ms: coldMs,
    minMs: coldMs,
  };

  printTable('check: parse + check of the corpus (aim: whole corpus < 1500 ms)', [acrossFiles, total, cold]);
  const slowest = [...perFile].sort((a, b) => b.medianMs - a.medianMs).slice(0, 3);
  printTable('check: the three slowest corpus files', slowest);
}

if (process.argv[1]?.endsWith(path.join('bench', 'check.ts'))) await run();
