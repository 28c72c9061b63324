// Timing helpers for `npm run bench`: medians over repeated runs, since these machines are shared
// and noisy; compare figures only within one run.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

export interface Measurement {
  name: string;
  runs: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Wall time of `gtm-template <args>` in a new Node process (the CLI of the folder the bench runs
 * in). Exit code 1 is the command's "findings" or "failures" answer (the corpora's known-bad files
 * and known failures); any other failure throws.
 */
export function freshProcessMs(args: string[]): number {
  const started = performance.now();
  try {
    execFileSync(process.execPath, [path.resolve(process.cwd(), 'bin/gtm-template.js'), ...args], {
      stdio: 'ignore',
    });
  } catch (err) {
    if ((err as { status?: number }).status !== 1) throw err;
  }
  return performance.now() - started;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times, and reports the median and p90. */
export async function measure(
  name: string,
  fn: () => unknown | Promise<unknown>,
  { runs = 50, warmup = 5 }: { runs?: number; warmup?: number } = {},
): Promise<Measurement> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { name, runs, medianMs: quantile(times, 0.5), p90Ms: quantile(times, 0.9), minMs: times[0]! };
}

export function printTable(title: string, rows: Measurement[]): void {
  console.log(`\n## ${title}`);
  console.log('| what | runs | median ms | p90 ms | min ms |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.runs} | ${r.medianMs.toFixed(3)} | ${r.p90Ms.toFixed(3)} | ${r.minMs.toFixed(3)} |`,
    );
  }
}
