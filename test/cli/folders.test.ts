// A folder given to check, test or format stands for every .tpl file below it, as linters and
// formatters read a folder; a folder without one is a usage error, never a clean run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateFiles } from '../../src/cli/files.js';
import { runCli } from '../helpers/cli.js';
import { WEB_TAG, WEB_VARIABLE } from '../check/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

function tree(files: Record<string, string>): string {
  const root = tempDir('gtm-folders-');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const broken = WEB_TAG.replace("const host = 'https://service.example.com';", 'const host = new Host();');

describe('folders as arguments', () => {
  it('expands a folder to the .tpl files below it, in name order, skipping node_modules and hidden folders', () => {
    const root = tree({
      'b.tpl': WEB_VARIABLE,
      'a.tpl': WEB_VARIABLE,
      'sub/c.tpl': WEB_VARIABLE,
      'notes.txt': 'not a template',
      'node_modules/pkg/d.tpl': WEB_VARIABLE,
      '.git/e.tpl': WEB_VARIABLE,
    });
    expect(templateFiles([root], 'check').map((f) => path.relative(root, f))).toEqual([
      'a.tpl',
      'b.tpl',
      path.join('sub', 'c.tpl'),
    ]);
  });

  it('keeps files as given, beside folders, whatever their name', () => {
    const root = tree({ 'x/a.tpl': WEB_VARIABLE, 'template.txt': WEB_VARIABLE });
    const file = path.join(root, 'template.txt');
    expect(templateFiles([file, path.join(root, 'x')], 'check')).toEqual([
      file,
      path.join(root, 'x', 'a.tpl'),
    ]);
  });

  it('a file named twice, or inside a folder also given, is worked on once', () => {
    const root = tree({ 'a.tpl': WEB_VARIABLE, 'b.tpl': WEB_VARIABLE });
    const a = path.join(root, 'a.tpl');
    expect(templateFiles([a, root, a], 'check')).toEqual([a, path.join(root, 'b.tpl')]);
  });

  it('check reports every file of a folder and fails on the broken one', async () => {
    const root = tree({ 'good.tpl': WEB_VARIABLE, 'nested/bad.tpl': broken });
    const r = await runCli(['check', root]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${path.join(root, 'nested', 'bad.tpl')}:`);
    expect(r.out).toMatch(/error js\/no-new/);
    expect(r.out).toMatch(/2 files checked: /);
  });

  it('a folder without templates is a usage error with its code, not a clean run', async () => {
    const root = tree({ 'readme.md': '# nothing here' });
    const r = await runCli(['check', root]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('usage/no-templates-in-folder');
    expect(r.err).toContain(root);
    expect((await runCli(['test', root])).code).toBe(2);
    expect((await runCli(['format', '--check', root])).code).toBe(2);
  });

  it('a missing path is still a read error', async () => {
    const r = await runCli(['check', path.join(tmpdir(), 'gtm-no-such-folder-' + process.pid)]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('io/read-failed');
  });

  it('test runs the scenarios of every template in a folder', async () => {
    const root = tree({ 'one/a.tpl': WEB_TAG, 'two/b.tpl': WEB_TAG, 'two/c.tpl': WEB_VARIABLE });
    const r = await runCli(['test', '--workers', '0', '--json', root]);
    const reports = JSON.parse(r.out) as { file: string; scenarios: { status: string }[] }[];
    expect(reports.map((x) => path.relative(root, x.file))).toEqual([
      path.join('one', 'a.tpl'),
      path.join('two', 'b.tpl'),
      path.join('two', 'c.tpl'),
    ]);
    const scenarios = reports.map((x) => x.scenarios.length);
    expect(scenarios[0]).toBeGreaterThan(0);
    expect(scenarios).toEqual([scenarios[0], scenarios[0], 0]);
    expect(r.code).toBe(0);
  });

  it('format rewrites the templates of a folder and leaves other files alone', async () => {
    const crlf = WEB_VARIABLE.replace(/\n/g, '\r\n');
    const root = tree({ 'a.tpl': crlf, 'keep.txt': crlf });
    const check = await runCli(['format', '--check', root]);
    const formatted = (await runCli(['format', root])).code;
    expect({ check: check.code, formatted }).toEqual({ check: 1, formatted: 0 });
    expect(readFileSync(path.join(root, 'a.tpl'), 'utf8')).not.toContain('\r\n');
    expect(readFileSync(path.join(root, 'keep.txt'), 'utf8')).toBe(crlf);
  });
});
