// The questions the checker asks a server permission are the ones the sandbox asks when the call
// runs: what the runtime allows is not an error here, and what it denies still is.
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { runTemplate } from '../../src/sandbox/index.js';
import { parse } from '../../src/tpl/index.js';
import { makePermission } from '../../src/gtm/typed-value.js';
import { SERVER_TAG, SERVER_TAG_CODE, SERVER_TAG_PERMISSIONS } from './fixtures.js';

// SERVER_TAG's read_request allows one header only: no path, query or body.
const withCode = (code: string) => SERVER_TAG.replace(SERVER_TAG_CODE, code + SERVER_TAG_CODE);
const errorsAt = (text: string) =>
  checkSource(text)
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.code}: ${d.text.split(' uses ')[0]}`);

/** `text` with the fixture's permissions minus `ids`. */
function withoutPermissions(text: string, ...ids: string[]): string {
  const entries = JSON.parse(SERVER_TAG_PERMISSIONS) as { instance: { key: { publicId: string } } }[];
  const kept = entries.filter((e) => !ids.includes(e.instance.key.publicId));
  return text.replace(SERVER_TAG_PERMISSIONS, JSON.stringify(kept, null, 2));
}

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

  it('an undeclared access_response is checked as GTM adds it (response access "any"); a declared narrow one still denies', () => {
    const code =
      "const setResponseStatus = require('setResponseStatus');\nconst setResponseBody = require('setResponseBody');\nsetResponseStatus(204);\nsetResponseBody('');\n";
    const narrow = withCode(code);
    expect(errorsAt(narrow)).toEqual([
      'code-permissions/argument-not-allowed: setResponseStatus',
      'code-permissions/argument-not-allowed: setResponseBody',
    ]);
    const undeclared = withoutPermissions(narrow, 'access_response');
    expect(undeclared).not.toContain('access_response');
    const found = checkSource(undeclared);
    expect(found.filter((d) => d.severity === 'error')).toEqual([]);
    const missing = found.filter((d) => d.code === 'code-permissions/missing-permission');
    expect(missing.map((d) => d.severity)).toEqual(['warning']); // one per permission
    expect(missing[0]!.text).toMatch(/"access_response".*writeResponseAccess: "any"/);
    // The runtime adds the same default: the calls go through.
    const run = runTemplate(parse(undeclared), { visitorId: 'v' }, { server: { request: { path: '/' } } });
    expect(run.errorCode).not.toBe('sandbox/permission-denied');
    expect(run.calls.map((c) => c.name)).toEqual(
      expect.arrayContaining(['setResponseStatus', 'setResponseBody']),
    );
  });

  it('an undeclared permission whose GTM default no export shows: what "no parameters" denies is a warning', () => {
    // The fixture's code reads event_name and page_location, the user-agent header and the _ex_id
    // cookie, each allowed by its declared permission.
    expect(errorsAt(SERVER_TAG)).toEqual([]);
    const narrow = withCode("getEventData('user_data');\n");
    expect(errorsAt(narrow)).toEqual(['code-permissions/argument-not-allowed: getEventData']);
    const undeclared = withoutPermissions(narrow, 'read_event_data', 'get_cookies');
    const found = checkSource(undeclared);
    expect(found.filter((d) => d.severity === 'error')).toEqual([]);
    const unknown = found.filter((d) => d.code === 'code-permissions/unknown-default');
    // getEventData ×3 (event_name, page_location, user_data) and getCookieValues('_ex_id').
    expect(unknown.map((d) => d.severity)).toEqual(['warning', 'warning', 'warning', 'warning']);
    expect(unknown.map((d) => d.text.split(';')[0])).toEqual([
      "getEventData uses the event data key 'user_data'", // withCode puts it first
      "getEventData uses the event data key 'event_name'",
      "getEventData uses the event data key 'page_location'",
      "getCookieValues uses the cookie '_ex_id'",
    ]);
    expect(unknown[0]!.text).toMatch(/does not declare "read_event_data"/);
  });

  it('an undeclared permission whose GTM default exports show is still judged by it: send_http allows no URL', () => {
    const found = checkSource(withoutPermissions(SERVER_TAG, 'send_http'));
    expect(found.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual([
      'code-permissions/url-not-allowed',
    ]);
    expect(found.some((d) => d.code === 'code-permissions/unknown-default')).toBe(false);
  });

  it('getClientName needs read_container_data: declared it is used, undeclared it is missing', () => {
    const code =
      "const getClientName = require('getClientName');\nif (getClientName() !== 'GA4') data.gtmOnSuccess();\n";
    const entries = JSON.parse(SERVER_TAG_PERMISSIONS) as unknown[];
    const declared = withCode(code).replace(
      SERVER_TAG_PERMISSIONS,
      JSON.stringify([...entries, makePermission('read_container_data', {})], null, 2),
    );
    const codes = (text: string) => checkSource(text).map((d) => d.code);
    expect(codes(declared)).not.toContain('code-permissions/unused-permission');
    const missing = checkSource(withCode(code)).filter(
      (d) => d.code === 'code-permissions/missing-permission',
    );
    expect(missing.map((d) => d.text)).toEqual([
      expect.stringMatching(/'getClientName'.*"read_container_data"/),
    ]);
  });
});
