// The simulated page and the result panel's model, without a browser: the setup's checks, GTM
// variables read from a page, stand-in answers, and the text the result panel shows.
import { describe, expect, it } from 'vitest';
import { kindOf, PIXEL_GIF, RequestLog, standInAnswer } from '../../src/preview/network.js';
import { inlineSafe, jsonForScript, renderSimulatedPage } from '../../src/preview/pages.js';
import {
  checkSetup,
  constantValue,
  defaultSetup,
  parseSetup,
  ruleFor,
} from '../../src/preview/page/setup.js';
import { variableLookup, type PageView } from '../../src/preview/page/variables.js';
import {
  deniedPermission,
  formatCall,
  formatCookie,
  formatValue,
  outcomeSummary,
  type WireRunResult,
} from '../../src/preview/result.js';

const page: PageView = {
  url: 'https://shop.example.com/cart?x=1',
  referrer: 'https://www.google.com/',
  cookie: 'consent=yes; name=Jane%20Doe; broken=%E0%A4%A',
  window: {
    user: { profile: { email: 'jane@example.com' } },
    dataLayer: [
      { event: 'gtm.js' },
      { ecommerce: { value: 10, items: ['a'] } },
      { ecommerce: { currency: 'EUR' }, event: 'purchase' },
      ['set', 'ignored'],
    ],
  },
};

function result(partial: Partial<WireRunResult>): WireRunResult {
  return {
    outcome: 'success',
    calls: [],
    logs: [],
    injectedScripts: [],
    pixels: [],
    iframes: [],
    cookiesSet: [],
    gtmOnSuccessCount: 1,
    gtmOnFailureCount: 0,
    ...partial,
  };
}

describe('GTM variables on the simulated page', () => {
  const lookup = variableLookup(
    [
      { name: 'DLV - value', kind: 'dataLayer', value: 'ecommerce.value' },
      { name: 'DLV - ecommerce', kind: 'dataLayer', value: 'ecommerce' },
      { name: 'Cookie - name', kind: 'cookie', value: 'name' },
      { name: 'Cookie - broken', kind: 'cookie', value: 'broken' },
      { name: 'Cookie - none', kind: 'cookie', value: 'missing' },
      { name: 'JS - email', kind: 'jsVariable', value: 'user.profile.email' },
      { name: 'Const - json', kind: 'constant', value: '{"a": [1, 2]}' },
      { name: 'Const - text', kind: 'constant', value: 'plain words' },
    ],
    page,
  );
  it('reads the merged data layer, decoded cookies, window paths and constants at the moment of asking', () => {
    expect(lookup('DLV - value')).toEqual({ found: true, value: 10 });
    // Pushed objects merge recursively, as GTM's data model does.
    expect(lookup('DLV - ecommerce')).toEqual({
      found: true,
      value: { value: 10, items: ['a'], currency: 'EUR' },
    });
    expect(lookup('Cookie - name')).toEqual({ found: true, value: 'Jane Doe' });
    expect(lookup('Cookie - broken')).toEqual({ found: true, value: '%E0%A4%A' });
    expect(lookup('Cookie - none')).toEqual({ found: true, value: undefined });
    expect(lookup('JS - email')).toEqual({ found: true, value: 'jane@example.com' });
    expect(lookup('Const - json')).toEqual({ found: true, value: { a: [1, 2] } });
    expect(lookup('Const - text')).toEqual({ found: true, value: 'plain words' });
  });
  it('has the built-ins, and says so for a name nobody defined', () => {
    expect(lookup('Page URL')).toEqual({ found: true, value: 'https://shop.example.com/cart?x=1' });
    expect(lookup('Page Hostname')).toEqual({ found: true, value: 'shop.example.com' });
    expect(lookup('Page Path')).toEqual({ found: true, value: '/cart' });
    expect(lookup('Referrer')).toEqual({ found: true, value: 'https://www.google.com/' });
    expect(lookup('Event')).toEqual({ found: true, value: 'purchase' });
    expect(lookup('Nobody')).toEqual({ found: false });
  });
});

