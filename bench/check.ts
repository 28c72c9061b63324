// `npm run bench` part for the checker, over both corpora (../shared/corpus and
// ../shared/corpus-wide, 290 files):
// - `gtm-template check` on all of them in a fresh process, as a user runs it (Node start-up, module
//   loading and the first, unoptimised pass included): by default, on two threads and on one.
//   Aim (issue 8): ≤ 0.5 s on a 2-core machine.
// - where a fresh process's time goes: start-up (one small file), and one cold pass of the stages
//   (sections only; sections and all JavaScript parsed; the whole check), each in a new process.
// - in one process: `checkSource` (parse + check) per file, and the whole set once warm.
// Run alone with: node scripts/run-ts.js bench/check.ts

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { checkSource } from '../src/check/index.js';
import { freshProcessMs, measure, printTable, type Measurement } from './measure.js';

// Resolved from the working directory: benchmarks run bundled, so import.meta.url is elsewhere.
const root = process.cwd();

function folder(dir: string): { name: string; path: string; text: string }[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.tpl'))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      return { name, path: file, text: readFileSync(file, 'utf8') };
    });
}

function corpora(): { name: string; path: string; text: string }[] {
  const corpus = process.env.GTM_CORPUS_DIR ?? path.resolve(root, '../shared/corpus');
  const wide = process.env.GTM_CORPUS_WIDE_DIR ?? path.resolve(root, '../shared/corpus-wide');
  return [...folder(corpus), ...folder(wide)];
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Median over `runs` new processes of one cold pass of `stage` (bench/check-cold.ts), and the
 * median CPU time those processes spent in the pass, all their threads.
 */
function coldStage(stage: string, files: string[], runs: number): Measurement & { cpuMs: number } {
  const script = path.join(root, 'bench/check-cold.ts');
  const once = () =>
    JSON.parse(
      execFileSync(process.execPath, [path.join(root, 'scripts/run-ts.js'), script, stage, ...files], {
        encoding: 'utf8',
      }),
    ) as { ms: number; cpuMs: number };
  const passes = Array.from({ length: runs }, once);
  const times = passes.map((p) => p.ms).sort((a, b) => a - b);
  const cpu = passes.map((p) => p.cpuMs).sort((a, b) => a - b);
  return {
    cpuMs: quantile(cpu, 0.5),
    name: '',
    runs,
    medianMs: quantile(times, 0.5),
    p90Ms: quantile(times, 0.9),
    minMs: times[0]!,
  };
}

export async function run(): Promise<void> {
  const files = corpora();
  const checkAll = () => {
    for (const f of files) checkSource(f.text);
  };

  const paths = files.map((f) => f.path);
  const fresh = await measure(
    `gtm-template check, ${files.length} files, fresh process (default: one thread per two cores)`,
    () => freshProcessMs(['check', ...paths]),
    { runs: 7, warmup: 1 },
  );
  const freshTwoThreads = await measure(
    `gtm-template check --workers 2, ${files.length} files, fresh process`,
    () => freshProcessMs(['check', '--workers', '2', ...paths]),
    { runs: 7, warmup: 1 },
  );
  const freshOneThread = await measure(
    `gtm-template check --workers 1, ${files.length} files, fresh process`,
    () => freshProcessMs(['check', '--workers', '1', ...paths]),
    { runs: 7, warmup: 1 },
  );

  // Where the fresh process's time goes.
  const smallest = [...files].sort((a, b) => a.text.length - b.text.length)[0]!;
  const startUp = await measure(
    `gtm-template check, 1 file (${smallest.text.length} bytes), fresh process: start-up and module loading`,
    () => freshProcessMs(['check', smallest.path]),
    { runs: 7, warmup: 1 },
  );
  const stages = [
    ['parse', 'reading the sections (JSON, YAML)'],
    ['parse+js', 'the sections and every piece of JavaScript parsed (acorn), no rules'],
    ['check', 'the whole check'],
  ].map(([stage, what]) => ({
    ...coldStage(stage!, paths, 5),
    name: `cold pass in a new process, ${files.length} files: ${what}`,
  }));

  // The first pass in this process (modules already loaded, code not yet optimised).
  const firstStart = performance.now();
  checkAll();
  const firstMs = performance.now() - firstStart;

  const perFile: Measurement[] = [];
  for (const f of files)
    perFile.push(await measure(f.name, () => checkSource(f.text), { runs: 9, warmup: 1 }));
  const medians = perFile.map((m) => m.medianMs).sort((a, b) => a - b);
  const acrossFiles: Measurement = {
    name: `one file (median of the ${files.length} per-file medians)`,
    runs: files.length,
    medianMs: quantile(medians, 0.5),
    p90Ms: quantile(medians, 0.9),
    minMs: medians[0]!,
  };
  const total = await measure(`all ${files.length} files, warm, one process`, checkAll, {
    runs: 7,
    warmup: 1,
  });
  const first: Measurement = {
    name: `all ${files.length} files, first pass in this process`,
    runs: 1,
    medianMs: firstMs,
    p90Ms: firstMs,
    minMs: firstMs,
  };

  printTable(`check over both corpora (aim: fresh process ≤ 500 ms for ${files.length} files)`, [
    fresh,
    freshTwoThreads,
    freshOneThread,
    startUp,
    ...stages,
    first,
    total,
    acrossFiles,
  ]);
  // The figures above are wall time on a shared machine: say how busy it was while they were taken.
  const whole = stages[2]!;
  console.log(
    `a cold pass of the whole check keeps ${(whole.cpuMs / whole.medianMs).toFixed(2)} cores busy ` +
      `(${whole.cpuMs.toFixed(0)} ms of CPU time, all threads: its own plus V8's compiler and collector, ` +
      `in ${whole.medianMs.toFixed(0)} ms; medians); load average ${loadavg()[0]!.toFixed(1)} on ` +
      `${availableParallelism()} cores while measured`,
  );
  const slowest = [...perFile].sort((a, b) => b.medianMs - a.medianMs).slice(0, 3);
  printTable('check: the three slowest files', slowest);
}

if (process.argv[1]?.endsWith(path.join('bench', 'check.ts'))) await run();
