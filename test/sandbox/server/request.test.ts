// The incoming request APIs read the world's request as Google's server-side reference describes
// them, and each one is denied when read_request does not grant its part.
import { describe, expect, test } from 'vitest';
import { ANY_HTTP, ANY_RESPONSE, perm, READ_ALL_REQUEST, RETURN, runServer } from './helpers.js';

const request = {
  method: 'post',
  path: '/g/collect',
  query: 'v=2&tid=G-1&en=page_view&en=scroll&q=a%20b',
  headers: { 'User-Agent': 'UA/1', 'X-Multi': ['one', 'two'] },
  body: '{"a":1}',
  remoteAddress: '203.0.113.7',
  cookies: { _ga: 'GA1.1.123.456', enc: 'a%20b' },
};

const read = (expr: string, permissions = [READ_ALL_REQUEST], type: 'TAG' | 'CLIENT' = 'TAG') =>
  runServer(`return ${expr};`, permissions, { request }, type);

describe('reading the request', () => {
  test.each([
    ["require('getRequestMethod')()", 'POST'],
    ["require('getRequestPath')()", '/g/collect'],
    ["require('getRequestQueryString')()", 'v=2&tid=G-1&en=page_view&en=scroll&q=a%20b'],
    ["require('getRequestQueryParameter')('q')", 'a b'],
    ["require('getRequestQueryParameter')('en')", 'page_view'],
    ["require('getRequestQueryParameter')('missing')", undefined],
    ["require('getRequestHeader')('user-agent')", 'UA/1'],
    ["require('getRequestHeader')('x-multi')", 'one, two'],
    ["require('getRequestHeader')('absent')", undefined],
    ["require('getRequestBody')()", '{"a":1}'],
    ["require('getRemoteAddress')()", '203.0.113.7'],
    ["require('isRequestMpv2')()", true],
    ["require('isRequestMpv1')()", false],
  ])('%s → %j', (expr, expected) => {
    const r = read(expr);
    expect(r.error).toBeUndefined();
    expect(r.returnValue).toEqual(expected);
  });

  test.each([
    [{ Forwarded: 'for="[2001:db8::1]:4711";proto=https, for=198.51.100.1' }, '2001:db8::1'],
    [{ Forwarded: 'proto=https;for="192.0.2.60:8080"' }, '192.0.2.60'],
    [{ 'X-Forwarded-For': '198.51.100.9, 10.0.0.1' }, '198.51.100.9'],
    [{}, '127.0.0.1'],
  ])('without a remoteAddress, getRemoteAddress reads the proxy headers (%j → %s)', (headers, expected) => {
    const r = runServer("return require('getRemoteAddress')();", [READ_ALL_REQUEST], {
      request: { headers },
    });
    expect(r.returnValue).toBe(expected);
  });

  test("the world's cookies and Cookie header values read as one Cookie header, joined with '; '", () => {
    const header = (init: object) =>
      runServer("return require('getRequestHeader')('cookie');", [READ_ALL_REQUEST], { request: init })
        .returnValue;
    expect(header({ headers: { Cookie: 'a=1' }, cookies: { b: '2' } })).toBe('a=1; b=2');
    expect(header({ headers: { cookie: ['a=1', 'c=3'] } })).toBe('a=1; c=3');
    expect(header({ headers: { 'X-List': ['a', 'b'] } })).toBeUndefined();
    expect(
      runServer("return require('getRequestHeader')('x-list');", [READ_ALL_REQUEST], {
        request: { headers: { 'X-List': ['a', 'b'] } },
      }).returnValue,
    ).toBe('a, b');
  });

  test('a world path with a query string: the path is read without it, the query with it', () => {
    const r = runServer(
      "return [require('getRequestPath')(), require('getRequestQueryString')(), require('getRequestQueryParameters')(), require('isRequestMpv2')()];",
      [READ_ALL_REQUEST],
      { request: { path: '/g/collect?v=2&en=a', query: { en: 'b' } } },
    );
    expect(r.returnValue).toEqual(['/g/collect', 'v=2&en=a&en=b', { v: '2', en: ['a', 'b'] }, true]);
  });

  test('getRequestQueryParameters maps names to a value, or to all values of a repeated name', () => {
    expect(read("require('getRequestQueryParameters')()").returnValue).toEqual({
      v: '2',
      tid: 'G-1',
      en: ['page_view', 'scroll'],
      q: 'a b',
    });
  });

  test('getCookieValues reads the Cookie header, decoded unless noDecode is true', () => {
    const cookies = perm('get_cookies', { cookieAccess: 'any' });
    expect(read("require('getCookieValues')('enc')", [cookies]).returnValue).toEqual(['a b']);
    expect(read("require('getCookieValues')('enc', true)", [cookies]).returnValue).toEqual(['a%20b']);
    expect(read("require('getCookieValues')('none')", [cookies]).returnValue).toEqual([]);
  });

  test('extractEventsFromMpv2 turns the hit into event data', () => {
    const [event] = read("require('extractEventsFromMpv2')()").returnValue as Record<string, unknown>[];
    expect(event).toMatchObject({
      event_name: 'scroll',
      'x-ga-measurement_id': 'G-1',
      'x-ga-protocol_version': '2',
      ip_override: '203.0.113.7',
      user_agent: 'UA/1',
    });
  });

  test("extractEventsFromMpv2 names GTM's keys; other parameters keep theirs under x-ga-mp2-", () => {
    const hit = {
      method: 'POST',
      path: '/g/collect',
      query:
        'v=2&tid=G-2&gtm=45abc&_p=1700&_s=3&sid=99&sct=4&_et=12&tfd=80&gcs=G111&npa=0&_ss=1&_z=ccd&sst.etld=example.com&tt=internal&ir=1&en=page_view&epn.price=1.5&up.tier=gold',
    };
    const r = runServer("return require('extractEventsFromMpv2')();", [READ_ALL_REQUEST], { request: hit });
    expect(r.error).toBeUndefined();
    const [event] = r.returnValue as Record<string, unknown>[];
    expect(event).toMatchObject({
      'x-ga-measurement_id': 'G-2',
      'x-ga-gtm_version': '45abc',
      'x-ga-page_id': 1700,
      'x-ga-request_count': 3,
      ga_session_id: '99',
      ga_session_number: 4,
      engagement_time_msec: 12,
      'x-ga-tfd': 80,
      'x-ga-gcs': 'G111',
      'x-ga-npa': '0',
      'x-ga-system_properties': { ss: '1', z: 'ccd' },
      'x-sst-system_properties': { etld: 'example.com' },
      'x-ga-mp2-tt': 'internal',
      'x-ga-mp2-ir': '1',
      event_name: 'page_view',
      price: 1.5,
      'x-ga-mp2-user_properties': { tier: 'gold' },
    });
    for (const key of ['x-ga-gtm', 'x-ga-_p', 'x-ga-tt', 'x-ga-v']) expect(event).not.toHaveProperty([key]);
  });

  test('extractEventsFromMpv1 keeps the parameters it has no name for under x-ga-mp1-', () => {
    const hit = { method: 'POST', path: '/collect', query: 'v=1&tid=UA-1-1&t=event&ea=signup&ev=7&cid=5.6' };
    const [event] = runServer("return require('extractEventsFromMpv1')();", [READ_ALL_REQUEST], {
      request: hit,
    }).returnValue as Record<string, unknown>[];
    expect(event).toMatchObject({ event_name: 'signup', client_id: '5.6', 'x-ga-mp1-ev': '7' });
    expect(event).not.toHaveProperty(['x-ga-ev']);
  });

  test('a default request: GET /, no headers, no body', () => {
    const r = runServer(
      "return [require('getRequestMethod')(), require('getRequestPath')(), require('getRequestHeader')('referer'), require('getRequestBody')()];",
      [READ_ALL_REQUEST],
    );
    expect(r.returnValue).toEqual(['GET', '/', undefined, undefined]);
  });
});

