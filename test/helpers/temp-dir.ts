// Folders under the system's temp directory for one test file, removed when that file's tests
// have run (a run must not leave folders behind on CI machines and developers' disks).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

// Registered when a test file first imports this module: vitest evaluates modules per test file,
// so this runs after that file's tests, whether `tempDir` was called while collecting or in a test.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Makes `<tmp>/<prefix>XXXXXX`, removed after the calling file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
