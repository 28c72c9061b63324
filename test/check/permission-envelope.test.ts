// A permission entry as protocol-buffer JSON: an absent "param" list is the empty list.
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { runTests } from '../../src/sandbox/index.js';
import { parse } from '../../src/tpl/index.js';
import { template } from './fixtures.js';

const entry = (id: string, withParam: boolean) =>
  withParam
    ? { instance: { key: { publicId: id, versionId: '1' }, param: [] }, isRequired: true }
    : { instance: { key: { publicId: id, versionId: '1' } }, isRequired: true };

const client = (withParam: boolean) =>
  template([
    [
      'INFO',
      JSON.stringify(
        {
          type: 'CLIENT',
          id: 'cvt_x',
          version: 1,
          securityGroups: [],
          displayName: 'c',
          containerContexts: ['SERVER'],
        },
        null,
        2,
      ),
    ],
    ['TEMPLATE_PARAMETERS', '[]'],
    [
      'SANDBOXED_JS_FOR_SERVER',
      "const claimRequest = require('claimRequest');\nconst returnResponse = require('returnResponse');\nclaimRequest();\nreturnResponse();",
    ],
    [
      'SERVER_PERMISSIONS',
      JSON.stringify([entry('read_request', true), entry('return_response', withParam)], null, 2),
    ],
    ['TESTS', 'scenarios:\n- name: returns\n  code: runCode({});\n'],
  ]);

describe('a permission entry without "param"', () => {
  it('is read as "param": [] with a warning, not an error, and runs as one', () => {
    const found = checkSource(client(false));
    expect(found.filter((d) => d.severity === 'error')).toEqual([]);
    expect(found.filter((d) => d.code === 'permissions/no-param-list').map((d) => d.text)).toEqual([
      expect.stringContaining('"return_response"'),
    ]);
    expect(checkSource(client(true)).some((d) => d.code === 'permissions/no-param-list')).toBe(false);
    const [result] = runTests(parse(client(false)));
    expect(result!.status).toBe('pass');
  });
});