describe('read_request denials name the permission and the argument', () => {
  const specific = (params: Record<string, unknown>) =>
    perm('read_request', {
      requestAccess: 'specific',
      headerAccess: 'specific',
      queryParameterAccess: 'specific',
      ...params,
    } as never);
  test.each([
    [
      "require('getRequestBody')()",
      {},
      /getRequestBody: permission denied: 'read_request' denies it: reading the request body/,
    ],
    ["require('getRequestPath')()", {}, /'read_request' denies it: reading the request path/],
    ["require('getRemoteAddress')()", {}, /reading the remote address/],
    [
      "require('getRequestHeader')('cookie')",
      { headersAllowed: true, headerWhitelist: [{ headerName: 'User-Agent' }] },
      /the header 'cookie' is not listed/,
    ],
    [
      "require('getRequestQueryParameter')('q')",
      { queryParametersAllowed: true, queryParameterWhitelist: [{ queryParameter: 'v' }] },
      /the query parameter 'q' is not listed/,
    ],
    ["require('getRequestQueryString')()", { queryParametersAllowed: true }, /needs "Query parameters: any"/],
  ])('%s', (expr, params, message) => {
    const r = read(expr, [specific(params)]);
    expect(r.errorCode).toBe('sandbox/permission-denied');
    expect(r.error).toMatch(message);
  });

  test('a listed header is read whatever its case', () => {
    const r = read("require('getRequestHeader')('user-agent')", [
      specific({ headersAllowed: true, headerWhitelist: [{ headerName: 'User-Agent' }] }),
    ]);
    expect(r.returnValue).toBe('UA/1');
  });

  test('without read_request at all (a computed require GTM cannot detect)', () => {
    expect(read("require(['getRequest', 'Method'].join(''))()", []).error).toMatch(
      /does not declare the 'read_request' permission/,
    );
  });

  test('get_cookies names the cookie', () => {
    const r = read("require('getCookieValues')('_ga')", [
      perm('get_cookies', { cookieAccess: 'specific', cookieNames: ['_fbp'] }),
    ]);
    expect(r.error).toMatch(
      /getCookieValues: permission denied: 'get_cookies' denies it: the cookie '_ga' is not listed/,
    );
  });
});

