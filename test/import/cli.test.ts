// `gtm-template import`: writes the project, reports what changed and whether the rebuilt template
// is equivalent; refuses a folder that is not empty and a file that cannot be imported.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compile } from '../../src/compile/index.js';
import { template, webTagInfo } from '../check/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp-dir.js';

const cli = runCli;
afterEach(() => vi.restoreAllMocks());

const base = tempDir('gtm-import-');
const giosg = path.join(repoRoot, 'build/template.tpl');

describe('gtm-template import', () => {
  it('imports the giosg template into a project that builds back into the same form, permissions and scenarios', async () => {
    const dir = path.join(base, 'giosg');
    const run = await cli(['import', giosg, dir]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('form: equivalent');
    expect(run.out).toContain('permissions: equal');
    expect(run.out).toMatch(/scenarios: (\d+) of \1 that passed before still pass/);
    for (const file of [
      'template.json',
      'src/fields.ts',
      'src/main.ts',
      'tests/template.test.ts',
      'icon.png',
      'tsconfig.json',
      'package.json',
    ])
      expect(existsSync(path.join(dir, file)), file).toBe(true);
    // The files on disk build the same way.
    const built = await compile(dir);
    expect(built.errors).toEqual([]);
    const icon = readFileSync(path.join(dir, 'icon.png'));
    expect(icon.subarray(1, 4).toString()).toBe('PNG');
  });

  it('names the folder after the file by default, and --json reports the same', async () => {
    const file = path.join(base, 'my-tag.tpl');
    writeFileSync(file, readFileSync(giosg));
    const cwd = process.cwd();
    process.chdir(base);
    try {
      const run = await cli(['import', 'my-tag.tpl', '--json']);
      expect(run.code).toBe(0);
      const report = JSON.parse(run.out);
      expect(report).toMatchObject({
        dir: 'my-tag',
        complete: true,
        formDifferences: [],
        scenarioRegressions: [],
      });
      expect(existsSync(path.join(base, 'my-tag/src/fields.ts'))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses a folder that is not empty', async () => {
    const dir = path.join(base, 'busy');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'keep.txt'), 'mine');
    const run = await cli(['import', giosg, dir]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('is not empty (keep.txt)');
    expect(existsSync(path.join(dir, 'template.json'))).toBe(false);
  });

  it('says why a file cannot be imported, and writes nothing', async () => {
    const file = path.join(base, 'broken.tpl');
    writeFileSync(
      file,
      '___INFO___\n\n{ not json\n\n___SANDBOXED_JS_FOR_WEB_TEMPLATE___\n\ndata.gtmOnSuccess();\n',
    );
    const dir = path.join(base, 'broken');
    const run = await cli(['import', file, dir]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/broken\.tpl: INFO does not parse .*\(import\/unreadable\)/);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a file that is not UTF-8, and writes nothing', async () => {
    // The giosg template with one Latin-1 byte (0xE9, "é") in its display name.
    const original = readFileSync(giosg, 'utf8');
    const at = original.indexOf('giosg Visitor Variables",');
    const before = original.slice(0, at);
    const after = original.slice(at + 'giosg Visitor Variables",'.length);
    const file = path.join(base, 'latin1.tpl');
    writeFileSync(
      file,
      Buffer.concat([Buffer.from(before + 'Caf'), Buffer.from([0xe9]), Buffer.from('",' + after)]),
    );
    const dir = path.join(base, 'latin1');
    const run = await cli(['import', file, dir]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(
      /latin1\.tpl: byte 0xE9 at line \d+, column \d+ is not valid UTF-8.*\(import\/not-utf8\)/,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it('exits 1 and lists the differences when the rebuilt template is not equivalent', async () => {
    const file = path.join(base, 'dup.tpl');
    writeFileSync(
      file,
      [
        '___INFO___',
        '',
        JSON.stringify({
          type: 'TAG',
          id: 'cvt_temp_public_id',
          version: 1,
          displayName: 'Dup',
          brand: { displayName: 'b' },
          containerContexts: ['WEB'],
        }),
        '',
        '___TEMPLATE_PARAMETERS___',
        '',
        JSON.stringify([
          {
            type: 'SELECT',
            name: 'n',
            displayName: 'N',
            simpleValueType: true,
            selectItems: [
              // A value that is neither text, a number nor a boolean: no union type holds it.
              { value: { id: 1 }, displayValue: 'a' },
              { value: 1, displayValue: 'b' },
            ],
          },
        ]),
        '',
        '___SANDBOXED_JS_FOR_WEB_TEMPLATE___',
        '',
        'data.gtmOnSuccess();',
        '',
      ].join('\n'),
    );
    const run = await cli(['import', file, path.join(base, 'dup')]);
    expect(run.code).toBe(1);
    expect(run.out).toContain('form: ');
    expect(run.out).toContain('form[n].type: "SELECT" → "TEXT"');
    expect(run.out).toContain('(import/select-values)');
    // The original has no errors of its own, so the report does not blame it.
    expect(run.out).toContain('The rebuilt template is not equivalent (see above).');
    expect(run.out).not.toContain('the original:');
  });

  it('when the project does not build, names the errors the original has of its own', async () => {
    const file = path.join(base, 'regex.tpl');
    const text = template([
      ['INFO', webTagInfo()],
      ['TEMPLATE_PARAMETERS', '[]'],
      ['SANDBOXED_JS_FOR_WEB_TEMPLATE', "const clean = 'a-b'.replace(/-/g, '');\ndata.gtmOnSuccess();"],
    ]);
    writeFileSync(file, text);
    const regexLine = text.split('\n').findIndex((line) => line.startsWith('const clean')) + 1;
    const run = await cli(['import', file, path.join(base, 'regex')]);
    expect(run.code).toBe(1);
    // The build's finding on the project, then the same fault as check reports it on the file.
    expect(run.out).toMatch(/regex[/\\]src[/\\]main\.ts:\d+:\d+: error sandbox\/regex/);
    expect(run.out).toContain('the original: 1 error(s) of its own');
    expect(run.out).toContain(`${file}:${regexLine}:29: error js/no-regex-literal`);
    expect(run.out).toContain('does not build because the original has errors of its own');

    const json = await cli(['import', file, path.join(base, 'regex-json'), '--json']);
    const report = JSON.parse(json.out);
    expect(report.originalErrors.map((d: { code: string }) => d.code)).toEqual(['js/no-regex-literal']);
  });
});
