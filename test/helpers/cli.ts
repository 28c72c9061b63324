// Runs the `gtm-template` command line in this process with stdout and stderr captured.
import { vi } from 'vitest';
import { main } from '../../src/cli.js';

export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(
    (c: string | Uint8Array) => ((out += String(c)), true),
  );
  vi.spyOn(process.stderr, 'write').mockImplementation(
    (c: string | Uint8Array) => ((err += String(c)), true),
  );
  try {
    return { code: await main(argv), out, err };
  } finally {
    vi.restoreAllMocks();
  }
}
