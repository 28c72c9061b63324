// What the test workers and the main thread say to each other (test-workers.ts, test-worker.ts).
// Types and constants only: the main thread loads this without the runtime, which only the
// workers run.

import type { ScenarioResult } from '../sandbox/index.js';
import type { TestFileOptions } from './test-file.js';

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
  reports: { scenarios: ScenarioResult[]; problem?: string; note?: string }[];
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
