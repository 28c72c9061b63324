// Outgoing requests: callback and Promise forms, answered by the world (never sent), recorded
// with their bodies; a request nothing answers fails the run; send_http denials name the URL.
import { describe, expect, test } from 'vitest';
import { ANY_HTTP, perm, runServer } from './helpers.js';

const LOG = perm('logging', { environments: 'all' });
const http = {
  'https://api.example.com/ok': {
    statusCode: 201,
    headers: { 'content-type': 'text/plain' },
    body: 'created',
  },
  'https://api.example.com/fail': { error: 'failed' as const },
  'https://api.example.com/slow': { error: 'timed_out' as const },
};

describe('sendHttpRequest', () => {
  test('callback form: (statusCode, headers, body) after the code returns; the request is recorded', () => {
    const r = runServer(
      `const log = require('logToConsole');
       require('sendHttpRequest')('https://api.example.com/ok', (status, headers, body) => {
         log(status, headers['content-type'], body);
         data.gtmOnSuccess();
       }, { method: 'post', headers: { 'X-Key': 1 }, timeout: 500 }, 'payload');
       log('sent');`,
      [ANY_HTTP, LOG],
      { http },
    );
    expect(r.logs).toEqual([['sent'], [201, 'text/plain', 'created']]);
    expect(r.outcome).toBe('success');
    expect(r.server.httpRequests).toEqual([
      {
        api: 'sendHttpRequest',
        url: 'https://api.example.com/ok',
        method: 'POST',
        headers: { 'X-Key': '1' },
        body: 'payload',
        timeout: 500,
      },
    ]);
  });

  test('Promise form: resolves with { statusCode, headers, body }; failures reject with { reason }', () => {
    const r = runServer(
      `const log = require('logToConsole');
       const send = require('sendHttpRequest');
       send('https://api.example.com/ok', { method: 'GET' }).then((res) => log(res.statusCode, res.body));
       send('https://api.example.com/fail').catch((e) => log('failed', e.reason));
       send('https://api.example.com/slow').then(() => log('never'), (e) => log('timeout', e.reason));`,
      [ANY_HTTP, LOG],
      { http },
    );
    expect(r.error).toBeUndefined();
    expect(r.logs).toEqual([
      [201, 'created'],
      ['failed', 'failed'],
      ['timeout', 'timed_out'],
    ]);
    expect(r.server.httpRequests.map((q) => q.timeout)).toEqual([15000, 15000, 15000]);
  });

  test('callback form: a failed request calls back with status 0, a timed-out one with -1, no body', () => {
    const r = runServer(
      `const log = require('logToConsole');
       const send = require('sendHttpRequest');
       send('https://api.example.com/fail', (status, headers, body) => log('failed', status, body === undefined));
       require('sendHttpGet')('https://api.example.com/slow', (status, headers, body) => log('timeout', status, body === undefined), { timeout: 50 });`,
      [ANY_HTTP, LOG],
      { http },
    );
    expect(r.error).toBeUndefined();
    expect(r.logs).toEqual([
      ['failed', 0, true],
      ['timeout', -1, true],
    ]);
  });

  test('a response without a body gives undefined (callback and Promise); an empty body stays empty', () => {
    const r = runServer(
      `const log = require('logToConsole');
       const send = require('sendHttpRequest');
       send('https://api.example.com/none', (status, headers, body) => log('callback', status, body === undefined));
       send('https://api.example.com/none').then((res) => log('promise', res.statusCode, res.body === undefined));
       require('sendHttpGet')('https://api.example.com/empty', (status, headers, body) => log('empty', body === ''));`,
      [ANY_HTTP, LOG],
      {
        http: {
          'https://api.example.com/none': { statusCode: 204 },
          'https://api.example.com/empty': { statusCode: 200, body: '' },
        },
      },
    );
    expect(r.error).toBeUndefined();
    expect(r.logs).toEqual([
      ['promise', 204, true],
      ['callback', 204, true],
      ['empty', true],
    ]);
  });

  test('a function answer sees the request; answers match by longest URL prefix', () => {
    const r = runServer(
      `require('sendHttpRequest')('https://api.example.com/echo/1', { method: 'PUT' }, 'b').then((res) => { require('logToConsole')(res.body); });`,
      [ANY_HTTP, LOG],
      {
        http: {
          'https://api.example.com/': { statusCode: 500 },
          'https://api.example.com/echo/': (req) => ({ body: `${req.method} ${req.body}` }),
        },
      },
    );
    expect(r.logs).toEqual([['PUT b']]);
  });

  test("getGoogleAuth's object rides along as the request's authorization, for the world to see", () => {
    const scope = 'https://www.googleapis.com/auth/datastore';
    const creds = perm('use_google_credentials', { allowedScopes: [scope] });
    const r = runServer(
      `const auth = require('getGoogleAuth')({ scopes: ['${scope}'] });
       require('sendHttpRequest')('https://firestore.googleapis.com/v1/x', { authorization: auth, method: 'GET' });
       require('sendHttpGet')('https://api.example.com/ok');`,
      [ANY_HTTP, creds],
      {
        http: {
          'https://firestore.googleapis.com/': (req) => ({ statusCode: req.authorization ? 200 : 401 }),
          ...http,
        },
      },
    );
    expect(r.error).toBeUndefined();
    expect(r.server.httpRequests.map((q) => q.authorization)).toEqual([{ scopes: [scope] }, undefined]);
  });

  test('a request nothing answers ends the run and says how to answer it', () => {
    const r = runServer("require('sendHttpRequest')('https://unknown.example/x', () => {});", [ANY_HTTP]);
    expect(r.outcome).toBe('error');
    expect(r.errorCode).toBe('sandbox/no-response');
    expect(r.error).toMatch(
      /sendHttpRequest: nothing answers GET https:\/\/unknown\.example\/x \(requests are never sent\): mock\('sendHttpRequest'/,
    );
  });

  test('also from inside a promise reaction: it is not swallowed as a rejection', () => {
    const r = runServer(
      "require('sendHttpRequest')('https://api.example.com/ok').then(() => require('sendHttpRequest')('https://unknown.example/'));",
      [ANY_HTTP],
      { http },
    );
    expect(r.errorCode).toBe('sandbox/no-response');
  });

  test('sendHttpGet: callback and Promise forms', () => {
    const r = runServer(
      `require('sendHttpGet')('https://api.example.com/ok', (status) => require('logToConsole')('cb', status));
       require('sendHttpGet')('https://api.example.com/ok').then((res) => require('logToConsole')('promise', res.statusCode));`,
      [ANY_HTTP, LOG],
      { http },
    );
    expect(r.logs).toEqual([
      ['promise', 201],
      ['cb', 201],
    ]);
    expect(r.server.httpRequests.map((q) => q.method)).toEqual(['GET', 'GET']);
  });
});

describe('send_http denials name the URL', () => {
  test('a URL no pattern allows', () => {
    const r = runServer(
      "require('sendHttpRequest')('https://evil.example/', () => {});",
      [perm('send_http', { allowedUrls: 'specific', urls: ['https://api.example.com/*'] })],
      { http },
    );
    expect(r.errorCode).toBe('sandbox/permission-denied');
    expect(r.error).toMatch(
      /sendHttpRequest: permission denied: 'send_http' denies it: 'https:\/\/evil\.example\/' matches none of its URL patterns \(https:\/\/api\.example\.com\/\*\)/,
    );
    expect(r.server.httpRequests).toEqual([]);
  });

  test('"Allow Google Domains" opens Google hosts only', () => {
    const google = perm('send_http', { allowedUrls: 'specific', urls: [], allowGoogleDomains: true });
    const world = { http: { 'https://': { statusCode: 200 } } };
    expect(
      runServer(
        "require('sendHttpGet')('https://www.google-analytics.com/g/collect', () => {});",
        [google],
        world,
      ).error,
    ).toBeUndefined();
    expect(
      runServer("require('sendHttpGet')('https://google.com.evil.example/', () => {});", [google], world)
        .errorCode,
    ).toBe('sandbox/permission-denied');
  });
});

describe('other outgoing traffic', () => {
  test('sendPixelFromBrowser records the pixel; send_pixel_from_browser names the URL', () => {
    const allowed = perm('send_pixel_from_browser', {
      allowedUrls: 'specific',
      urls: ['https://px.example/*'],
    });
    const r = runServer("return require('sendPixelFromBrowser')('https://px.example/p?x=1');", [allowed]);
    expect(r.returnValue).toBe(true);
    expect(r.server.pixelsFromBrowser).toEqual(['https://px.example/p?x=1']);
    expect(runServer("require('sendPixelFromBrowser')('https://other.example/');", [allowed]).error).toMatch(
      /'send_pixel_from_browser' denies it/,
    );
  });

  test('sendPixelFromBrowser answers false once the response has been returned', () => {
    const allowed = perm('send_pixel_from_browser', { allowedUrls: 'any' });
    const r = runServer(
      `require('returnResponse')();
       return require('sendPixelFromBrowser')('https://px.example/p');`,
      [allowed, perm('return_response')],
    );
    expect(r.returnValue).toBe(false);
    expect(r.server.pixelsFromBrowser).toEqual([]);
  });

  test('sendEventToGoogle records the event and resolves with the redirect location, if any', () => {
    const r = runServer(
      `const log = require('logToConsole');
       require('sendEventToGoogle')({ event_name: 'x' }).then((res) => log(res.location, res.statusCode));
       require('sendEventToGoogleAnalytics')({ event_name: 'y' }).then((res) => log(res.location));`,
      [ANY_HTTP, LOG],
      {
        http: {
          'https://www.google-analytics.com/': (req) =>
            req.api === 'sendEventToGoogle'
              ? { statusCode: 204 }
              : { statusCode: 302, headers: { Location: 'https://example.com/next' } },
        },
      },
    );
    expect(r.logs).toEqual([[undefined, undefined], ['https://example.com/next']]);
    expect(r.server.eventsToGoogle).toEqual([{ event_name: 'x' }, { event_name: 'y' }]);
  });

  test("getGoogleScript resolves { script, metadata } from the script's Google URL; failures reject", () => {
    const r = runServer(
      `const log = require('logToConsole');
       const get = require('getGoogleScript');
       get('GTAG', { id: 'G-1', timeout: 300 }).then((res) => log(res.script, res.metadata));
       get('ANALYTICS').then((res) => log(res.script, res.metadata));
       get('GTM', { id: 'GTM-X' }).catch((e) => log('failed', e.reason));`,
      [ANY_HTTP, LOG],
      {
        http: {
          'https://www.googletagmanager.com/gtag/js?id=G-1': {
            headers: { 'Cache-Control': 'max-age=900', 'Content-Type': 'text/javascript' },
            body: 'gtag();',
          },
          'https://www.google-analytics.com/analytics.js': { body: 'ga();' },
          'https://www.googletagmanager.com/gtm.js?id=GTM-X': { error: 'failed' as const },
        },
      },
    );
    expect(r.error).toBeUndefined();
    expect(r.logs).toEqual([
      ['gtag();', { 'cache-control': 'max-age=900' }],
      ['ga();', {}],
      ['failed', 'failed'],
    ]);
    expect(r.server.httpRequests.map((q) => [q.api, q.method, q.timeout])).toEqual([
      ['getGoogleScript', 'GET', 300],
      ['getGoogleScript', 'GET', 15000],
      ['getGoogleScript', 'GET', 15000],
    ]);
  });

  test('getGoogleScript(script, callback, options): the older callback form calls back with the script and metadata', () => {
    const r = runServer(
      `const log = require('logToConsole');
       const get = require('getGoogleScript');
       const result = get('GTM', (script, metadata) => {
         log(script, metadata);
         data.gtmOnSuccess();
       }, { id: 'GTM-X', timeout: 700 });
       get('GTAG', () => log('never'), { id: 'G-1' });
       log('returned', result);`,
      [ANY_HTTP, LOG],
      {
        http: {
          'https://www.googletagmanager.com/gtm.js?id=GTM-X': {
            headers: { Expires: 'Thu, 01 Jan 2099 00:00:00 GMT' },
            body: 'gtm();',
          },
          'https://www.googletagmanager.com/gtag/js?id=G-1': { error: 'failed' as const },
        },
      },
    );
    expect(r.error).toBeUndefined();
    expect(r.logs).toEqual([
      ['returned', undefined],
      ['gtm();', { expires: 'Thu, 01 Jan 2099 00:00:00 GMT' }],
    ]);
    expect(r.outcome).toBe('success');
    expect(r.server.httpRequests.map((q) => [q.url, q.timeout])).toEqual([
      ['https://www.googletagmanager.com/gtm.js?id=GTM-X', 700],
      ['https://www.googletagmanager.com/gtag/js?id=G-1', 15000],
    ]);
    const other = perm('send_http', { allowedUrls: 'specific', urls: ['https://api.example.com/*'] });
    const denied = runServer("require('getGoogleScript')('GTM', () => {}, { id: 'GTM-Y' });", [other]);
    expect(denied.error).toMatch(/gtm\.js\?id=GTM-Y/);
  });

  test("getGoogleScript needs send_http for the script's URL and names only the three scripts", () => {
    const other = perm('send_http', { allowedUrls: 'specific', urls: ['https://api.example.com/*'] });
    const denied = runServer("require('getGoogleScript')('GTM', { id: 'GTM-X' });", [other]);
    expect(denied.errorCode).toBe('sandbox/permission-denied');
    expect(denied.error).toMatch(
      /getGoogleScript: .*https:\/\/www\.googletagmanager\.com\/gtm\.js\?id=GTM-X/,
    );
    const unknown = runServer("require('getGoogleScript')('PIXEL');", [ANY_HTTP]);
    expect(unknown.error).toMatch(/unknown script "PIXEL"/);
  });
});
