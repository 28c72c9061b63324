// File I/O shared by the commands, with errors a person can act on.

import { readFileSync } from 'node:fs';
import { CliUsageError } from './args.js';

export function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new CliUsageError(`cannot read ${file}: ${why}`, 'io/read-failed');
  }
}

export function requireFiles(files: string[], command: string): void {
  if (files.length === 0)
    throw new CliUsageError(`no files given: gtm-template ${command} <file.tpl>...`, 'usage/no-files');
}
