// `gtm-template check`: output forms and exit codes, run in-process on files the test writes.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliUsageError } from '../../src/cli/args.js';
import { runCheck } from '../../src/cli/check.js';
import { allCorpusFiles, repoRoot } from '../helpers/corpus.js';
import { WEB_TAG, WEB_VARIABLE } from './fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('gtm-check-');
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await runCheck(argv), out };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

const good = file('good.tpl', WEB_VARIABLE);
const warned = file('warned.tpl', WEB_VARIABLE.replace('text.toUpperCase()', "text.padStart(2, ' ')"));
const bad = file(
  'bad.tpl',
  WEB_TAG.replace("const host = 'https://service.example.com';", 'const host = new Host();'),
);

describe('gtm-template check', () => {
  it('exits 0 on a clean file and prints a summary', async () => {
    const r = await run([good]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('1 file checked: 0 errors, 0 warnings\n');
  });

  it('exits 0 when there are only warnings, printing file:line:col: severity code: text', async () => {
    const r = await run([warned]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/warned\.tpl:\d+:\d+: warning js\/non-whitelisted-method: /);
    expect(r.out).toMatch(/1 file checked: 0 errors, 1 warning\n$/);
  });

  it('exits 1 on errors and reports every file', async () => {
    const r = await run([good, bad]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/bad\.tpl:\d+:\d+: error js\/no-new: /);
    expect(r.out).toMatch(/2 files checked: \d+ errors?, 0 warnings\n$/);
  });

  it('prints one JSON array with --json', async () => {
    const r = await run(['--json', bad, good]);
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.out) as Record<string, unknown>[];
    expect(Array.isArray(rows)).toBe(true);
    const row = rows.find((x) => x.code === 'js/no-new')!;
    expect(Object.keys(row).sort()).toEqual([
      'code',
      'column',
      'file',
      'line',
      'section',
      'severity',
      'text',
    ]);
    expect(row).toMatchObject({
      file: bad,
      severity: 'error',
      section: '___SANDBOXED_JS_FOR_WEB_TEMPLATE___',
    });
    const clean = await run(['--json', good]);
    expect(JSON.parse(clean.out)).toEqual([]);
  });

  it('warns where the bytes of a file stop being UTF-8, and not for a U+FFFD the file really has', async () => {
    // "é" as Latin-1 (one byte, 0xE9) in a comment of the code, after an "ö" in UTF-8 on the same
    // line (two bytes, one character: the column counts characters).
    const at = WEB_TAG.indexOf('data.gtmOnSuccess();');
    const head = WEB_TAG.slice(0, at);
    const bytes = Buffer.concat([
      Buffer.from(head + '// \u00f6 ', 'utf8'),
      Buffer.from('caf\u00e9\n', 'latin1'),
      Buffer.from(WEB_TAG.slice(at), 'utf8'),
    ]);
    const latin1 = path.join(dir, 'latin1.tpl');
    writeFileSync(latin1, bytes);
    const cafeLine = head.split('\n').length;
    const cafeColumn = head.length - head.lastIndexOf('\n') + '// ö caf'.length;
    const r = await run([latin1]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `latin1.tpl:${cafeLine}:${cafeColumn}: warning structure/not-utf8: The file is not UTF-8 text: byte 0xE9`,
    );
    // The character U+FFFD written in UTF-8 is valid text.
    const real = file(
      'replacement.tpl',
      WEB_TAG.replace('data.gtmOnSuccess();', '// \ufffd\ndata.gtmOnSuccess();'),
    );
    expect((await run([real])).out).not.toContain('not-utf8');
  });

  it('treats missing files, no files and unknown options as usage errors (exit 2)', async () => {
    await expect(run([path.join(dir, 'missing.tpl')])).rejects.toMatchObject({ code: 'io/read-failed' });
    await expect(run([])).rejects.toBeInstanceOf(CliUsageError);
    await expect(run(['--jsn', good])).rejects.toMatchObject({ code: 'usage/unknown-option' });
    await expect(run(['--workers', '0', good])).rejects.toMatchObject({ code: 'usage/bad-value' });
  });
});

describe('gtm-template check on several threads', () => {
  // Workers start from the built CLI (npm ci builds it), so this runs it as a user does.
  const cli = path.join(repoRoot, 'bin/gtm-template.js');
  const files = allCorpusFiles().map((f) => f.path);
  const checkWith = (workers: number) => {
    try {
      return execFileSync(
        process.execPath,
        [cli, 'check', '--json', '--workers', String(workers), ...files],
        {
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        },
      );
    } catch (err) {
      // Exit code 1: the known-bad files have errors; the output is still the findings.
      return (err as { stdout: string }).stdout;
    }
  };

  it('reports exactly what one thread reports, in the order the files were given', () => {
    const one = JSON.parse(checkWith(1)) as { file: string }[];
    const two = JSON.parse(checkWith(2)) as { file: string }[];
    expect(one.length).toBeGreaterThan(50);
    expect(two).toEqual(one);
    // Files appear in argument order, as with one thread.
    const order = [...new Set(one.map((d) => d.file))];
    expect(order).toEqual(files.filter((f) => order.includes(f)));
  });
});
