// The response APIs build the response the world records; returnResponse sends it; each is denied
// when access_response / return_response / set_cookies do not grant it.
import { describe, expect, test } from 'vitest';
import { ANY_RESPONSE, perm, RETURN, runServer } from './helpers.js';

describe('building and returning the response', () => {
  test('status, headers and body are recorded; returnResponse marks it sent', () => {
    const r = runServer(
      `require('claimRequest')();
       require('setResponseStatus')(204);
       require('setResponseHeader')('Content-Type', 'application/json');
       require('setResponseHeader')('X-Remove', 'x');
       require('setResponseHeader')('X-Remove', undefined);
       require('setResponseBody')('{"ok":true}');
       require('returnResponse')();`,
      [ANY_RESPONSE, RETURN],
      {},
      'CLIENT',
    );
    expect(r.error).toBeUndefined();
    expect(r.server.response).toEqual({
      statusCode: 204,
      headers: { 'content-type': ['application/json'] },
      body: '{"ok":true}',
      returned: 1,
      sent: { statusCode: 204, headers: { 'content-type': ['application/json'] }, body: '{"ok":true}' },
    });
  });

  test('returnResponse flushes the response: what is set afterwards is not sent', () => {
    const r = runServer(
      `require('setResponseStatus')(201);
       require('setResponseHeader')('X-A', '1');
       require('setResponseBody')('first');
       require('returnResponse')();
       require('setResponseStatus')(500);
       require('setResponseHeader')('x-a', '2');
       require('setResponseBody')('second');
       require('returnResponse')();`,
      [perm('access_response', { writeResponseAccess: 'any', writeHeaderAccess: 'any' }), RETURN],
      {},
      'CLIENT',
    );
    expect(r.error).toBeUndefined();
    expect(r.server.response.sent).toEqual({ statusCode: 201, headers: { 'x-a': ['1'] }, body: 'first' });
    expect(r.server.response).toMatchObject({ statusCode: 500, body: 'second', returned: 2 });
    expect(
      runServer("require('setResponseBody')('x');", [ANY_RESPONSE]).server.response.sent,
    ).toBeUndefined();
  });

  test('setResponseBody decodes a base64 body', () => {
    const r = runServer("require('setResponseBody')('aGVsbG8=', 'base64');", [ANY_RESPONSE]);
    expect(r.server.response.body).toBe('hello');
  });

  test('setResponseBody decodes a hex body as Node does; character encodings keep the text', () => {
    const body = (args: string) =>
      runServer(`require('setResponseBody')(${args});`, [ANY_RESPONSE]).server.response.body;
    expect(body("'68656c6c6f', 'hex'")).toBe('hello');
    expect(body("'C3A9', 'hex'")).toBe('é');
    // Node stops at the first pair that is not hex.
    expect(body("'6869zz6a', 'hex'")).toBe('hi');
    expect(body("'6869', 'latin1'")).toBe('6869');
    expect(body("'6869', 'utf8'")).toBe('6869');
    expect(body("'6869'")).toBe('6869');
  });

  test('setPixelResponse: a 200 GIF that is not cached', () => {
    const r = runServer("require('setPixelResponse')();", [ANY_RESPONSE]);
    expect(r.server.response.statusCode).toBe(200);
    expect(r.server.response.headers['content-type']).toEqual(['image/gif']);
    expect(r.server.response.headers['cache-control']![0]).toMatch(/no-store/);
    expect(r.server.response.body).toMatch(/^R0lGOD/);
  });

  test('setCookie adds a Set-Cookie header with the options, encoded unless noEncode', () => {
    const cookies = perm('set_cookies', {
      allowedCookies: [{ name: '*', domain: '*', path: '*', secure: 'any', session: 'any' }],
    });
    const r = runServer(
      `require('setCookie')('_id', 'a b', { domain: 'example.com', path: '/', 'max-age': 60, secure: true, httpOnly: true, sameSite: 'Lax' });
       require('setCookie')('raw', 'a b', {}, true);`,
      [cookies],
    );
    expect(r.error).toBeUndefined();
    expect(r.server.response.headers['set-cookie']).toEqual([
      '_id=a%20b; Domain=example.com; Path=/; Max-Age=60; Secure; HttpOnly; SameSite=Lax',
      'raw=a b',
    ]);
    expect(r.cookiesSet.map((c) => [c.name, c.value, c.encode])).toEqual([
      ['_id', 'a b', true],
      ['raw', 'a b', false],
    ]);
  });
});

describe('response denials name the permission and the argument', () => {
  const specific = perm('access_response', {
    writeResponseAccess: 'specific',
    writeHeaderAccess: 'specific',
    writeHeadersAllowed: true,
    writeHeaderWhitelist: [{ headerName: 'Content-Type' }],
  });
  test.each([
    [
      "require('setResponseStatus')(500);",
      /setResponseStatus: permission denied: 'access_response' denies it: setting the response status/,
    ],
    ["require('setResponseBody')('x');", /setting the response body is not allowed/],
    ["require('setResponseHeader')('X-Other', 'v');", /the response header 'X-Other' is not listed/],
    ["require('setPixelResponse')();", /setPixelResponse: permission denied/],
  ])('%s', (code, message) => {
    const r = runServer(code, [specific]);
    expect(r.errorCode).toBe('sandbox/permission-denied');
    expect(r.error).toMatch(message);
  });

  test('a listed header may be set, whatever its case', () => {
    expect(
      runServer("require('setResponseHeader')('content-type', 'text/plain');", [specific]).error,
    ).toBeUndefined();
  });

  test('returnResponse needs return_response (undeclared, and a computed require GTM cannot detect)', () => {
    expect(runServer("require(['return', 'Response'].join(''))();", []).error).toMatch(
      /returnResponse: permission denied: the template does not declare the 'return_response'/,
    );
  });

  test('set_cookies names the cookie', () => {
    const only = perm('set_cookies', {
      allowedCookies: [{ name: '_fbp', domain: '*', path: '*', secure: 'any', session: 'any' }],
    });
    expect(runServer("require('setCookie')('_ga', 'x', {});", [only]).error).toMatch(
      /'set_cookies' denies it: the cookie '_ga'/,
    );
  });
});
