// `npm run bench` part for the compiler (issue 4): cold builds of the lowering fixture, the server
// tag fixture and of template/ (a fresh `gtm-template build` process, and in process), a build whose form is cached
// on disk, a code-only rebuild in watch mode, and the emitted code's size against the same code
// lowered by hand. Aims on the 2-core machine: cold ≤ 3 s; form cached < 1.6 s; watch ≤ 150 ms;
// emitted code ≤ 115% of the hand-lowered size.
// Run alone with: node scripts/run-ts.js bench/compile.ts

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileSources, readProject, type CompileSession, type StageCache } from '../src/compile/index.js';
import { formatCode } from '../src/compile/format.js';
import { measure, printTable, type Measurement } from './measure.js';

const root = process.cwd();
const cli = path.join(root, 'bin/gtm-template.js');

function projects(): { name: string; dir: string }[] {
  const list = [
    { name: 'fixture', dir: path.join(root, 'test/fixtures/lowering') },
    { name: 'server fixture', dir: path.join(root, 'test/fixtures/server-tag') },
  ];
  if (existsSync(path.join(root, 'template/template.json')))
    list.push({ name: 'template/', dir: path.join(root, 'template') });
  return list;
}

function cliBuild(dir: string, out: string, cold: boolean): void {
  if (cold) rmSync(path.join(dir, '.cache'), { recursive: true, force: true });
  const r = spawnSync(process.execPath, [cli, 'build', dir, '--out', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build of ${dir} failed:\n${r.stderr}`);
}

function memoryCache(): StageCache {
  const map = new Map<string, unknown>();
  return {
    get: (stage, key) => map.get(stage + key),
    set: (stage, key, value) => void map.set(stage + key, value),
  };
}

export async function run(): Promise<void> {
  const rows: Measurement[] = [];
  const out = mkdtempSync(path.join(tmpdir(), 'gtm-bench-'));
  try {
    for (const p of projects()) {
      rows.push(
        await measure(
          `${p.name}: cold build, new process (gtm-template build)`,
          () => cliBuild(p.dir, out, true),
          { runs: 5, warmup: 1 },
        ),
      );
      // The same project copied beside the original (relative imports such as ../package.json
      // still resolve), so its code can be edited: each run changes the code, never the form.
      const copy = path.join(path.dirname(p.dir), `.bench-${path.basename(p.dir)}`);
      rmSync(copy, { recursive: true, force: true });
      cpSync(p.dir, copy, { recursive: true, filter: (f) => !f.includes(`${path.sep}.cache`) });
      try {
        const main = path.join(
          copy,
          (JSON.parse(readFileSync(path.join(copy, 'template.json'), 'utf8')) as { main: string }).main,
        );
        let n = 0;
        rows.push(
          await measure(
            `${p.name}: code changed, form cached on disk, new process`,
            () => {
              writeFileSync(main, readFileSync(main, 'utf8') + `\nexport const benchEdit${n++} = ${n};\n`);
              cliBuild(copy, out, false);
            },
            { runs: 5, warmup: 1 },
          ),
        );
        rows.push(
          await measure(
            `${p.name}: nothing changed, every stage cached on disk, new process`,
            () => cliBuild(copy, out, false),
            { runs: 5, warmup: 1 },
          ),
        );
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
      if (p.name === 'template/') {
        // As a user runs it: `npm run build` (bundles the CLI, then builds template/ into build/ and
        // the Gallery files at the root; a fresh build writes the same bytes as the committed ones).
        rows.push(
          await measure(
            `${p.name}: cold build as \`npm run build\``,
            () => {
              rmSync(path.join(p.dir, '.cache'), { recursive: true, force: true });
              const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' });
              if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stderr}`);
            },
            { runs: 5, warmup: 1 },
          ),
        );
        // The yardstick for a build with the form cached: a hand-rolled tsc + prettier +
        // concatenate build of the same project, in a new process, measured here in the same run.
        rows.push(
          await measure(
            `${p.name}: baseline, plain tsc + prettier + concatenate, new process`,
            () => {
              const r = spawnSync(process.execPath, [
                path.join(root, 'bench/plain-build.mjs'),
                p.dir,
                path.join(out, 'plain.js'),
              ]);
              if (r.status !== 0) throw new Error(`plain build failed: ${r.stderr}`);
            },
            { runs: 5, warmup: 1 },
          ),
        );
      }
      rows.push(
        await measure(
          `${p.name}: build in process, no session or cache (lib files parsed once per process)`,
          () => compileSources(readProject(p.dir)),
          { runs: 5, warmup: 1 },
        ),
      );
      const sources = readProject(p.dir);
      const session: CompileSession = {};
      const cache = memoryCache();
      await compileSources(sources, { session, cache });
      const main = (JSON.parse(sources.files.get('template.json') as string) as { main: string }).main;
      let edit = 0;
      rows.push(
        await measure(
          `${p.name}: watch rebuild after a code-only change`,
          async () => {
            sources.files.set(main, (sources.files.get(main) as string) + `\n// edit ${edit++}\n`);
            const r = await compileSources(sources, { session, cache });
            if (r.errors.length) throw new Error(r.errors[0]!.text);
          },
          { runs: 10, warmup: 2 },
        ),
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  printTable('compiler: builds (ms)', rows);
  const median = (name: string) => rows.find((r) => r.name === name)?.medianMs;
  const cached = median('template/: code changed, form cached on disk, new process');
  const plain = median('template/: baseline, plain tsc + prettier + concatenate, new process');
  if (cached && plain) {
    // The issue states the aim as "faster than 1.6 s, what a plain tsc + prettier + concatenate build
    // takes here"; the plain build is also measured above, in this run, for the ratio.
    console.log(
      `template/: build with the form cached ${cached.toFixed(0)} ms (aim: < 1600 ms); ` +
        `ratio to the plain tsc + prettier + concatenate build measured in this run: ${(cached / plain).toFixed(2)}`,
    );
  }

  // Size of the emitted code against the same program lowered by hand (comments and blank lines
  // removed from both, so the figure compares code).
  const fixture = projects()[0]!;
  const compiled = await compileSources(readProject(fixture.dir));
  const strip = (code: string) =>
    code
      .split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('//'))
      .join('\n');
  const handFile = path.join(fixture.dir, 'hand-lowered.js');
  if (compiled.template?.code && existsSync(handFile)) {
    // Both in the compiler's output style, so the figure compares code, not formatting.
    const emitted = strip(await formatCode(compiled.template.code)).length;
    const hand = strip(await formatCode(readFileSync(handFile, 'utf8'))).length;
    console.log('\n## compiler: emitted code size (fixture)');
    console.log('| emitted bytes | hand-lowered bytes | emitted / hand |');
    console.log('|---:|---:|---:|');
    console.log(`| ${emitted} | ${hand} | ${((100 * emitted) / hand).toFixed(1)}% |`);
  }
}

if (process.argv[1] && /bench[\\/]compile\.ts$/.test(process.argv[1])) await run();
