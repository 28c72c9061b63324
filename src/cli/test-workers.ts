// `gtm-template test` on worker threads: files are spread over one worker per core, and each worker
// runs under a memory limit (its `resourceLimits`), so a template that allocates without bound
// loses its own scenario (`sandbox/memory-limit`) instead of taking the process down. The worker
// that hit the limit is replaced, the file resumes after that scenario, and every other file still
// reports. Node-only: the sandbox itself stays free of Node modules.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { toolchainRoot } from './files.js';
import type { ScenarioResult } from '../sandbox/index.js';
import { parse } from '../tpl/index.js';
import type { FileReport, TestFileOptions } from './test-file.js';
import { PROGRESS, PROGRESS_SLOTS, type TaskDone, type TestTask } from './test-worker.js';

export interface TestInput {
  file: string;
  text: string;
}

export interface TestWorkerOptions {
  /** How many workers (default: one per core, at most one per file). */
  workers?: number;
  /** The old-generation heap limit of each worker, in MB. */
  memoryLimitMb: number;
  /** The built CLI whose `runTestWorker` each worker starts (default: the toolchain's dist/cli.js). */
  entry?: string;
  /**
   * How long a worker may go without finishing a scenario before it is ended, in ms. Each run has
   * its own time limit, which the sandbox enforces itself; this ends only hangs no time check can
   * see (a runaway regular expression inside a built-in).
   */
  stallMs?: number;
}

const DEFAULT_STALL_MS = 10_000;
const YOUNG_GENERATION_MB = 64;

export const DEFAULT_MEMORY_LIMIT_MB = 512;

/** The built CLI a worker starts from, when there is one (not when running from sources alone). */
export function workerEntry(): string | undefined {
  const root = toolchainRoot();
  const cli = root && path.join(root, 'dist', 'cli.js');
  return cli && existsSync(cli) ? cli : undefined;
}

export function defaultWorkerCount(files: number): number {
  return Math.max(1, Math.min(files, availableParallelism()));
}

interface Slot {
  worker?: Worker;
  /** Where the worker is (see PROGRESS in test-worker.ts), shared with it. */
  progress: Int32Array;
}

/** A range of one file's scenarios to run. */
interface Job {
  index: number;
  startAt: number;
  stopAt?: number;
}

/** Workers kept for several runs (the benchmark measures them warm); `close` ends them. */
export class TestWorkerPool {
  private readonly slots: Slot[];
  private readonly entryUrl: string;
  private nextId = 0;

  constructor(private readonly options: TestWorkerOptions & { workers: number; entry: string }) {
    this.slots = Array.from({ length: Math.max(1, options.workers) }, () => ({
      progress: new Int32Array(new SharedArrayBuffer(PROGRESS_SLOTS * Int32Array.BYTES_PER_ELEMENT)),
    }));
    this.entryUrl = pathToFileURL(options.entry).href;
  }

