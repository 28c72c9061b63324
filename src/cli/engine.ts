// V8 tuning for the `gtm-template` executable's own process (bin/gtm-template.js applies it before
// the command runs; a program that imports the library keeps its engine as it is).
//
// `check` and `test` are short batches over code that starts cold: a few hundred templates, each
// parsed (acorn, yaml) and checked or run once. In such a run V8's optimizing compiler (TurboFan)
// keeps a second core busy compiling the hot functions, and most of that work is inlining, which
// a run of about a second never pays back. Without TurboFan's inlining (the functions are still
// optimized), measured on the 290 corpus files on this 2-core machine, interleaved runs, medians:
// - `check`: 0.93 s → 0.80 s wall, 1.41 s → 1.12 s CPU over all threads;
// - `test`: 0.88 s → 0.82 s wall on its default workers, 0.85 s → 0.78 s with `--workers 0`
//   (its start is faster; once its workers are warm, a pass is as fast either way).
// Other flags measured there and left alone, being no faster: no TurboFan at all, Maglev, eager
// Sparkplug, eager feedback vectors, a larger young generation; a second `check` thread is
// slower either way (both threads warm up the same code). Flags change how fast code runs, never
// what it does.

import { setFlagsFromString } from 'node:v8';

const BATCH_FLAGS: Readonly<Record<string, readonly string[]>> = {
  check: ['--no-turbo-inlining'],
  test: ['--no-turbo-inlining'],
};

/**
 * Sets the V8 flags for the command `argv` starts (its first argument), before the command loads.
 * Returns the flags set. Flags are process-wide: the command's worker threads run with them too.
 */
export function tuneEngineFor(argv: readonly string[]): readonly string[] {
  const flags = BATCH_FLAGS[argv[0] ?? ''] ?? [];
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}
