// What a build writes: deterministic bytes, a .tpl that parses back to the same template, a
// container export that passes the structural check, metadata.yaml, and ___TESTS___ scenarios.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/index.js';
import { containerProblems } from '../../src/tpl/container.js';
import { metadataYaml } from '../../src/tpl/metadata.js';
import { parse } from '../../src/tpl/parse.js';
import { runTests } from '../../src/sandbox/index.js';
import { repoRoot } from '../helpers/corpus.js';
import { compiledFixture, compileMemory, fixtureDir, tagMain } from './helpers.js';

describe('build outputs', () => {
  it('two builds give identical bytes', async () => {
    const first = await compiledFixture();
    const second = await compile(fixtureDir);
    expect(second.files).toEqual(first.files);
  });

  it('template.tpl parses back to the compiled template, with the icon as a data: URI', async () => {
    const { files, template } = await compiledFixture();
    const back = parse(files!['template.tpl']);
    expect(back.syntaxErrors).toEqual([]);
    expect(back.parameters).toEqual(template!.parameters);
    expect(back.code).toBe(template!.code);
    expect(back.info?.brand?.thumbnail).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(back.notes).toBe('A test fixture of the gtm-template compiler.');
  });

  it('container.json passes the export format check, its tag type matching the customTemplate', async () => {
    const { files, template } = await compiledFixture();
    const container = JSON.parse(files!['container.json']!);
    expect(containerProblems(container)).toEqual([]);
    const cv = container.containerVersion;
    expect(cv.tag.map((t: { type: string }) => t.type)).toEqual(['cvt_100000001_1', 'cvt_100000001_1']);
    expect(cv.customTemplate[0].templateData).toBe(files!['template.tpl'].replace(/^\uFEFF/, ''));
    const concat = cv.tag[0];
    expect(concat.firingTriggerId).toEqual([cv.trigger[0].triggerId]);
    expect(concat.parameter).toContainEqual({ type: 'BOOLEAN', key: 'shout', value: 'true' });
    expect(concat.parameter).toContainEqual({
      type: 'LIST',
      key: 'items',
      list: [
        {
          type: 'MAP',
          map: [
            { type: 'TEMPLATE', key: 'name', value: 'a' },
            { type: 'TEMPLATE', key: 'kind', value: 'plain' },
            { type: 'TEMPLATE', key: 'value', value: '1' },
          ],
        },
      ],
    });
    expect(cv.tag[1].firingTriggerId).toEqual(['2147479553']);
    expect(template!.info?.type).toBe('TAG');
    // A broken export is caught by the same check.
    cv.tag[0].type = 'cvt_0_9';
    expect(containerProblems(container)).toHaveLength(1);
  });

  it('metadata.yaml lists the versions newest first', () => {
    const text = metadataYaml({
      homepage: 'https://example.com',
      versions: [
        { sha: 'a'.repeat(40), changeNotes: 'Second.' },
        { sha: 'b'.repeat(40), changeNotes: 'First.' },
      ],
    });
    expect(parseYaml(text)).toEqual({
      homepage: 'https://example.com',
      versions: [
        { sha: 'a'.repeat(40), changeNotes: 'Second.' },
        { sha: 'b'.repeat(40), changeNotes: 'First.' },
      ],
    });
  });

  it("the fixture's scenarios compile into ___TESTS___ and pass in the offline runner", async () => {
    const { template } = await compiledFixture();
    expect(template!.tests!.scenarios.map((s) => s.name)).toEqual([
      'sums and succeeds',
      'concatenates with a separator',
    ]);
    expect(template!.tests!.setup).toContain("mock('setInWindow'");
    expect(template!.tests!.scenarios[1]!.code).toContain('__assign');
    const results = runTests(template!);
    expect(results.map((r) => [r.name, r.status, r.message])).toEqual([
      ['sums and succeeds', 'pass', undefined],
      ['concatenates with a separator', 'pass', undefined],
    ]);
  });

  it('test data with a key the form does not have is a warning at the key', async () => {
    const result = await compileMemory({
      'src/main.ts': tagMain(''),
      'tests/a.test.ts':
        "import { runCode, scenario } from 'gtm/test';\nscenario('x', () => {\n  runCode({ name: 'a', nmae: 'b' });\n});\n",
    });
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'tests/unknown-field', file: 'tests/a.test.ts', line: 3, column: 24 }),
    ]);
  });

  it("each runCode(x) is checked against the x in its own scope, not another scenario's", async () => {
    const result = await compileMemory({
      'src/main.ts': tagMain(''),
      'tests/a.test.ts':
        "import { runCode, scenario } from 'gtm/test';\n" +
        "const mockData = { name: 'module' };\n" +
        "scenario('first', () => {\n  const mockData = { nmae: 'typo' };\n  runCode(mockData);\n});\n" +
        "scenario('second', () => {\n  const mockData = { name: 'fine' };\n  runCode(mockData);\n});\n" +
        "scenario('third', () => {\n  runCode(mockData);\n});\n",
    });
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'tests/unknown-field', file: 'tests/a.test.ts', line: 4, column: 22 }),
    ]);
  });

  it('test data of the wrong type for its field is a warning at the key; variable fields take anything', async () => {
    const fields =
      'export interface Fields {\n  /** @title Name */\n  name?: string;\n  /** @title On */\n  on?: boolean;\n' +
      "  /** @title Rows */\n  rows?: { key: string; kind: 'a' | 'b' }[];\n}\n";
    const result = await compileMemory({
      'src/fields.ts': fields,
      'src/main.ts': tagMain(''),
      'tests/a.test.ts':
        "import { runCode, scenario } from 'gtm/test';\n" +
        "const mockData = { name: 5, on: 'yes', rows: [{ key: 7, kind: 'c' }] };\n" +
        "scenario('x', () => {\n  runCode(mockData);\n});\n",
    });
    expect(result.warnings.map((d) => [d.code, d.line, d.column, d.text.split(' (')[0]])).toEqual([
      ['tests/bad-field-value', 2, 29, "test data 'on' must be boolean"],
      ['tests/bad-field-value', 2, 40, "test data 'rows.0.kind' must be equal to one of the allowed values"],
    ]);
  });

  it("the project's own .d.ts files are in the type check, as in the editor", async () => {
    const result = await compileMemory({
      'src/visitor.d.ts': 'interface Visitor {\n  name: string;\n}\n',
      'src/main.ts': tagMain(
        "  const visitor: Visitor = { name: data.name ?? '' };\n  logToConsole(visitor.name);",
        "import { logToConsole } from 'gtm';",
      ),
    });
    expect(result.errors).toEqual([]);
    expect(result.template!.code).toContain('logToConsole(visitor.name)');
  });

  it('a main module without a default export is an error naming it', async () => {
    const result = await compileMemory({
      'src/main.ts': tagMain('').replace('export default function', 'export function'),
    });
    expect(result.errors).toEqual([expect.objectContaining({ code: 'bundle/no-main', file: 'src/main.ts' })]);
  });

  it("a variable template returns main's value (main's body is the code's body)", async () => {
    const result = await compileMemory(
      {
        'src/main.ts':
          "import type { VariableData } from 'gtm';\nimport type { Fields } from './fields';\n" +
          "export default function main(data: VariableData<Fields>): string {\n  return `<${data.name ?? ''}>`;\n}\n",
      },
      { type: 'MACRO' },
    );
    expect(result.errors).toEqual([]);
    expect(result.template!.code).toBe("return '<' + (data.name != null ? data.name : '') + '>';");
  });
});

