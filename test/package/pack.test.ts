// The packed package works where it is installed: `npm pack`, then an offline install of the
// tarball into an empty folder (npm's cache, filled by `npm ci`, is the only source: no network),
// then the commands a new user runs there: --help, init, build, check, test, format, watch, the
// project's own npm scripts, the editor's type check through the tsconfig.json init writes, and
// the library entry. The lock file of the install is derived from this repository's own, so the
// user gets exactly the dependency versions the tests here ran with.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/corpus.js';

const work = mkdtempSync(path.join(tmpdir(), 'gtm-pack-'));
const user = path.join(work, 'user');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// No audit, funding or update checks: each would be a request.
const env = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 240_000 });
}
function ok(result: SpawnSyncReturns<string>): string {
  if (result.status !== 0)
    throw new Error(`exit ${result.status}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  return result.stdout;
}
const bin = () => path.join(user, 'node_modules/.bin/gtm-template');
const gtm = (args: string[], cwd = user) => run(bin(), args, cwd);

let packed: { filename: string; files: { path: string }[] };
let cliMtime = 0;

beforeAll(() => {
  packed = JSON.parse(ok(run(npm, ['pack', '--json', '--pack-destination', work], repoRoot)))[0];
  const tarball = path.join(work, packed.filename);
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8'));
  const spec = 'file:../' + packed.filename;
  const packages: Record<string, unknown> = {
    '': { name: 'user', dependencies: { 'gtm-template': spec } },
    'node_modules/gtm-template': {
      version: pkg.version,
      resolved: spec,
      integrity: 'sha512-' + createHash('sha512').update(readFileSync(tarball)).digest('base64'),
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  // The toolchain's run-time tree: every entry of the lock that is not a dev dependency.
  for (const [key, entry] of Object.entries(lock.packages as Record<string, { dev?: boolean }>))
    if (key && !entry.dev) packages[key] = entry;
  ok(run('mkdir', ['-p', user], work));
  writeFileSync(
    path.join(user, 'package.json'),
    JSON.stringify({ name: 'user', private: true, dependencies: { 'gtm-template': spec } }, null, 2),
  );
  writeFileSync(
    path.join(user, 'package-lock.json'),
    JSON.stringify({ name: 'user', lockfileVersion: 3, requires: true, packages }, null, 2),
  );
  ok(run(npm, ['ci', '--offline'], user));
  cliMtime = statSync(path.join(user, 'node_modules/gtm-template/dist/cli.js')).mtimeMs;
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package', () => {
  it('holds the bundle, the typings and the tsconfig, and none of the sources', () => {
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/gtm-template.js',
        'dist/cli.js',
        'dist/index.js',
        'dist/types/index.d.ts',
        'src/compile/types/gtm.d.ts',
        'src/compile/types/gtm-test.d.ts',
        'src/compile/types/tsconfig.template.json',
        'package.json',
        'README.md',
        'LICENSE',
      ]),
    );
    expect(
      files.filter((f) => /^(src\/(?!compile\/types\/)|test\/|template\/|bench\/|scripts\/)/.test(f)),
    ).toEqual([]);
  });

  it('ships only the chunks its entries load (no leftovers of earlier builds)', () => {
    const dist = path.join(user, 'node_modules/gtm-template/dist');
    const shipped = packed.files.map((f) => f.path).filter((f) => /^dist\/chunks\/.*\.js$/.test(f));
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      const text = readFileSync(path.join(dist, '..', file), 'utf8');
      // Import specifiers only: bundled CommonJS modules are keyed by their source paths in quotes.
      for (const m of text.matchAll(/\b(?:from|import)\s*\(?\s*["'](\.\.?\/[^"']+\.js)["']/g))
        visit(path.posix.join(path.posix.dirname(file), m[1]!));
    };
    visit('dist/cli.js');
    visit('dist/index.js');
    expect(shipped.filter((f) => !reached.has(f))).toEqual([]);
    expect(shipped.length).toBeGreaterThan(0);
  });

  it("loads neither the runtime nor the compiler for check, nor the runtime in test's main thread", () => {
    const dist = path.join(user, 'node_modules/gtm-template/dist');
    /** The source files bundled into `file` and the chunks it imports statically, as esbuild names them. */
    const sourcesOf = (file: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(file)) return new Set();
      seen.add(file);
      const text = readFileSync(path.join(dist, file), 'utf8');
      const sources = new Set([...text.matchAll(/^\/\/ (src\/\S+\.ts)$/gm)].map((m) => m[1]!));
      for (const m of text.matchAll(/\b(?:from|import)\s*["'](\.\.?\/[^"']+\.js)["']/g))
        for (const s of sourcesOf(path.posix.join(path.posix.dirname(file), m[1]!), seen)) sources.add(s);
      return sources;
    };
    const cli = readFileSync(path.join(dist, 'cli.js'), 'utf8');
    const chunkOf = (name: string) => {
      const m = new RegExp(`import\\("\\./(chunks/${name}-[A-Z0-9]+\\.js)"\\)`).exec(cli);
      expect(m, `dist/cli.js loads a ${name} chunk`).not.toBeNull();
      return m![1]!;
    };
    const check = sourcesOf(chunkOf('check'));
    expect(check).toContain('src/check/index.ts');
    expect([...check].filter((s) => /^src\/(sandbox|compile|import)\//.test(s))).toEqual([]);
    const test = sourcesOf(chunkOf('test'));
    expect(test).toContain('src/cli/test-workers.ts');
    expect(
      [...test].filter((s) => /^src\/sandbox\/(?!index\.ts)/.test(s) || s === 'src/cli/test-file.ts'),
    ).toEqual([]);
  });

  it('runs --help from any folder', () => {
    const out = ok(gtm(['--help'], work));
    for (const command of ['check', 'test', 'build', 'watch', 'format', 'init'])
      expect(out).toContain(`gtm-template ${command}`);
    expect(ok(gtm(['--version'], work)).trim()).toBe(
      JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version,
    );
  });

  describe.each([
    ['tag-project', 'tag', 'web'],
    ['variable-project', 'variable', 'web'],
    ['server-tag-project', 'tag', 'server'],
  ])('a project made by init: %s (--type %s --context %s)', (name, type, context) => {
    const project = path.join(user, name);

    it('is written by init', () => {
      ok(gtm(['init', name, '--type', type, '--context', context]));
      expect(existsSync(path.join(project, 'template.json'))).toBe(true);
    });

    it('builds (default folder: the project), checks with zero findings and passes its scenarios', () => {
      expect(ok(gtm(['build'], project))).toContain('build/template.tpl');
      expect(ok(gtm(['check', 'build/template.tpl'], project))).toContain('0 errors, 0 warnings');
      expect(ok(gtm(['test', 'build/template.tpl', '--once'], project))).toMatch(/\d+ passed, 0 failed/);
      expect(gtm(['format', '--check', 'build/template.tpl'], project).status).toBe(0);
    });

    it("passes the project's own npm test script", () => {
      expect(ok(run(npm, ['test'], project))).toMatch(/\d+ passed, 0 failed/);
    });

    it("type-checks in the editor's setting: 'gtm' and 'gtm/test' resolve through tsconfig.json", () => {
      const tsc = path.join(user, 'node_modules/typescript/bin/tsc');
      ok(run(process.execPath, [tsc, '-p', '.', '--noEmit'], project));
      // …and the same check fails on a misspelt field, so it does see the typings.
      const main = path.join(project, 'src/main.ts');
      const text = readFileSync(main, 'utf8');
      writeFileSync(main, text.replace(/data\.(accountId|parameter|apiKey)\b/, 'data.misspelt'));
      const broken = run(process.execPath, [tsc, '-p', '.', '--noEmit'], project);
      writeFileSync(main, text);
      expect(broken.status).not.toBe(0);
      expect(broken.stdout).toContain("Property 'misspelt' does not exist");
    });
  });

  it('watches and rebuilds on a change', async () => {
    const project = path.join(user, 'tag-project');
    const child = spawn(bin(), ['watch'], { cwd: project, env });
    let out = '';
    const seen = (text: string, times: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${times}× '${text}' from watch:\n${out}`)),
          60_000,
        );
        const look = () => {
          if (out.split(text).length - 1 >= times) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on('data', look);
        child.on('exit', (code) => reject(new Error(`watch exited with ${code}:\n${out}`)));
        look();
      });
    child.stdout.on('data', (chunk) => (out += String(chunk)));
    child.stderr.on('data', (chunk) => (out += String(chunk)));
    const config = path.join(project, 'template.json');
    const original = readFileSync(config, 'utf8');
    try {
      await seen('watching', 1);
      // Node 20 sets up a recursive watch on Linux asynchronously after watch() returns, so the
      // change is repeated until the watcher has seen one.
      const rebuilt = seen('built .', 2);
      let n = 0;
      const edit = () =>
        writeFileSync(config, original.replace('"description": "', `"description": "Changed ${++n}. `));
      edit();
      const again = setInterval(edit, 1000);
      await rebuilt.finally(() => clearInterval(again));
      expect(readFileSync(path.join(project, 'build/template.tpl'), 'utf8')).toMatch(/Changed \d+\. /);
    } finally {
      child.kill('SIGINT');
      writeFileSync(config, original);
    }
  });

  it('imports a built template into a project that builds back the same and passes its tests', () => {
    const out = ok(gtm(['import', 'tag-project/build/template.tpl', 'imported']));
    expect(out).toContain('The project builds back into an equivalent template.');
    expect(ok(run(npm, ['test'], path.join(user, 'imported')))).toMatch(/\d+ passed, 0 failed/);
  });

  it('refuses init into a folder that is not empty', () => {
    const result = gtm(['init', 'tag-project']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is not empty');
  });

  it('serves the library entry with its typings', () => {
    const script =
      "import { checkSource, parse } from 'gtm-template';" +
      "import { readFileSync } from 'node:fs';" +
      "const text = readFileSync('tag-project/build/template.tpl', 'utf8');" +
      'console.log(JSON.stringify({ findings: checkSource(text).length, type: parse(text).info.type }));';
    expect(JSON.parse(ok(run(process.execPath, ['--input-type=module', '-e', script], user)))).toEqual({
      findings: 0,
      type: 'TAG',
    });
    const types = readFileSync(path.join(user, 'node_modules/gtm-template/dist/types/index.d.ts'), 'utf8');
    expect(types).toContain('checkSource');
  });

  it('never rebuilt itself from sources it does not ship', () => {
    const installed = path.join(user, 'node_modules/gtm-template');
    expect(existsSync(path.join(installed, 'src/cli.ts'))).toBe(false);
    expect(statSync(path.join(installed, 'dist/cli.js')).mtimeMs).toBe(cliMtime);
  });
});
