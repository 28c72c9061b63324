// The questions the checker asks a server permission are the ones the sandbox asks when the call
// runs: what the runtime allows is not an error here, and what it denies still is.
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { runTemplate } from '../../src/sandbox/index.js';
import { parse } from '../../src/tpl/index.js';
import { SERVER_TAG, SERVER_TAG_CODE } from './fixtures.js';

// SERVER_TAG's read_request allows one header only: no path, query or body.
const withCode = (code: string) => SERVER_TAG.replace(SERVER_TAG_CODE, code + SERVER_TAG_CODE);
const errorsAt = (text: string) =>
  checkSource(text)
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.code}: ${d.text.split(' uses ')[0]}`);

describe('server permission questions', () => {
  it('isRequestMpv1/2 ask nothing of read_request, in the checker as at run time', () => {
    const text = withCode(
      "const isRequestMpv1 = require('isRequestMpv1');\nconst isRequestMpv2 = require('isRequestMpv2');\nif (isRequestMpv1() || isRequestMpv2()) { data.gtmOnSuccess(); }\n",
    );
    expect(errorsAt(text)).toEqual([]);
    const run = runTemplate(parse(text), { visitorId: 'v' }, { server: { request: { path: '/g/collect' } } });
    // It goes on past both calls (to the fixture's un-answered request), with no permission denied.
    expect(run.errorCode).toBe('sandbox/no-response');
    expect(run.calls.map((c) => c.name)).toContain('isRequestMpv2');
  });

  it('reading what the permission does not allow is still an error: the path, and MP events (body and query)', () => {
    const text = withCode(
      "const getRequestPath = require('getRequestPath');\nconst extractEventsFromMpv2 = require('extractEventsFromMpv2');\ngetRequestPath();\nextractEventsFromMpv2();\n",
    );
    expect(errorsAt(text)).toEqual([
      'code-permissions/argument-not-allowed: getRequestPath',
      'code-permissions/argument-not-allowed: extractEventsFromMpv2',
      'code-permissions/argument-not-allowed: extractEventsFromMpv2',
    ]);
  });
});
