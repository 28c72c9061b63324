// `gtm-template check` on several threads: with many files, the files are split by size between
// this thread and worker threads, each checking its share with `checkSource`. The
// checker is pure, so the result is the same as one thread's, in the order the files were given.
// Few files (or one core, or no built CLI to start a worker from) are checked here alone: a
// worker costs a start-up that a handful of files does not repay.
// Splitting by stage instead (a worker checks every file's code, this thread the rest, so each
// warms up only its own half of the checker) was measured slower on two cores: one cold pass over
// the 290 corpus files took 0.91–1.11 s against 0.64–0.82 s on one thread (4 interleaved runs),
// as both threads still read every file and V8's own threads already keep the second core busy.

import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker, workerData, parentPort } from 'node:worker_threads';
import { checkSource } from '../check/index.js';
import type { Diagnostic } from '../diagnostics.js';
import { workerEntry } from './files.js';

/** Below this many bytes of templates, one thread is faster than starting a worker. */
const MIN_BYTES_FOR_WORKERS = 1_500_000;
/** This thread's share: it starts at once, while a worker first loads the toolchain. */
const OWN_SHARE_BONUS = 1.15;

export interface CheckInput {
  file: string;
  text: string;
}

/**
 * How many threads check by default: one per two cores. Checking a few hundred files is mostly a
 * cold start, so each thread's V8 keeps about one more core busy compiling its hot code and
 * collecting garbage in the background (measured: on two cores, a second checking thread adds
 * ~0.5 s of such CPU time to the ~0.55 s of the main thread, and finishes no sooner).
 */
function defaultThreads(totalBytes: number): number {
  return totalBytes < MIN_BYTES_FOR_WORKERS ? 1 : Math.max(1, Math.floor(availableParallelism() / 2));
}

/**
 * The findings of each input, in input order. `threads`: how many threads check (this one and
 * `threads - 1` workers); by default one per two cores once the files are large enough.
 */
export async function checkFiles(inputs: readonly CheckInput[], threads?: number): Promise<Diagnostic[][]> {
  const total = inputs.reduce((n, i) => n + i.text.length, 0);
  const entry = workerEntry();
  threads = Math.min(threads ?? defaultThreads(total), inputs.length);
  if (threads < 2 || !entry) return inputs.map((i) => checkSource(i.text));

  // Contiguous shares of about equal size; this thread's a little larger.
  const weights = Array.from({ length: threads }, (_, t) => (t === 0 ? OWN_SHARE_BONUS : 1));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const shares: number[][] = weights.map(() => []);
  let t = 0;
  let filled = 0;
  inputs.forEach((input, index) => {
    if (t < threads - 1 && filled >= (total * weights.slice(0, t + 1).reduce((a, b) => a + b, 0)) / weightSum)
      t++;
    shares[t]!.push(index);
    filled += input.text.length;
  });

  const results: Diagnostic[][] = new Array(inputs.length);
  const bootstrap = `import(${JSON.stringify(pathToFileURL(entry).href)}).then((cli) => cli.runCheckWorker());`;
  const workers = shares.slice(1).map(
    (share) =>
      new Promise<void>((resolve) => {
        const worker = new Worker(bootstrap, { eval: true, workerData: share.map((i) => inputs[i]!.text) });
        worker.once('message', (found: Diagnostic[][]) => {
          share.forEach((index, k) => (results[index] = found[k]!));
          resolve();
        });
        // A worker that fails leaves its files unchecked; they are checked here below.
        worker.once('error', () => resolve());
        worker.once('exit', () => resolve());
      }),
  );
  for (const index of shares[0]!) results[index] = checkSource(inputs[index]!.text);
  await Promise.all(workers);
  // A worker that failed leaves holes: check those files here rather than lose them.
  return inputs.map((input, i) => results[i] ?? checkSource(input.text));
}

/** The worker side: checks the texts it was started with and posts their findings back. */
export function serveCheckWorker(): void {
  const texts = workerData as string[];
  parentPort!.postMessage(texts.map((text) => checkSource(text)));
}
