// Shared by the compiler suites: the fixture project, compiled once per test file, and a way to
// compile small projects from memory.
import path from 'node:path';
import { build } from 'esbuild';
import { projectPlugin } from '../../src/compile/bundle.js';
import { compile, compileSources, type CompileResult } from '../../src/compile/index.js';
import { loadConfig, readProject, type ProjectSources } from '../../src/compile/project.js';
import { serverApiAccess } from '../../src/gtm/api-access.js';
import type { ApiUsage, StaticValue } from '../../src/js/api-usage.js';
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

/** An argument whose value the code does not fix. */
export const UNKNOWN = Symbol('unknown');

/** A concrete value for what is known of an argument (a prefix gets a sample continuation). */
function sample(value: StaticValue | undefined, prefixes: boolean): unknown {
  if (!value) return undefined;
  switch (value.kind) {
    case 'string':
    case 'constant':
      return value.value;
    case 'prefix':
      return prefixes ? value.prefix + 'x' : UNKNOWN;
    case 'array':
      return value.items.map((v) => sample(v, prefixes));
    case 'object':
      return Object.fromEntries(Object.entries(value.props).map(([k, v]) => [k, sample(v, prefixes)]));
    case 'other':
      return UNKNOWN;
  }
}

/**
 * Every ask of every server API call, as `[permission, args]`: constants as they are, a constant
 * prefix with a sample continuation (or `UNKNOWN` without `samplePrefixes`), `UNKNOWN` for what is
 * not known.
 */
export function asksOf(usage: ApiUsage, samplePrefixes = true): [string, unknown[]][] {
  return usage.calls.flatMap((call) =>
    serverApiAccess(call.api, call.method).map((a): [string, unknown[]] => {
      const args = a.query.map((q) => {
        if ('const' in q) return q.const;
        const node = call.node.arguments[q.arg];
        const value = node ? sample(usage.evaluate(node), samplePrefixes) : undefined;
        if ('suffix' in q) return typeof value === 'string' ? value + q.suffix : UNKNOWN;
        if (!('prop' in q)) return value;
        if (value === undefined) return undefined;
        if (typeof value !== 'object' || value === null) return UNKNOWN;
        return (value as Record<string, unknown>)[q.prop];
      });
      // queryPermission's arguments stop at the last one given.
      while (args.length && args[args.length - 1] === undefined) args.pop();
      return [a.permission, args];
    }),
  );
}

/**
 * The default export of a fixture's `src/main.ts`, bundled for a native Node run with `fakeGtm`
 * (JavaScript source) as the 'gtm' module: the reference the differential tests compare with.
 */
export async function nativeMain<F>(dir: string, fakeGtm: string): Promise<F> {
  const sources = readProject(dir);
  const result = await build({
    stdin: { contents: "export { default } from './src/main.ts';", resolveDir: sources.root, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'neutral',
    plugins: [projectPlugin(sources, () => fakeGtm)],
    logLevel: 'silent',
  });
  const module = { exports: {} as { default: F } };
  new Function('module', 'exports', result.outputFiles[0]!.text)(module, module.exports);
  return module.exports.default;
}
