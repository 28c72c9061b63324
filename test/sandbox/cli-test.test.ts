// `gtm-template test` end to end: output lines, the summary line, --json, exit codes.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { workerEntry } from '../../src/cli/files.js';
import { TestWorkerPool } from '../../src/cli/test-workers.js';
import { print } from '../../src/tpl/index.js';
import { repoRoot } from '../helpers/corpus.js';
import { template as sections } from '../check/fixtures.js';
import { template } from './helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const bin = path.join(repoRoot, 'bin/gtm-template.js');
const run = (args: string[]) => spawnSync('node', [bin, 'test', ...args], { encoding: 'utf8' });
let dir = '';
let passing = '';
let failing = '';
let hostile = '';

beforeAll(() => {
  execFileSync('node', [path.join(repoRoot, 'scripts/build-cli.js')]);
  dir = tempDir('gtm-test-cli-');
  passing = path.join(dir, 'passing.tpl');
  failing = path.join(dir, 'failing.tpl');
  const scenarios = [
    { name: 'succeeds', code: "runCode({}); assertApi('gtmOnSuccess').wasCalled();" },
    { name: 'returns', code: 'runCode({});' },
  ];
  writeFileSync(passing, print(template('data.gtmOnSuccess();', [], { scenarios })));
  writeFileSync(failing, print(template('data.gtmOnFailure();', [], { scenarios })));
  hostile = path.join(dir, 'hostile.tpl');
  const grows = 'if (data.grow) { let a = [0]; for (;;) { a = a.concat(a); } } data.gtmOnSuccess();';
  writeFileSync(
    hostile,
    print(
      template(grows, [], {
        scenarios: [
          { name: 'before', code: "runCode({}); assertApi('gtmOnSuccess').wasCalled();" },
          { name: 'allocates without bound', code: 'runCode({grow: true});' },
          { name: 'after', code: "runCode({}); assertApi('gtmOnSuccess').wasCalled();" },
        ],
      }),
    ),
  );
});

