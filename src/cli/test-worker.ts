// The worker side of test-workers.ts: runs the files it is sent and answers with their results in
// one message. Where it is in the current file lives in memory shared with the main thread, so a
// worker lost mid-file (memory limit) costs only the scenario it was running, and a worker that
// stops making progress can be told apart from one that is busy.

import { parentPort, workerData } from 'node:worker_threads';
import type { ScenarioResult } from '../sandbox/index.js';
import { testFile, type TestFileOptions } from './test-file.js';

/** A file, or a range of its scenarios, to test. */
export interface TaskFile {
  file: string;
  text: string;
  startAt: number;
  /** Stop before this scenario index (the rest of the file is another task). */
  stopAt?: number;
}

/** Files to test, from the main thread (several per message: messages cost more than small files). */
export interface TestTask {
  id: number;
  options: TestFileOptions;
  files: TaskFile[];
}

/** A worker's answer to a task: per file, the results of its scenarios in order. */
export interface TaskDone {
  id: number;
  reports: { scenarios: ScenarioResult[]; problem?: string }[];
}

/** Slots of the shared progress record (an Int32Array over `workerData.progress`). */
export const PROGRESS = {
  /** The id of the task being run. */
  task: 0,
  /** The index, in the task, of the file being run. */
  file: 1,
  /** The index of the scenario being run; -1 while the file is read. */
  scenario: 2,
  /** Counts up at every scenario's end: a worker whose count stands still is stuck. */
  beat: 3,
} as const;
export const PROGRESS_SLOTS = 4;

export function serveTestWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('serveTestWorker runs in a worker thread');
  const progress = new Int32Array((workerData as { progress: SharedArrayBuffer }).progress);
  port.on('message', (task: TestTask) => {
    Atomics.store(progress, PROGRESS.task, task.id);
    const reports = task.files.map((item, index) => {
      Atomics.store(progress, PROGRESS.scenario, -1);
      Atomics.store(progress, PROGRESS.file, index);
      let at = item.startAt;
      const report = testFile(item.file, item.text, task.options, {
        startAt: item.startAt,
        stopAt: item.stopAt,
        // The pool ends a worker that stops making progress: no watchdog thread per file here.
        watchdog: false,
        onBegin: () => Atomics.store(progress, PROGRESS.scenario, at),
        onResult: () => {
          Atomics.store(progress, PROGRESS.scenario, ++at);
          Atomics.add(progress, PROGRESS.beat, 1);
        },
      });
      return report.problem
        ? { scenarios: report.scenarios, problem: report.problem }
        : { scenarios: report.scenarios };
    });
    const done: TaskDone = { id: task.id, reports };
    port.postMessage(done);
  });
}