describe('claimRequest', () => {
  test('a client claims the request; a tag may not', () => {
    const client = runServer("require('claimRequest')(); return 1;", [RETURN], { request }, 'CLIENT');
    expect(client.error).toBeUndefined();
    expect(client.server.claimed).toBe(true);
    const tag = runServer("require('claimRequest')();", [RETURN], { request }, 'TAG');
    expect(tag.error).toMatch(/only a client can claim the request/);
  });

  test('not after the response was returned', () => {
    const r = runServer(
      "require('claimRequest')(); require('returnResponse')(); require('claimRequest')();",
      [RETURN],
      {},
      'CLIENT',
    );
    expect(r.error).toMatch(/Tried to claim a request after a Client had returned/);
  });

  test('not after the client returned: in a callback or promise reaction it throws, in code it calls directly it works', () => {
    const claim = (code: string) =>
      runServer(code, [RETURN, ANY_HTTP, ANY_RESPONSE], { http: { 'https://a.example/': {} } }, 'CLIENT');
    const later = claim("require('callLater')(() => require('claimRequest')());");
    expect(later.error).toMatch(/Calling claimRequest from a callback is not supported/);
    expect(later.server.claimed).toBe(false);
    // A throw in a reaction rejects the promise the reaction returns, as in JavaScript.
    const reaction = claim(
      "require('sendHttpGet')('https://a.example/').then(() => require('claimRequest')()).then(() => require('setResponseStatus')(500), () => require('setResponseStatus')(400));",
    );
    expect(reaction.server.claimed).toBe(false);
    expect(reaction.server.response.statusCode).toBe(400);
    const direct = claim("[1].forEach(() => require('claimRequest')()); return 1;");
    expect(direct.error).toBeUndefined();
    expect(direct.server.claimed).toBe(true);
  });

  test("getClientName is the world's", () => {
    expect(runServer("return require('getClientName')();", [], { clientName: 'GA4' }).returnValue).toBe(
      'GA4',
    );
  });

  test('getClientName needs read_container_data (GTM adds it, as for any required API)', () => {
    // Required by name, GTM detects it and adds the permission: the call works undeclared.
    expect(runServer("return require('getClientName')();", [], { clientName: 'GA4' }).error).toBeUndefined();
    // A computed require is not detected, so nothing adds the permission and the call is denied.
    const hidden = runServer("return require(['getClient', 'Name'].join(''))();", [], { clientName: 'GA4' });
    expect(hidden.errorCode).toBe('sandbox/permission-denied');
    expect(hidden.error).toMatch(/read_container_data/);
  });
});
