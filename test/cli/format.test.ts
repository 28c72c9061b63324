// `gtm-template format`: rewrites in place, --check reports without writing, and refuses (exit 1)
// a file it cannot rewrite without losing something.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runFormat } from '../../src/cli/format.js';
import { CliUsageError } from '../../src/cli/args.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('gtm-format-');
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(
    (chunk: string | Uint8Array) => ((out += String(chunk)), true),
  );
  vi.spyOn(process.stderr, 'write').mockImplementation(
    (chunk: string | Uint8Array) => ((err += String(chunk)), true),
  );
  try {
    return { code: await runFormat(argv), out, err };
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => vi.restoreAllMocks());

// An old-style export: no BOM, permissions before the code, a single blank line between sections.
const OLD_STYLE = [
  '___INFO___',
  '',
  '{"type": "TAG", "id": "cvt_temp_public_id", "version": 1, "displayName": "A <b>", "containerContexts": ["WEB"]}',
  '',
  '___TEMPLATE_PARAMETERS___',
  '',
  '[]',
  '',
  '___WEB_PERMISSIONS___',
  '',
  '[]',
  '',
  '___SANDBOXED_JS_FOR_WEB_TEMPLATE___',
  '',
  'data.gtmOnSuccess();',
  '',
].join('\n');

describe('gtm-template format', () => {
  it('--check reports an unformatted file with exit 1 and leaves it alone', async () => {
    const f = file('old.tpl', OLD_STYLE);
    const r = await run(['--check', f]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('not formatted');
    expect(readFileSync(f, 'utf8')).toBe(OLD_STYLE);
  });

  it('refuses a file that is not UTF-8 and leaves its bytes as they are', async () => {
    // OLD_STYLE needs formatting; with a Latin-1 "é" (0xE9) in it, writing the text back would
    // turn the byte into U+FFFD.
    const bytes = Buffer.from(OLD_STYLE.replace('"A <b>"', '"Caf\u00e9"'), 'latin1');
    const p = path.join(dir, 'latin1.tpl');
    writeFileSync(p, bytes);
    const r = await run([p]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /latin1\.tpl: cannot format: byte 0xE9 at line 3, column \d+ is not valid UTF-8.*\(format\/not-utf8\)/,
    );
    expect(readFileSync(p).equals(bytes)).toBe(true);
  });

  it('rewrites in the editor style, after which --check passes', async () => {
    const f = file('rewrite.tpl', OLD_STYLE);
    expect((await run([f])).code).toBe(0);
    const text = readFileSync(f, 'utf8');
    expect(text.startsWith('\uFEFF___INFO___\n\n{\n  "type": "TAG",')).toBe(true);
    expect(text).toContain('"displayName": "A \\u003cb\\u003e"');
    expect(text.indexOf('___SANDBOXED_JS_FOR_WEB_TEMPLATE___')).toBeLessThan(
      text.indexOf('___WEB_PERMISSIONS___'),
    );
    expect(text.endsWith('\n\n\n')).toBe(true);
    expect((await run(['--check', f])).code).toBe(0);
  });

  it('refuses a file whose JSON does not parse, naming the section', async () => {
    const broken = OLD_STYLE.replace('"version": 1,', '"version": 1,,');
    const f = file('broken.tpl', broken);
    const r = await run([f]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/___INFO___ does not parse/);
    expect(readFileSync(f, 'utf8')).toBe(broken);
  });

  it('refuses a JSON key written twice with two values, which formatting would lose one of', async () => {
    const twoValues = OLD_STYLE.replace('"version": 1,', '"version": 1,\n  "id": "other",');
    expect(twoValues).not.toBe(OLD_STYLE);
    const f = file('two-values.tpl', twoValues);
    const r = await run([f]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('___INFO___ writes the key "id" twice in one object (the section, line 4)');
    expect(r.err).toContain('(format/unparsable)');
    expect(readFileSync(f, 'utf8')).toBe(twoValues);
    // Inside a nested object the message names the object.
    const nested = OLD_STYLE.replace('"version": 1,', '"brand": {"id": "a", "id": "b"},');
    expect((await run([file('nested.tpl', nested)])).err).toContain('(`brand`, line 3)');
  });

  it('formats a key written twice with the same value, keeping it once', async () => {
    const sameValue = OLD_STYLE.replace('"version": 1,', '"version": 1,\n  "version": 1,');
    const f = file('same-value.tpl', sameValue);
    const r = await run([f]);
    expect(r.code).toBe(0);
    const formatted = readFileSync(f, 'utf8');
    expect(formatted.match(/"version"/g)).toHaveLength(1);
    expect(formatted).toContain('"version": 1');
  });

  it('refuses a file with web and server sections, which one template cannot keep both of', async () => {
    const merged = `${OLD_STYLE}___SANDBOXED_JS_FOR_SERVER___\n\nconst x = 1;\ndata.gtmOnSuccess();\n\n`;
    const f = file('merged.tpl', merged);
    const r = await run([f]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /web and server sections .*___SANDBOXED_JS_FOR_WEB_TEMPLATE___.*___SANDBOXED_JS_FOR_SERVER___/,
    );
    expect(readFileSync(f, 'utf8')).toBe(merged);
    // The permissions of the other context alone are kept too.
    const mixed = OLD_STYLE.replace('___WEB_PERMISSIONS___', '___SERVER_PERMISSIONS___');
    const g = file('mixed.tpl', mixed);
    expect((await run([g])).err).toMatch(/___SERVER_PERMISSIONS___/);
    expect(readFileSync(g, 'utf8')).toBe(mixed);
  });

  it('is a usage error without files or with an unknown option', async () => {
    await expect(run([])).rejects.toBeInstanceOf(CliUsageError);
    await expect(run(['--frob', 'x.tpl'])).rejects.toBeInstanceOf(CliUsageError);
  });
});
