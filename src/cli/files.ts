// File I/O shared by the commands, with errors a person can act on.

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliUsageError } from './args.js';

/** Where a file stops being UTF-8: its first byte that is not part of a valid UTF-8 sequence. */
export interface NotUtf8 {
  byte: number;
  /** 1-based, in the text as decoded (each invalid byte read as one U+FFFD). */
  line: number;
  column: number;
}

/**
 * A file's text, decoded as UTF-8, and where its bytes are not UTF-8, if anywhere. Decoding puts
 * U+FFFD in place of such bytes, so a command that writes the text back would lose them.
 */
export function readTemplateFile(file: string): { text: string; notUtf8?: NotUtf8 } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new CliUsageError(`cannot read ${file}: ${why}`, 'io/read-failed');
  }
  const text = bytes.toString('utf8');
  if (isUtf8(bytes)) return { text };
  // Up to the first bad byte every character is what the bytes say, so byte offsets add up; the
  // first U+FFFD that the bytes do not spell (EF BF BD) is where they stop being UTF-8.
  let offset = 0;
  let line = 1;
  let column = 1;
  for (const char of text) {
    if (
      char === '\ufffd' &&
      !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)
    )
      return { text, notUtf8: { byte: bytes[offset]!, line, column } };
    offset += Buffer.byteLength(char, 'utf8');
    if (char === '\n') {
      line++;
      column = 1;
    } else column += char.length;
  }
  return { text };
}

/** A file's text, decoded as UTF-8 (see `readTemplateFile` for where it is not). */
export function readTextFile(file: string): string {
  return readTemplateFile(file).text;
}

/** `byte 0xE9 at line 3, column 64`. */
export function describeNotUtf8(where: NotUtf8): string {
  return `byte 0x${where.byte.toString(16).toUpperCase().padStart(2, '0')} at line ${where.line}, column ${where.column}`;
}

export function requireFiles(files: string[], command: string): void {
  if (files.length === 0)
    throw new CliUsageError(`no files given: gtm-template ${command} <file.tpl>...`, 'usage/no-files');
}

/** Folders a search for templates does not enter: installed packages and hidden folders (.git). */
function skippedFolder(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

function templatesBelow(dir: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skippedFolder(entry.name)) templatesBelow(full, out);
    } else if (entry.name.endsWith('.tpl')) out.push(full);
  }
}

/**
 * The files a command works on: each argument as given, except that a folder stands for every
 * `.tpl` file below it (in name order; `node_modules` and hidden folders are not entered), as
 * linters and formatters read a folder. A folder without one is a usage error, so a mistyped
 * folder is not taken for a clean run; a missing path stays as given, for the read error. A file
 * reached twice is kept once.
 */
export function templateFiles(args: string[], command: string): string[] {
  requireFiles(args, command);
  const files: string[] = [];
  for (const arg of args) {
    let isFolder = false;
    try {
      isFolder = statSync(arg).isDirectory();
    } catch {
      // Missing or unreadable: reading it reports why.
    }
    if (!isFolder) {
      files.push(arg);
      continue;
    }
    const found: string[] = [];
    templatesBelow(arg, found);
    if (found.length === 0)
      throw new CliUsageError(
        `no .tpl files in the folder ${arg}: give template files, or a folder that holds some`,
        'usage/no-templates-in-folder',
      );
    files.push(...found);
  }
  // A file named twice (`dir dir/a.tpl`) is worked on once, where it first appears.
  const seen = new Set<string>();
  return files.filter((file) => {
    const key = path.resolve(file);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The toolchain's own package folder and package.json (found above this module, from src/ or dist/). */
function findToolchain(): { root: string; pkg: { name: string; version: string } } | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'gtm-template' && pkg.version)
        return { root: dir, pkg: { name: pkg.name, version: pkg.version } };
    }
    dir = path.dirname(dir);
  }
  return undefined;
}

/** The toolchain's own package.json. */
export function toolchainPackage(): { name: string; version: string } {
  return findToolchain()?.pkg ?? { name: 'gtm-template', version: '0.0.0' };
}

/** The toolchain's package folder (holding `dist/`), when it can be found. */
export function toolchainRoot(): string | undefined {
  return findToolchain()?.root;
}

/** The built CLI a worker thread starts from, when there is one (not when running from sources alone). */
export function workerEntry(): string | undefined {
  const root = toolchainRoot();
  const cli = root && path.join(root, 'dist', 'cli.js');
  return cli && existsSync(cli) ? cli : undefined;
}

/**
 * Why `dir` cannot receive a new project, or undefined when it is missing or empty (a `.git` folder
 * alone counts as empty, so `git init` may come first).
 */
export function notEmptyReason(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) return `'${dir}' is a file, not a folder`;
  const entries = readdirSync(dir).filter((name) => name !== '.git');
  if (entries.length === 0) return undefined;
  const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '');
  return `'${dir}' is not empty (${shown}): a new project needs an empty or new folder, so that nothing there is overwritten`;
}

/** Writes project-relative files below `dir`, creating folders. */
export function writeProjectFiles(dir: string, files: Map<string, string | Uint8Array>): void {
  for (const [rel, content] of files) {
    const target = path.join(dir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}
