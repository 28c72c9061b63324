// `gtm-template init`: every kind of starter project builds with zero findings and passes its own
// scenarios; the command refuses a folder that is not empty and says why.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { check } from '../../src/check/index.js';
import { compileSources } from '../../src/compile/index.js';
import { displayNameOf, initProject, packageNameOf } from '../../src/init/index.js';
import { runTests } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp-dir.js';

const cli = runCli;
afterEach(() => vi.restoreAllMocks());

describe.each([
  ['TAG', 'WEB', 'tests/tag.test.ts'],
  ['MACRO', 'WEB', 'tests/variable.test.ts'],
  ['TAG', 'SERVER', 'tests/tag.test.ts'],
  ['MACRO', 'SERVER', 'tests/variable.test.ts'],
] as const)('init --type %s --context %s', (type, context, testFile) => {
  const made = initProject({ name: 'acme-analytics', type, context, toolchainVersion: '^1.2.3' });

  it('writes the files the convention names, with the toolchain as a dev dependency', () => {
    expect([...made.files!.keys()].sort()).toEqual(
      [
        '.gitignore',
        'README.md',
        'package.json',
        'src/fields.ts',
        'src/main.ts',
        'template.json',
        testFile,
        'tsconfig.json',
      ].sort(),
    );
    const pkg = JSON.parse(made.files!.get('package.json')!);
    expect(pkg.name).toBe('acme-analytics');
    expect(pkg.devDependencies).toEqual({ 'gtm-template': '^1.2.3' });
    expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(['build', 'test', 'watch']));
    expect(JSON.parse(made.files!.get('tsconfig.json')!).extends).toBe(
      context === 'SERVER' ? 'gtm-template/tsconfig.server.json' : 'gtm-template/tsconfig.template.json',
    );
    expect(JSON.parse(made.files!.get('template.json')!)).toMatchObject({
      displayName: 'Acme Analytics',
      type,
      context,
    });
  });

  it('builds at once, checks with zero findings and passes every scenario', async () => {
    const result = await compileSources({
      root: path.join(repoRoot, 'test/fixtures/in-memory-init'),
      files: new Map(made.files!),
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(check(result.template!)).toEqual([]);
    expect(result.template!.info!.type).toBe(type);
    expect(result.template!.context).toBe(context);
    const scenarios = runTests(result.template!, { once: type === 'TAG' });
    expect(scenarios.length).toBeGreaterThanOrEqual(2);
    expect(scenarios.filter((s) => s.status !== 'pass')).toEqual([]);
  });
});

describe('init names', () => {
  it('derives a display name and an npm package name from the folder', () => {
    expect(displayNameOf('my_cool-tag')).toBe('My Cool Tag');
    expect(displayNameOf('---')).toBe('My Template');
    expect(packageNameOf('My Cool Tag!')).toBe('my-cool-tag');
    expect(packageNameOf('...')).toBe('gtm-template-project');
  });
});

describe('gtm-template init', () => {
  const base = tempDir('gtm-init-');

  it('writes a project into a new folder and says what comes next', async () => {
    const dir = path.join(base, 'fresh');
    const run = await cli(['init', dir, '--type', 'variable']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('npm install && npm test');
    expect(JSON.parse(readFileSync(path.join(dir, 'template.json'), 'utf8')).type).toBe('MACRO');
    expect(existsSync(path.join(dir, 'tests/variable.test.ts'))).toBe(true);
  });

  it('accepts a folder holding only .git', async () => {
    const dir = path.join(base, 'repo');
    mkdirSync(path.join(dir, '.git'), { recursive: true });
    expect((await cli(['init', dir])).code).toBe(0);
    expect(existsSync(path.join(dir, 'src/main.ts'))).toBe(true);
  });

  it('refuses a folder that is not empty, names what is there, and writes nothing', async () => {
    const dir = path.join(base, 'busy');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const run = await cli(['init', dir]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('is not empty (notes.txt)');
    expect(run.err).toContain('(init/not-empty)');
    expect(existsSync(path.join(dir, 'template.json'))).toBe(false);
  });

  it('rejects an unknown --type with the choices', async () => {
    const run = await cli(['init', path.join(base, 'x'), '--type', 'trigger']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--type trigger: one of tag, variable');
  });
});