describe('gtm-template test', () => {
  test('all passing: one line per scenario with a time, the summary line, exit 0', () => {
    const r = run([passing]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/pass {2}succeeds \(\d+\.\d ms\)/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed');
  });

  test('a failure: exit 1 and the message', () => {
    const r = run([passing, failing]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}succeeds/);
    expect(r.stdout).toMatch(/Expected API gtmOnSuccess to have been called/);
    expect(r.stdout).toMatch(/^3 passed, 1 failed$/m);
  });

  test('--once and --json', () => {
    const r = run(['--json', '--once', failing]);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toEqual([
      {
        file: failing,
        scenarios: [
          expect.objectContaining({ name: 'succeeds', status: 'fail' }),
          expect.objectContaining({ name: 'returns', status: 'pass', message: null }),
        ],
      },
    ]);
    expect(typeof json[0].scenarios[0].ms).toBe('number');
  });

  test('a template that allocates without bound: a memory-limit error for its scenario, every other one still reports', () => {
    const r = run(['--json', '--memory-limit', '64', '--workers', '2', hostile, passing]);
    expect(r.status).toBe(1);
    const [hostileReport, passingReport] = JSON.parse(r.stdout);
    expect(hostileReport.scenarios).toEqual([
      expect.objectContaining({ name: 'before', status: 'pass' }),
      expect.objectContaining({
        name: 'allocates without bound',
        status: 'error',
        code: 'sandbox/memory-limit',
        message: expect.stringMatching(/memory limit exceeded: .*64 MB/),
      }),
      expect.objectContaining({ name: 'after', status: 'pass' }),
    ]);
    expect(passingReport.scenarios.map((s: { status: string }) => s.status)).toEqual(['pass', 'pass']);
    const text = run(['--memory-limit', '64', hostile]);
    expect(text.stdout).toMatch(
      /ERROR allocates without bound .*\n\s+memory limit exceeded: .*\(sandbox\/memory-limit\)/,
    );
    expect(text.stdout).toMatch(/^2 passed, 1 failed$/m);
  });

  test('a hang no time check sees (a runaway regular expression): the stalled worker is ended, the file goes on', async () => {
    const t = template('data.gtmOnSuccess();', [], {
      scenarios: [
        {
          name: 'backtracks',
          code: `'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.match('^(a+)+$');`,
        },
        { name: 'fine', code: "runCode({}); assertApi('gtmOnSuccess').wasCalled();" },
      ],
    });
    const pool = new TestWorkerPool({ entry: workerEntry()!, workers: 1, memoryLimitMb: 128, stallMs: 1500 });
    try {
      const [report] = await pool.run([{ file: 'hangs.tpl', text: print(t) }], {
        once: false,
        strictPermissions: false,
      });
      expect(report!.scenarios).toEqual([
        expect.objectContaining({ name: 'backtracks', status: 'error', code: 'sandbox/time-limit' }),
        expect.objectContaining({ name: 'fine', status: 'pass' }),
      ]);
    } finally {
      await pool.close();
    }
  });

  test('files without scenarios are answered without a worker; the others still reach one', async () => {
    const none = print(template('data.gtmOnSuccess();', [], { scenarios: [] }));
    const withOne = print(
      template('data.gtmOnSuccess();', [], {
        scenarios: [{ name: 'succeeds', code: "runCode({}); assertApi('gtmOnSuccess').wasCalled();" }],
      }),
    );
    const options = { once: false, strictPermissions: false };
    // An entry that cannot start: any file sent to a worker comes back with the worker's failure.
    const broken = new TestWorkerPool({
      entry: path.join(dir, 'no-such-cli.js'),
      workers: 2,
      memoryLimitMb: 128,
    });
    try {
      const reports = await broken.run(
        [
          { file: 'a.tpl', text: none },
          { file: 'b.tpl', text: none },
        ],
        options,
      );
      expect(reports).toEqual([
        { file: 'a.tpl', scenarios: [] },
        { file: 'b.tpl', scenarios: [] },
      ]);
      const mixed = await broken.run(
        [
          { file: 'c.tpl', text: withOne },
          { file: 'd.tpl', text: none },
        ],
        options,
      );
      expect(mixed[0]!.scenarios).toEqual([
        expect.objectContaining({ name: 'succeeds', status: 'error', code: 'test/worker-failed' }),
      ]);
    } finally {
      await broken.close();
    }
    // With a real worker the same files give the in-process results.
    const pool = new TestWorkerPool({ entry: workerEntry()!, workers: 1, memoryLimitMb: 128 });
    try {
      const [c, d] = await pool.run(
        [
          { file: 'c.tpl', text: withOne },
          { file: 'd.tpl', text: none },
        ],
        options,
      );
      expect(c!.scenarios).toEqual([expect.objectContaining({ name: 'succeeds', status: 'pass' })]);
      expect(d).toEqual({ file: 'd.tpl', scenarios: [] });
    } finally {
      await pool.close();
    }
  });

  test('in this process (--workers 0) and on workers, the same results', () => {
    const files = [passing, failing];
    const strip = (out: string) =>
      JSON.parse(out).map((f: { scenarios: { ms: number }[] }) => ({
        ...f,
        scenarios: f.scenarios.map(({ ms: _ms, ...s }) => s),
      }));
    expect(strip(run(['--json', '--workers', '0', ...files]).stdout)).toEqual(
      strip(run(['--json', '--workers', '2', ...files]).stdout),
    );
    expect(run(['--workers', 'two', passing]).stderr).toMatch(/usage\/bad-value/);
  });

  test('a ___TESTS___ section that is YAML but not a {scenarios} mapping: the file fails, nothing is silently dropped', () => {
    const base = print(template('data.gtmOnSuccess();', []));
    const listed = path.join(dir, 'listed.tpl');
    writeFileSync(listed, `${base.trimEnd()}\n\n\n___TESTS___\n\n- name: a\n  code: runCode({});\n`);
    const r = run([listed]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /listed\.tpl:\d+:1: ___TESTS___ must be a YAML mapping .*found a list.*\(test\/bad-tests-section\)/,
    );
    const notList = path.join(dir, 'not-list.tpl');
    writeFileSync(notList, `${base.trimEnd()}\n\n\n___TESTS___\n\nscenarios: one\n`);
    expect(JSON.parse(run(['--json', notList]).stdout)[0].error).toMatch(/"scenarios" is not a list/);
    const none = path.join(dir, 'none.tpl');
    writeFileSync(none, `${base.trimEnd()}\n\n\n___TESTS___\n\nscenarios: []\n`);
    expect(run([none]).status).toBe(0);
  });

  test('a file with no section markers is not a template: it fails, not "no scenarios"', () => {
    const notTemplate = path.join(dir, 'notes.tpl');
    writeFileSync(notTemplate, 'scenarios:\n- name: a\n  code: runCode({});\n');
    const r = run([notTemplate, passing]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/notes\.tpl:1:1: no section markers found.*\(test\/not-a-template\)/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 1 failed');
  });

  test('a section GTM cannot read is noted, and the scenarios run with the type read as far as it goes', () => {
    // A variable whose ___INFO___ has unescaped quotes: GTM refuses the import. Read as a tag, its
    // scenario would fail under --once (a tag must call gtmOnSuccess); read as far as the section
    // allows, it is a variable, which returns its value.
    const broken = path.join(dir, 'broken-info.tpl');
    const text = sections([
      [
        'INFO',
        '{\n  "type": "MACRO",\n  "displayName": "Broken",\n  "description": "says "hello" without escapes",\n  "containerContexts": ["WEB"]\n}',
      ],
      ['TEMPLATE_PARAMETERS', '[]'],
      ['SANDBOXED_JS_FOR_WEB_TEMPLATE', 'return 1;'],
      ['TESTS', 'scenarios:\n- name: returns one\n  code: assertThat(runCode({})).isEqualTo(1);'],
    ]);
    writeFileSync(broken, text);
    const brokenLine = text.split('\n').findIndex((line) => line.includes('"hello"')) + 1;
    for (const workers of ['0', '1']) {
      const r = run(['--once', '--workers', workers, broken]);
      expect(r.status, r.stdout).toBe(0);
      expect(r.stdout).toMatch(
        new RegExp(
          `note: .*broken-info\\.tpl:${brokenLine}:\\d+: ___INFO___ does not parse .*GTM refuses to import the file.*type read as far as the section allows: MACRO.*\\(test/unreadable-section\\)`,
        ),
      );
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed');
      const [row] = JSON.parse(run(['--json', '--workers', workers, broken]).stdout);
      expect(row.note).toMatch(/test\/unreadable-section/);
      expect(row.error).toBeUndefined();
    }
    // A readable file gets no note.
    expect(JSON.parse(run(['--json', passing]).stdout)[0].note).toBeUndefined();
  });

  test('usage and I/O errors exit 2 with a code', () => {
    expect(run([]).status).toBe(2);
    const missing = run([path.join(dir, 'missing.tpl')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/io\/read-failed/);
    expect(run(['--bogus', passing]).status).toBe(2);
  });
});
