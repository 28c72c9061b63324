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
import type { FileReport, TestFileOptions } from './test-file.js';
import type { TestTask, WorkerMessage } from './test-worker.js';

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
   * How long a worker may go without reporting a scenario before it is ended, in ms. Each run has
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
}

/** Workers kept for several runs (the benchmark measures them warm); `close` ends them. */
export class TestWorkerPool {
  private readonly slots: Slot[];
  private readonly entryUrl: string;
  private nextId = 0;

  constructor(private readonly options: TestWorkerOptions & { workers: number; entry: string }) {
    this.slots = Array.from({ length: Math.max(1, options.workers) }, () => ({}));
    this.entryUrl = pathToFileURL(options.entry).href;
  }

  /** Tests every file; reports come back in the order of `inputs`. */
  async run(inputs: readonly TestInput[], options: TestFileOptions): Promise<FileReport[]> {
    const reports: FileReport[] = inputs.map(({ file }) => ({ file, scenarios: [] }));
    const queue: { index: number; startAt: number }[] = inputs.map((_, index) => ({ index, startAt: 0 }));
    const drainQueue = async (slot: Slot) => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const input = inputs[job.index]!;
        const task: TestTask = { id: this.nextId++, ...input, options, startAt: job.startAt };
        const resumeAt = await this.runTask(slot, task, reports[job.index]!);
        if (resumeAt !== undefined) queue.unshift({ index: job.index, startAt: resumeAt });
      }
    };
    await Promise.all(this.slots.map(drainQueue));
    return reports;
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.worker?.terminate()));
    for (const slot of this.slots) slot.worker = undefined;
  }

  private spawn(): Worker {
    const bootstrap = `import(${JSON.stringify(this.entryUrl)}).then((cli) => cli.runTestWorker());`;
    return new Worker(bootstrap, {
      eval: true,
      // The young generation is set too: with the old one alone, V8 gives a worker a small one,
      // and the scenarios' short-lived garbage costs ~10% more CPU in scavenges.
      resourceLimits: {
        maxOldGenerationSizeMb: this.options.memoryLimitMb,
        maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
      },
    });
  }

  /**
   * Runs one task on `slot`'s worker, adding its results to `report`. When the worker is lost, the
   * scenario it was running gets the error, and the index to resume the file at is returned.
   */
  private runTask(slot: Slot, task: TestTask, report: FileReport): Promise<number | undefined> {
    const worker = (slot.worker ??= this.spawn());
    let names: string[] | undefined;
    let next = task.startAt;
    let since = performance.now();
    let failure: Error | undefined;
    let stalled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stallMs = this.options.stallMs ?? DEFAULT_STALL_MS;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        void worker.terminate();
      }, stallMs);
    };
    return new Promise((resolve) => {
      const finish = (resumeAt: number | undefined) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(resumeAt);
      };
      const onMessage = (message: WorkerMessage) => {
        if (message.id !== task.id) return;
        arm();
        if (message.type === 'begin') names = message.names;
        else if (message.type === 'scenario') {
          report.scenarios.push(message.result);
          next++;
          since = performance.now();
        } else {
          if (message.problem) report.problem = message.problem;
          finish(undefined);
        }
      };
      const onError = (err: Error) => {
        failure = err;
      };
      const onExit = (exitCode: number) => {
        slot.worker = undefined;
        const { message, code } = stalled
          ? {
              message: `time limit exceeded: the run stopped responding for ${stallMs} ms (a hang no time check sees, such as a runaway regular expression)`,
              code: 'sandbox/time-limit',
            }
          : lostWorker(failure, exitCode, this.options.memoryLimitMb);
        if (!names) {
          report.problem = `${task.file}: ${message} while reading the file (${code})`;
          return finish(undefined);
        }
        if (next >= names.length) return finish(undefined);
        report.scenarios.push({
          name: names[next]!,
          status: 'error',
          message,
          code,
          ms: performance.now() - since,
        });
        finish(next + 1 < names.length ? next + 1 : undefined);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(task);
      arm();
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