describe('gtm-template build', () => {
  const cli = path.join(repoRoot, 'bin/gtm-template.js');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, encoding: 'utf8' });

  it('writes build outputs and exits 0', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'gtm-build-'));
    try {
      const r = run('build', 'test/fixtures/lowering', '--out', out);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(readFileSync(path.join(out, 'template.tpl'), 'utf8')).toContain(
        '___SANDBOXED_JS_FOR_WEB_TEMPLATE___',
      );
      expect(existsSync(path.join(out, 'container.json'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('exits 1 on compile errors, printed as file:line:col: error code: text', () => {
    const dir = mkdtempSync(path.join(repoRoot, 'test/fixtures/.tmp-'));
    try {
      cpSync(fixtureDir, dir, { recursive: true });
      writeFileSync(path.join(dir, 'tsconfig.json'), '{}');
      const helpers = path.join(dir, 'src/helpers.ts');
      writeFileSync(helpers, readFileSync(helpers, 'utf8') + 'export const d = new Array(1);\n');
      const r = run('build', path.relative(repoRoot, dir), '--out', path.join(dir, 'out'));
      expect(r.status).toBe(1);
      const rel = path.relative(repoRoot, path.join(dir, 'src/helpers.ts'));
      expect(r.stderr).toMatch(
        new RegExp(`^${rel.replace(/[.\\/]/g, '\\$&')}:\\d+:18: error sandbox/new: `, 'm'),
      );
      expect(existsSync(path.join(dir, 'out'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reuses the stages cached on disk when nothing changed, with the same bytes', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'gtm-build-'));
    try {
      rmSync(path.join(fixtureDir, '.cache'), { recursive: true, force: true });
      const first = run('build', 'test/fixtures/lowering', '--out', out, '--timings');
      const bytes = readFileSync(path.join(out, 'template.tpl'), 'utf8');
      const second = run('build', 'test/fixtures/lowering', '--out', out, '--timings');
      expect([first.status, second.status]).toEqual([0, 0]);
      expect(first.stdout).toMatch(/stages \(ms\): .*bundle .*tests /);
      expect(second.stdout).not.toMatch(/bundle|tests |fields/);
      expect(readFileSync(path.join(out, 'template.tpl'), 'utf8')).toBe(bytes);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('exits 2 with a code for a folder that is not a project', () => {
    const r = run('build', 'no-such-folder');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('io/no-project');
  });
});
