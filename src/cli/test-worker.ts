// The worker side of test-workers.ts: runs the files it is sent and answers with their results in
// one message. Where it is in the current file lives in memory shared with the main thread, so a
// worker lost mid-file (memory limit) costs only the scenario it was running, and a worker that
// stops making progress can be told apart from one that is busy.

import { parentPort, workerData } from 'node:worker_threads';
import { testFile } from './test-file.js';
import { PROGRESS, type TaskDone, type TestTask } from './test-protocol.js';

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
      const { file: _file, ...found } = report;
      return found;
    });
    const done: TaskDone = { id: task.id, reports };
    port.postMessage(done);
  });
}