describe('the setup', () => {
  it('reports, field by field, what cannot be used', () => {
    const setup = {
      ...defaultSetup(),
      url: 'www.example.com',
      referrer: 'ftp://x',
      cookies: 'a=1; lonely',
      localStorage: 'k=v\nnoequals',
      variables: [
        { name: '', kind: 'constant' as const, value: '' },
        { name: '{{X}}', kind: 'constant' as const, value: '' },
        { name: 'Page URL', kind: 'dataLayer' as const, value: '' },
      ],
      responses: [{ url: 'cdn.example.com', answer: 'fail' as const }],
    };
    expect(checkSetup(setup)).toEqual([
      {
        field: 'url',
        message: 'The page address must be a full http(s) URL, e.g. https://www.example.com/.',
      },
      { field: 'referrer', message: 'The referrer must be empty or a full http(s) URL.' },
      { field: 'cookies', message: '"lonely" is not name=value.' },
      { field: 'localStorage', message: '"noequals" is not key=value.' },
      { field: 'variables.0.name', message: 'Give the variable a name.' },
      { field: 'variables.1.name', message: 'Write the name without {{ }}.' },
      { field: 'variables.2.name', message: 'There is already a variable "Page URL".' },
      { field: 'variables.2.value', message: 'Say what the variable reads.' },
      { field: 'responses.0.url', message: 'A full http(s) URL, or the start of one.' },
    ]);
    expect(checkSetup(defaultSetup())).toEqual([]);
  });

  it('a constant is JSON when it parses, text otherwise', () => {
    expect([constantValue('42'), constantValue('true'), constantValue('x y'), constantValue('')]).toEqual([
      42,
      true,
      'x y',
      '',
    ]);
  });

  it('the server takes only well-formed setups', () => {
    expect(parseSetup(defaultSetup())).toEqual(defaultSetup());
    expect(parseSetup({ ...defaultSetup(), url: 3 })).toBeUndefined();
    expect(
      parseSetup({ ...defaultSetup(), variables: [{ name: 'a', kind: 'sql', value: '' }] }),
    ).toBeUndefined();
    expect(
      parseSetup({ ...defaultSetup(), responses: [{ url: 'https://a/', answer: 'script', body: 1 }] }),
    ).toBeUndefined();
    expect(parseSetup('nope')).toBeUndefined();
  });
});

describe('stand-in answers', () => {
  const rules = [
    { url: 'https://cdn.example.com/', answer: 'fail' as const },
    { url: 'https://cdn.example.com/ok/', answer: 'script' as const, body: 'window.ok = 1;' },
  ];
  it('the longest matching rule wins; without one every load succeeds with an empty stand-in', () => {
    expect(ruleFor(rules, 'https://cdn.example.com/ok/lib.js')?.answer).toBe('script');
    expect(standInAnswer('script', 'https://cdn.example.com/x.js', rules)).toMatchObject({
      status: 404,
      by: 'rule',
    });
    const ok = standInAnswer('script', 'https://cdn.example.com/ok/lib.js', rules);
    expect(ok).toMatchObject({ status: 200, contentType: 'text/javascript; charset=utf-8', by: 'rule' });
    expect(String(ok.body)).toContain('window.ok = 1;');
    expect(standInAnswer('pixel', 'https://px.example.com/p', rules)).toEqual({
      status: 200,
      contentType: 'image/gif',
      body: PIXEL_GIF,
      by: 'default',
    });
    // A URL cannot end the stand-in's comment early.
    expect(String(standInAnswer('script', 'https://x.example.com/*/alert(1)', []).body)).not.toContain(
      '*/alert',
    );
  });
  it('guesses the kind of a proxied request from its URL and Accept header', () => {
    expect(kindOf('https://a.example.com/x.js')).toBe('script');
    expect(kindOf('https://a.example.com/p', 'image/avif,image/webp')).toBe('pixel');
    expect(kindOf('https://a.example.com/frame', 'text/html,application/xhtml+xml')).toBe('iframe');
    expect(kindOf('https://a.example.com/api')).toBe('other');
  });
  it('the log keeps the latest entries up to its limit', () => {
    const log = new RequestLog(2);
    for (const url of ['a', 'b', 'c'])
      log.add({ method: 'GET', url, kind: 'other', status: 200, by: 'default' });
    expect(log.since(0).map((e) => [e.id, e.url])).toEqual([
      [2, 'b'],
      [3, 'c'],
    ]);
    expect(log.since(2).map((e) => e.url)).toEqual(['c']);
  });
});