  /** Tests every file; reports come back in the order of `inputs`. */
  async run(inputs: readonly TestInput[], options: TestFileOptions): Promise<FileReport[]> {
    // Results by scenario index: a file cut by a lost worker comes back in more than one piece.
    const results: ScenarioResult[][] = inputs.map(() => []);
    const problems: (string | undefined)[] = inputs.map(() => undefined);
    // Largest files first, so no worker is left with a big one at the end while the others idle.
    const queue: Job[] = inputs
      .map((_, index) => ({ index, startAt: 0 }))
      .sort((a, b) => inputs[b.index]!.text.length - inputs[a.index]!.text.length);
    const drainQueue = async (slot: Slot) => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const input = inputs[job.index]!;
        const task: TestTask = { id: this.nextId++, ...input, options, startAt: job.startAt };
        if (job.stopAt !== undefined) task.stopAt = job.stopAt;
        const outcome = await this.runTask(slot, task);
        if ('problem' in outcome && outcome.problem !== undefined) problems[job.index] = outcome.problem;
        if ('scenarios' in outcome) {
          outcome.scenarios.forEach((r, i) => (results[job.index]![job.startAt + i] = r));
          continue;
        }
        // The worker was lost running scenario `at`: it gets the error; what ran before it in this
        // task and what comes after run again on a fresh worker.
        const { at, lost } = outcome;
        if (at === undefined) continue;
        const names = (parse(input.text).tests?.scenarios ?? []).map((sc) => sc.name);
        results[job.index]![at] = { name: names[at] ?? `scenario ${at + 1}`, status: 'error', ...lost };
        const end = job.stopAt ?? names.length;
        if (at + 1 < end) queue.unshift({ index: job.index, startAt: at + 1, stopAt: job.stopAt });
        if (at > job.startAt) queue.unshift({ index: job.index, startAt: job.startAt, stopAt: at });
      }
    };
    await Promise.all(this.slots.map(drainQueue));
    return inputs.map(({ file }, i) => {
      const report: FileReport = { file, scenarios: results[i]!.filter(Boolean) };
      if (problems[i] !== undefined) report.problem = problems[i];
      return report;
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.worker?.terminate()));
    for (const slot of this.slots) slot.worker = undefined;
  }

  private spawn(slot: Slot): Worker {
    const bootstrap = `import(${JSON.stringify(this.entryUrl)}).then((cli) => cli.runTestWorker());`;
    return new Worker(bootstrap, {
      eval: true,
      workerData: { progress: slot.progress.buffer },
      // The young generation is set too: with the old one alone, V8 gives a worker a small one,
      // and the scenarios' short-lived garbage costs ~10% more CPU in scavenges.
      resourceLimits: {
        maxOldGenerationSizeMb: this.options.memoryLimitMb,
        maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
      },
    });
  }

  /**
   * Runs one task on `slot`'s worker. When the worker is lost, says which scenario it was running
   * (`at`; undefined when it was still reading the file, which then gets the problem) and why.
   */
  private runTask(
    slot: Slot,
    task: TestTask,
  ): Promise<
    TaskDone | { at?: number; problem?: string; lost: { message: string; code: string; ms: number } }
  > {
    const worker = (slot.worker ??= this.spawn(slot));
    const { progress } = slot;
    const stallMs = this.options.stallMs ?? DEFAULT_STALL_MS;
    const started = performance.now();
    let failure: Error | undefined;
    let stalled = false;
    // The worker beats at every scenario's end; a beat that stands still for stallMs is a hang.
    let lastBeat = Atomics.load(progress, PROGRESS.beat);
    let lastChange = performance.now();
    const watch = setInterval(
      () => {
        const beat = Atomics.load(progress, PROGRESS.beat);
        if (beat !== lastBeat) {
          lastBeat = beat;
          lastChange = performance.now();
        } else if (performance.now() - lastChange >= stallMs) {
          stalled = true;
          void worker.terminate();
        }
      },
      Math.max(10, Math.min(1000, stallMs / 4)),
    );
    return new Promise((resolve) => {
      const finish = (value: Awaited<ReturnType<TestWorkerPool['runTask']>>) => {
        clearInterval(watch);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(value);
      };
      const onMessage = (done: TaskDone) => {
        if (done.id === task.id) finish(done);
      };
      const onError = (err: Error) => {
        failure = err;
      };
      const onExit = (exitCode: number) => {
        slot.worker = undefined;
        const why = stalled
          ? {
              message: `time limit exceeded: the run stopped making progress for ${stallMs} ms (a hang no time check sees, such as a runaway regular expression)`,
              code: 'sandbox/time-limit',
            }
          : lostWorker(failure, exitCode, this.options.memoryLimitMb);
        const lost = { ...why, ms: performance.now() - lastChange };
        const mine = Atomics.load(progress, PROGRESS.task) === task.id;
        const at = mine ? Atomics.load(progress, PROGRESS.scenario) : -1;
        if (at < 0) {
          return finish({
            problem: `${task.file}: ${why.message} while reading the file (${why.code})`,
            lost,
          });
        }
        finish({ at, lost: { ...lost, ms: Math.min(lost.ms, performance.now() - started) } });
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(task);
    });
  }
}

function lostWorker(
  err: Error | undefined,
  exitCode: number,
  limitMb: number,
): { message: string; code: string } {
  if ((err as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return {
      message: `memory limit exceeded: the run needed more than the ${limitMb} MB a test worker may use (raise it with --memory-limit)`,
      code: 'sandbox/memory-limit',
    };
  }
  return {
    message: `the test worker stopped: ${err?.message ?? `exit code ${exitCode}`}`,
    code: 'test/worker-failed',
  };
}

/** Tests `inputs` on fresh workers and ends them afterwards. */
export async function testInWorkers(
  inputs: readonly TestInput[],
  options: TestFileOptions,
  pool: TestWorkerOptions & { entry: string },
): Promise<FileReport[]> {
  const workers = pool.workers ?? defaultWorkerCount(inputs.length);
  const running = new TestWorkerPool({ ...pool, workers });
  try {
    return await running.run(inputs, options);
  } finally {
    await running.close();
  }
}
