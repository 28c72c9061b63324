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

describe('a permission key without "versionId"', () => {
  const webTag = (key: Record<string, string>) =>
    template([
      [
        'INFO',
        JSON.stringify({
          type: 'TAG',
          id: 'cvt_x',
          version: 1,
          securityGroups: [],
          displayName: 't',
          containerContexts: ['WEB'],
        }),
      ],
      ['TEMPLATE_PARAMETERS', '[]'],
      [
        'SANDBOXED_JS_FOR_WEB_TEMPLATE',
        "const log = require('logToConsole');\nlog('x');\ndata.gtmOnSuccess();",
      ],
      [
        'WEB_PERMISSIONS',
        JSON.stringify([
          {
            instance: { key, param: [{ key: 'environments', value: { type: 1, string: 'debug' } }] },
            isRequired: true,
          },
        ]),
      ],
    ]);
  const versionFindings = (key: Record<string, string>) =>
    checkSource(webTag(key)).filter((d) => d.code === 'permissions/unexpected-version-id');

  it('says it is missing and names the key that stands in its place, instead of "found undefined"', () => {
    const [d, ...more] = versionFindings({ publicId: 'logging', vpiId: '1' });
    expect(more).toEqual([]);
    expect(d!.severity).toBe('warning');
    expect(d!.text).toBe(
      'The permission\'s key has no "versionId" (the key has "vpiId" instead); GTM\'s exports always write "versionId": "1".',
    );
    expect(versionFindings({ publicId: 'logging' })[0]!.text).toBe(
      'The permission\'s key has no "versionId"; GTM\'s exports always write "versionId": "1".',
    );
  });

  it('still reports another version with the value found, and nothing for "1"', () => {
    expect(versionFindings({ publicId: 'logging', versionId: '2' })[0]!.text).toBe(
      '"versionId" is always "1" in GTM\'s exports, found "2".',
    );
    expect(versionFindings({ publicId: 'logging', versionId: '1' })).toEqual([]);
  });
});
