// `gtm-template test` end to end: output lines, the summary line, --json, exit codes.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { print } from '../../src/tpl/index.js';
import { repoRoot } from '../helpers/corpus.js';
import { template } from './helpers.js';

const bin = path.join(repoRoot, 'bin/gtm-template.js');
const run = (args: string[]) => spawnSync('node', [bin, 'test', ...args], { encoding: 'utf8' });
let dir = '';
let passing = '';
let failing = '';

beforeAll(() => {
  execFileSync('node', [path.join(repoRoot, 'scripts/build-cli.js')]);
  dir = mkdtempSync(path.join(tmpdir(), 'gtm-test-cli-'));
  passing = path.join(dir, 'passing.tpl');
  failing = path.join(dir, 'failing.tpl');
  const scenarios = [
    { name: 'succeeds', code: "runCode({}); assertApi('gtmOnSuccess').wasCalled();" },
    { name: 'returns', code: 'runCode({});' },
  ];
  writeFileSync(passing, print(template('data.gtmOnSuccess();', [], { scenarios })));
  writeFileSync(failing, print(template('data.gtmOnFailure();', [], { scenarios })));
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

  test('usage and I/O errors exit 2 with a code', () => {
    expect(run([]).status).toBe(2);
    const missing = run([path.join(dir, 'missing.tpl')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/io\/read-failed/);
    expect(run(['--bogus', passing]).status).toBe(2);
  });
});
