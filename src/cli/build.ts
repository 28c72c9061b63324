// `gtm-template build [dir] [--out dir]` and `gtm-template watch [dir] [--out dir]`: compile a
// TypeScript template project (default template/ → build/). All file I/O of the compiler is here:
// reading the project, the on-disk cache of the form stage, writing the outputs.

import { existsSync, mkdirSync, readFileSync, statSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  compileSources,
  readProject,
  type CompileResult,
  type CompileSession,
  type StageCache,
} from '../compile/index.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { CliUsageError, parseArgs } from './args.js';

const USAGE =
  'gtm-template build [dir] [--out dir] [--gallery dir]   (default: template, or . when it holds template.json → build)';

/** The files the Community Template Gallery reads from the root of a repository (with LICENSE). */
const GALLERY_FILES = ['template.tpl', 'metadata.yaml'] as const;

interface Target {
  dir: string;
  out: string;
  /** Where to also write the Gallery's files (template.tpl, metadata.yaml), if anywhere. */
  gallery?: string;
  /** Print each stage's time after a build. */
  timings: boolean;
}

function parseTarget(argv: string[], command: string): Target | undefined {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      `Usage: gtm-template ${command} [dir] [--out dir] [--gallery dir]\n\n` +
        'Compiles a TypeScript template project (template.json, src/, tests/) into template.tpl,\n' +
        'container.json (with recipe.json) and metadata.yaml (with gallery metadata).\n' +
        (command === 'watch' ? 'Rebuilds whenever a file of the project changes.\n' : '') +
        '--gallery dir also writes template.tpl and metadata.yaml there (the Gallery reads them\n' +
        '  from the repository root).\n' +
        '--timings prints how long each stage took.\n' +
        'Exit codes: 0 built, 1 compile errors, 2 usage or I/O error.\n',
    );
    return undefined;
  }
  const args = parseArgs(argv, { options: ['out', 'gallery'], flags: ['timings'] });
  if (args.positionals.length > 1) throw new CliUsageError(`one project folder at most (${USAGE})`);
  // Without a folder: template/ (a repository holding a project), else the current folder when it
  // is a project itself (what `gtm-template init` makes).
  const dir =
    args.positionals[0] ??
    (!existsSync(path.join('template', 'template.json')) && existsSync('template.json') ? '.' : 'template');
  const out = args.options.get('out') ?? 'build';
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new CliUsageError(`no project folder '${dir}' (${USAGE})`, 'io/no-project');
  if (!existsSync(path.join(dir, 'template.json')))
    throw new CliUsageError(
      `'${dir}' has no template.json: it is not a template project (see docs/template-project.md)`,
      'io/no-project',
    );
  return { dir, out, gallery: args.options.get('gallery'), timings: args.flags.has('timings') };
}

/**
 * The compiler's stage cache on disk, in <project>/.cache/gtm-template/ (git-ignored): one file per
 * stage, holding the result for the latest inputs (the key is a content hash), so it never grows.
 */
export function diskStageCache(dir: string): StageCache {
  const cacheDir = path.join(dir, '.cache', 'gtm-template');
  const file = (stage: string) => path.join(cacheDir, `${stage}.json`);
  return {
    get(stage, key) {
      try {
        const entry = JSON.parse(readFileSync(file(stage), 'utf8')) as { key: string; value: unknown };
        return entry.key === key ? entry.value : undefined;
      } catch {
        return undefined;
      }
    },
    set(stage, key, value) {
      try {
        mkdirSync(cacheDir, { recursive: true });
        writeFileSync(file(stage), JSON.stringify({ key, value }));
      } catch {
        // A cache that cannot be written only costs time.
      }
    },
  };
}

function printDiagnostics(result: CompileResult, dir: string): void {
  for (const d of [...result.errors, ...result.warnings]) {
    const file = d.file ? path.join(dir, d.file) : dir;
    process.stderr.write(formatDiagnostic({ ...d, file } as Diagnostic) + '\n');
  }
}

/** Writes the outputs that changed; returns the files written. */
function writeOutputs(result: CompileResult, out: string, only?: readonly string[]): string[] {
  const written: string[] = [];
  try {
    mkdirSync(out, { recursive: true });
    for (const [name, text] of Object.entries(result.files ?? {})) {
      if (text === undefined || (only && !only.includes(name))) continue;
      const file = path.join(out, name);
      const old = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      if (old !== text) writeFileSync(file, text);
      written.push(file);
    }
  } catch (err) {
    throw new CliUsageError(`cannot write to ${out}: ${(err as Error).message}`, 'io/write-failed');
  }
  return written;
}

async function buildOnce(target: Target, session: CompileSession = {}, cache?: StageCache): Promise<number> {
  const start = performance.now();
  try {
    return await buildAndReport(target, session, cache, start);
  } finally {
    if (target.timings && session.timings) {
      const stages = Object.entries(session.timings)
        .map(([k, v]) => `${k} ${Math.round(v)}`)
        .join(', ');
      process.stdout.write(`  stages (ms): ${stages}\n`);
    }
  }
}

async function buildAndReport(
  target: Target,
  session: CompileSession,
  cache: StageCache | undefined,
  start: number,
): Promise<number> {
  const sources = readProject(target.dir);
  const result = await compileSources(sources, {
    session,
    cache: cache ?? diskStageCache(target.dir),
  });
  printDiagnostics(result, target.dir);
  const ms = Math.round(performance.now() - start);
  if (result.errors.length || !result.files) {
    const n = result.errors.length;
    process.stderr.write(`build failed: ${n} error${n === 1 ? '' : 's'} (${ms} ms)\n`);
    return 1;
  }
  const written = writeOutputs(result, target.out);
  if (target.gallery !== undefined) written.push(...writeOutputs(result, target.gallery, GALLERY_FILES));
  process.stdout.write(`built ${target.dir} → ${written.join(', ')} (${ms} ms)\n`);
  return 0;
}

export async function runBuild(argv: string[]): Promise<number> {
  const target = parseTarget(argv, 'build');
  if (!target) return 0;
  return buildOnce(target);
}

/**
 * Calls `onChange` (debounced) when a file of the project changes, ignoring the folders in
 * `ignored` (absolute paths, e.g. the output folder), the stage cache, node_modules and .git.
 */
export function watchProject(dir: string, ignored: string[], onChange: () => void): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dir, { recursive: true }, (_event, name) => {
    const file = name ? path.resolve(dir, name.toString()) : '';
    if (
      ignored.some((folder) => file.startsWith(folder)) ||
      /(^|[\\/])(\.cache|node_modules|\.git)([\\/]|$)/.test(name?.toString() ?? '')
    )
      return;
    clearTimeout(timer);
    timer = setTimeout(onChange, 40);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}

export async function runWatch(argv: string[]): Promise<number> {
  const target = parseTarget(argv, 'watch');
  if (!target) return 0;
  const session: CompileSession = {};
  const cache = diskStageCache(target.dir);
  const outAbs = path.resolve(target.out);
  await buildOnce(target, session, cache);
  process.stdout.write(`watching ${target.dir} (Ctrl-C to stop)\n`);
  let running: Promise<unknown> = Promise.resolve();
  const watcher = watchProject(target.dir, [outAbs], () => {
    running = running.then(async () => {
      await buildOnce({ ...target, timings: true }, session, cache).catch((err) =>
        process.stderr.write(`build failed: ${(err as Error).message}\n`),
      );
    });
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => {
      watcher.close();
      resolve();
    });
  });
  return 0;
}
