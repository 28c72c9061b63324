// The worker side of test-workers.ts: runs the files it is sent and reports each scenario as soon
// as it is known, so a worker lost mid-file (memory limit) costs only the scenario it was running.

import { parentPort } from 'node:worker_threads';
import { testFile, type TestFileOptions } from './test-file.js';

/** A file to test, from the main thread. */
export interface TestTask {
  id: number;
  file: string;
  text: string;
  options: TestFileOptions;
  startAt: number;
}

/** What a worker reports about a task. */
export type WorkerMessage =
  | { type: 'begin'; id: number; names: string[] }
  | { type: 'scenario'; id: number; result: import('../sandbox/index.js').ScenarioResult }
  | { type: 'done'; id: number; problem?: string };

export function serveTestWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('serveTestWorker runs in a worker thread');
  const send = (message: WorkerMessage) => port.postMessage(message);
  port.on('message', (task: TestTask) => {
    const report = testFile(task.file, task.text, task.options, {
      startAt: task.startAt,
      // The pool terminates a worker that stops reporting: no watchdog thread per file here.
      watchdog: false,
      onBegin: (names) => send({ type: 'begin', id: task.id, names }),
      onResult: (result) => send({ type: 'scenario', id: task.id, result }),
    });
    send({ type: 'done', id: task.id, ...(report.problem ? { problem: report.problem } : {}) });
  });
}