describe('the simulated page', () => {
  it('carries the setup as JSON no script can break out of', () => {
    const setup = {
      ...defaultSetup(),
      title: '</title><script>x()</script>',
      script: 'var s = "</script><b>";',
    };
    const html = renderSimulatedPage(setup, 'agent();');
    expect(html).toContain('<title>&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;</title>');
    expect(html).not.toContain('"</script><b>"');
    expect(JSON.parse(html.split('type="application/json">')[1]!.split('</script>')[0]!)).toEqual(setup);
    expect(inlineSafe('a</script>b<!--c')).toBe('a<\\/script>b<\\!--c');
    expect(jsonForScript({ a: '<' })).toBe('{"a":"\\u003c"}');
  });
});

describe('the result panel', () => {
  it('calls read as code: on one line when short, one argument per line when long, an object hugged', () => {
    expect(
      formatCall('_giosg', ['visitor', 'submit', { username: 'Jane', 'e-mail': 'j@x' }, 'plain', false]),
    ).toBe('_giosg("visitor", "submit", {username: "Jane", "e-mail": "j@x"}, "plain", false)');
    expect(formatCall('f', ['a'.repeat(30), 'b'.repeat(30)], 40)).toBe(
      `f(\n  "${'a'.repeat(30)}",\n  "${'b'.repeat(30)}"\n)`,
    );
    expect(formatCall('f', [{ key: 'k'.repeat(40) }], 30)).toBe(`f({\n  key: "${'k'.repeat(40)}"\n})`);
    expect(formatValue([undefined, NaN, null, { '[function]': 'push', _e: [] }])).toBe(
      '[undefined, NaN, null, function push {_e: []}]',
    );
  });

  it('cookies read as they are set', () => {
    expect(
      formatCookie({
        name: 'id',
        value: 'a b',
        options: { domain: 'auto', 'max-age': 60, secure: true, samesite: undefined },
        encode: true,
      }),
    ).toBe('id=a%20b; domain=auto; max-age=60; secure');
    expect(formatCookie({ name: 'raw', value: 'a b', options: {}, encode: false })).toBe('raw=a b');
  });

  it('outcomes in GTM’s words, and the permission a denial names', () => {
    expect(outcomeSummary(result({})).label).toBe('Succeeded');
    expect(outcomeSummary(result({ outcome: 'failure' })).label).toBe('Failed');
    expect(outcomeSummary(result({ outcome: 'none' })).label).toBe('Did not finish');
    expect(outcomeSummary(result({ outcome: 'multiple', gtmOnSuccessCount: 2 })).detail).toContain(
      'data.gtmOnSuccess() 2 and data.gtmOnFailure() 0 times',
    );
    const denied = result({
      outcome: 'error',
      errorCode: 'sandbox/permission-denied',
      error:
        "injectScript: permission denied: 'inject_script' denies it: 'https://x.example.org/a.js' matches none of its URL patterns",
    });
    expect(deniedPermission(denied)).toBe('inject_script');
    expect(
      outcomeSummary(result({ outcome: 'error', error: 'TypeError: x', errorWhere: 'template code line 3' }))
        .detail,
    ).toBe('The code stopped with an error: TypeError: x (template code line 3)');
    expect(outcomeSummary(result({ outcome: 'error', error: 'TypeError: x' })).detail).toBe(
      'The code stopped with an error: TypeError: x',
    );
    expect(
      deniedPermission(
        result({
          outcome: 'error',
          errorCode: 'sandbox/permission-denied',
          error: "sendPixel: permission denied: the template does not declare the 'send_pixel' permission",
        }),
      ),
    ).toBe('send_pixel');
    expect(
      deniedPermission(result({ outcome: 'error', errorCode: 'sandbox/runtime-error', error: "x 'y'" })),
    ).toBeUndefined();
  });
});
