// `gtm-template preview [file.tpl | project dir] [--port N]`: serves the preview page for a template
// on loopback and keeps it current: a project is rebuilt (in memory, as `watch` rebuilds it) and a
// file re-read whenever it changes, and the open page reloads the form. Only I/O lives here: the
// page, the server and the snapshot are in src/preview/.

import { existsSync, statSync, watch } from 'node:fs';
import path from 'node:path';
import { compileSources, readProject, type CompileSession } from '../compile/index.js';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { previewAssets } from '../preview/assets.js';
import { PortInUseError, startPreviewServer, type PreviewServer } from '../preview/server.js';
import { describeTemplate, snapshotOfTpl, type PreviewSnapshot } from '../preview/snapshot.js';
import { CliUsageError, parseArgs } from './args.js';
import { diskStageCache, watchProject } from './build.js';
import { readTextFile } from './files.js';

const HELP = `gtm-template preview [file.tpl | project dir] [--port N]
  Opens a local page that shows the template the way GTM's tag editor would: the form (every
  field type, enabling conditions, help, validators on "Fire"), a simulated page you edit (address,
  cookies, local storage, the site's script, data layer pushes, variables), and "Fire", which runs
  the tag in the browser and shows what it did: the outcome, calls to page functions, scripts,
  pixels and iframes, cookies, console lines and permission denials.
  A project folder (with template.json; default: template) is rebuilt whenever its sources change,
  in memory (nothing is written to its build folder); a .tpl file is re-read when it changes.
  Requests the page makes to other hosts are answered by the preview itself; nothing is sent.
  --port N  listen on 127.0.0.1:N (default 8178; 0 picks a free port)
Exit codes: 0 stopped with Ctrl-C, 2 usage or I/O error (no such file, port in use).
`;

export const DEFAULT_PORT = 8178;

export interface PreviewTarget {
  kind: 'file' | 'project';
  path: string;
}

export function resolveTarget(positionals: string[]): PreviewTarget {
  if (positionals.length > 1)
    throw new CliUsageError('one template at most: gtm-template preview [file.tpl | project dir]');
  const given = positionals[0] ?? 'template';
  if (!existsSync(given))
    throw new CliUsageError(
      positionals[0]
        ? `no such file or folder: ${given}`
        : 'no template given, and there is no template/ folder here: gtm-template preview <file.tpl | project dir>',
      'io/not-found',
    );
  if (statSync(given).isDirectory()) {
    if (!existsSync(path.join(given, 'template.json')))
      throw new CliUsageError(
        `'${given}' has no template.json: give a .tpl file or a template project (see docs/template-project.md)`,
        'io/no-project',
      );
    return { kind: 'project', path: given };
  }
  return { kind: 'file', path: given };
}

/** Keeps the snapshot of one target current; `refresh` re-reads or rebuilds it. */
function snapshotSource(target: PreviewTarget) {
  let version = 0;
  let current: PreviewSnapshot | undefined;
  let lastGood: PreviewSnapshot | undefined;
  const session: CompileSession = {};
  const cache = target.kind === 'project' ? diskStageCache(target.path) : undefined;

  const buildProject = async (): Promise<PreviewSnapshot> => {
    const result = await compileSources(readProject(target.path), { session, cache });
    const diagnostics: Diagnostic[] = [...result.errors, ...result.warnings].map((d) => ({
      ...d,
      file: d.file ? path.join(target.path, d.file) : target.path,
    }));
    const base = { version, source: { kind: 'project' as const, path: target.path }, diagnostics };
    const tpl = result.files?.['template.tpl'];
    if (result.errors.length === 0 && tpl && result.template) {
      return { ...base, ...describeTemplate(result.template), tpl };
    }
    // A failed rebuild keeps showing the last good form and firing its template, with the errors.
    if (lastGood) return { ...lastGood, ...base, error: undefined };
    const n = result.errors.length;
    return {
      ...base,
      ...describeTemplate({ context: 'WEB', unknownSections: {}, syntaxErrors: [] }),
      error: `The build failed with ${n} error${n === 1 ? '' : 's'}.`,
    };
  };

  return {
    get: () => current!,
    async refresh(): Promise<void> {
      version++;
      let next: PreviewSnapshot;
      try {
        next =
          target.kind === 'file'
            ? snapshotOfTpl(readTextFile(target.path), target.path, version)
            : await buildProject();
      } catch (err) {
        next = {
          ...(lastGood ?? snapshotOfTpl('', target.path, version)),
          version,
          error: (err as Error).message,
        };
      }
      current = next;
      // A project's snapshot with build errors is the last good one shown again: not good itself.
      if (next.tpl && !next.error && (target.kind === 'file' || !hasErrors(next.diagnostics)))
        lastGood = next;
    },
  };
}

/** Watches the target; `onChange` runs (debounced) after a change. */
function watchTarget(target: PreviewTarget, onChange: () => void): { close(): void } {
  if (target.kind === 'project')
    return watchProject(target.path, [path.resolve(target.path, 'build')], onChange);
  // Editors often replace a file instead of writing it: watch its folder for its name.
  const dir = path.dirname(path.resolve(target.path));
  const base = path.basename(target.path);
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dir, (_event, name) => {
    if (name?.toString() !== base) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, 40);
  });
  // A folder that goes away stops the watching, not the preview.
  watcher.on('error', () => watcher.close());
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}

export interface RunningPreview {
  server: PreviewServer;
  /** Resolves after a change was picked up and the page told (tests wait on it). */
  rebuilt(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the preview of `target` on `port`: the server, the first snapshot and the watcher. */
export async function startPreview(target: PreviewTarget, port: number): Promise<RunningPreview> {
  const source = snapshotSource(target);
  await source.refresh();
  let server: PreviewServer;
  try {
    server = await startPreviewServer({ snapshot: source.get, assets: previewAssets(), port });
  } catch (err) {
    if (err instanceof PortInUseError)
      throw new CliUsageError(
        `port ${port} is in use: choose another with --port N (0 picks a free one)`,
        'io/port-in-use',
      );
    throw err;
  }
  let waiters: (() => void)[] = [];
  let running: Promise<void> = Promise.resolve();
  const watcher = watchTarget(target, () => {
    running = running.then(async () => {
      await source.refresh();
      server.changed();
      for (const wake of waiters.splice(0)) wake();
    });
  });
  return {
    server,
    rebuilt: () => new Promise((resolve) => waiters.push(resolve)),
    async stop() {
      watcher.close();
      waiters = [];
      await server.close();
    },
  };
}

export async function runPreview(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { options: ['port'], flags: ['help'] });
  if (args.flags.has('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  const portText = args.options.get('port');
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliUsageError(`--port takes a port number 0–65535, not '${portText}'`);
  const target = resolveTarget(args.positionals);
  const preview = await startPreview(target, port);
  const s = preview.server;
  process.stdout.write(
    `Previewing ${target.path} at ${s.url}\n` +
      `Open it in a browser. ${target.kind === 'project' ? 'Edits to the project rebuild it' : 'Edits to the file reload it'}; Ctrl-C stops.\n`,
  );
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await preview.stop();
  return 0;
}
