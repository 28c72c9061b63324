// write_data_layer as the sandbox enforces it on gtagSet: the read_data_layer reading of key patterns
// (docs/runtime.md, "Permissions").
import { expect, test } from 'vitest';
import { runTemplate } from '../../src/sandbox/index.js';
import { perm, template } from './helpers.js';

const run = (code: string, keyPatterns: string[]) =>
  runTemplate(template(code, [perm('write_data_layer', { keyPatterns })]), {}, {});

test('gtagSet: a key under a.* is written, a glob pattern allows nothing', () => {
  const set = `require('gtagSet')({ 'developer_id.dAbc': true });`;
  expect(run(set, ['developer_id.*']).outcome).not.toBe('error');
  expect(run(set, ['developer_id.*']).errorCode).toBeUndefined();
  expect(run(set, ['developer_id*']).errorCode).toBe('sandbox/permission-denied');
  expect(
    run(`return require('queryPermission')('write_data_layer', 'developer_id.dAbc');`, [
      'dev*',
      'developer_id.*',
    ]).returnValue,
  ).toBe(false);
});
