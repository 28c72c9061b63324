// `gtm-template test` on worker threads: files are spread over one worker per core, and each worker
// runs under a memory limit (its `resourceLimits`), so a template that allocates without bound
// loses its own scenario (`sandbox/memory-limit`) instead of taking the process down. The worker
// that hit the limit is replaced, the file resumes after that scenario, and every other file still
// reports. Node-only: the sandbox itself stays free of Node modules.

import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScenarioResult } from '../sandbox/index.js';
import { parse } from '../tpl/index.js';
import type { FileReport, TestFileOptions } from './test-file.js';
import { PROGRESS, PROGRESS_SLOTS, type TaskDone, type TaskFile, type TestTask } from './test-protocol.js';
import { hasNoScenarios } from './test-screen.js';

export interface TestInput {
  file: string;
  text: string;
}

export interface TestWorkerOptions {
  /** How many workers (default: one per core, at most one per file with scenarios). */
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

/**
 * The default heap limit of a worker. Smaller limits make V8 collect garbage more often: at 512 MB
 * the corpus costs about 15% more CPU than at 2048 MB (bench/sandbox.ts, same machine and run).
 */
export const DEFAULT_MEMORY_LIMIT_MB = 2048;

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

/** Where a lost worker was, and why it was lost. */
interface Lost {
  file: number;
  at: number;
  lost: { message: string; code: string; ms: number };
}

/** A task holds up to this many files, or about this much text: fewer, larger messages. */
const CHUNK_FILES = 8;
const CHUNK_BYTES = 512 * 1024;

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
    const notes: (string | undefined)[] = inputs.map(() => undefined);
    // Largest files first, so no worker is left with a big one at the end while the others idle.
    const queue: Job[] = inputs
      .map((_, index) => ({ index, startAt: 0 }))
      .sort((a, b) => inputs[b.index]!.text.length - inputs[a.index]!.text.length);
    // A worker starts only for a task, and costs ~75 ms: until the first file with scenarios comes
    // up, files are screened on this thread, so a run without scenarios starts no worker. From
    // then on the workers answer the rest themselves (screening here would only compete with them
    // for the cores).
    const noScenarios = inputs.map(() => false);
    let screening = true;
    const takeChunk = (): Job[] => {
      const chunk: Job[] = [];
      let size = 0;
      while (queue.length > 0 && chunk.length < CHUNK_FILES && size < CHUNK_BYTES) {
        const job = queue.shift()!;
        if (screening && hasNoScenarios(inputs[job.index]!.text)) {
          noScenarios[job.index] = true;
          continue;
        }
        screening = false;
        chunk.push(job);
        size += inputs[job.index]!.text.length;
      }
      return chunk;
    };
    const drainQueue = async (slot: Slot) => {
      for (let chunk = takeChunk(); chunk.length > 0; chunk = takeChunk()) {
        const files = chunk.map((job) => {
          const item: TaskFile = { ...inputs[job.index]!, startAt: job.startAt };
          if (job.stopAt !== undefined) item.stopAt = job.stopAt;
          return item;
        });
        const outcome = await this.runTask(slot, { id: this.nextId++, options, files });
        if ('reports' in outcome) {
          outcome.reports.forEach((report, i) => {
            const job = chunk[i]!;
            report.scenarios.forEach((r, k) => (results[job.index]![job.startAt + k] = r));
            if (report.problem !== undefined) problems[job.index] = report.problem;
            if (report.note !== undefined) notes[job.index] = report.note;
          });
          continue;
        }
        // The worker was lost in file `file` of the chunk, running its scenario `at` (or reading it,
        // at -1): that scenario gets the error (or the file the problem); everything else of the
        // chunk runs again on a fresh worker.
        const { file, at, lost } = outcome;
        const again: Job[] = [...chunk.slice(0, file), ...chunk.slice(file + 1)];
        const job = chunk[file]!;
        const input = inputs[job.index]!;
        if (at < 0) {
          problems[job.index] = `${input.file}: ${lost.message} while reading the file (${lost.code})`;
        } else {
          const names = (parse(input.text).tests?.scenarios ?? []).map((sc) => sc.name);
          results[job.index]![at] = { name: names[at] ?? `scenario ${at + 1}`, status: 'error', ...lost };
          const end = job.stopAt ?? names.length;
          if (at > job.startAt) again.push({ index: job.index, startAt: job.startAt, stopAt: at });
          if (at + 1 < end) again.push({ index: job.index, startAt: at + 1, stopAt: job.stopAt });
        }
        queue.unshift(...again);
      }
    };
    await Promise.all(this.slots.map(drainQueue));
    return inputs.map(({ file }, i) => {
      if (noScenarios[i]) return { file, scenarios: [] };
      const report: FileReport = { file, scenarios: results[i]!.filter(Boolean) };
      if (problems[i] !== undefined) report.problem = problems[i];
      if (notes[i] !== undefined) report.note = notes[i];
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
   * Runs one task on `slot`'s worker. When the worker is lost, says where it was (the file of the
   * task, the scenario or -1 while reading the file) and why.
   */
  private runTask(slot: Slot, task: TestTask): Promise<TaskDone | Lost> {
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
      const finish = (value: TaskDone | Lost) => {
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
        const lost = { ...why, ms: performance.now() - Math.max(lastChange, started) };
        // Lost before it started the task: the first file takes the blame, the others run again.
        const mine = Atomics.load(progress, PROGRESS.task) === task.id;
        finish({
          file: mine ? Atomics.load(progress, PROGRESS.file) : 0,
          at: mine ? Atomics.load(progress, PROGRESS.scenario) : -1,
          lost,
        });
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
