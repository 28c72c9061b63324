// Shared by the compiler suites: the fixture project, compiled once per test file, and a way to
// compile small projects from memory.
import path from 'node:path';
import { compile, compileSources, type CompileResult } from '../../src/compile/index.js';
import { loadConfig, type ProjectSources } from '../../src/compile/project.js';
import { repoRoot } from '../helpers/corpus.js';

export const fixtureDir = path.join(repoRoot, 'test/fixtures/lowering');
/** The server tag fixture: reads event data, sends an HTTP request, reports the outcome. */
export const serverFixtureDir = path.join(repoRoot, 'test/fixtures/server-tag');

let fixture: Promise<CompileResult> | undefined;
export function compiledFixture(): Promise<CompileResult> {
  fixture ??= compile(fixtureDir);
  return fixture;
}

let serverFixture: Promise<CompileResult> | undefined;
export function compiledServerFixture(): Promise<CompileResult> {
  serverFixture ??= compile(serverFixtureDir);
  return serverFixture;
}

/** `template.json` with `value`, checked as a project holding the files it names. */
export const configOf = (value: unknown) =>
  loadConfig({
    root: '/p',
    files: new Map([
      ['template.json', JSON.stringify(value)],
      ['src/main.ts', ''],
      ['src/fields.ts', ''],
    ]),
  });

/** The smallest valid template.json. */
export const BASE_CONFIG = {
  displayName: 'T',
  description: 'd',
  type: 'TAG',
  brand: { displayName: 'b' },
  fields: { file: 'src/fields.ts', type: 'Fields' },
  main: 'src/main.ts',
};

const BASE_FIELDS = 'export interface Fields {\n  /** @title Name */\n  name?: string;\n}\n';

/**
 * Compiles a project held in memory. It lives (virtually) under test/fixtures so that module
 * resolution and the 'gtm' typings work as for a real project.
 */
export function compileMemory(
  files: Record<string, string>,
  config: Record<string, unknown> = {},
): Promise<CompileResult> {
  const sources: ProjectSources = {
    root: path.join(repoRoot, 'test/fixtures/in-memory'),
    files: new Map<string, string | Uint8Array>([
      ['template.json', JSON.stringify({ ...BASE_CONFIG, ...config })],
      ['src/fields.ts', BASE_FIELDS],
    ]),
  };
  for (const [name, text] of Object.entries(files)) sources.files.set(name, text);
  return compileSources(sources);
}

/** A tag main module around `body` (which sees `data`). */
export function tagMain(body: string, imports = ''): string {
  return (
    `${imports}\nimport type { TagData } from 'gtm';\nimport type { Fields } from './fields';\n` +
    `export default function main(data: TagData<Fields>): void {\n${body}\n  data.gtmOnSuccess();\n}\n`
  );
}
