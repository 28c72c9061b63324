import { describe, expect, it } from 'vitest';
import {
  matchesUrlPattern,
  matchesWebUrlPattern,
  prefixCanMatchUrlPattern,
  urlPatternProblem,
} from '../../src/gtm/url-pattern.js';
import { permissionDenial, urlPatternsAllow } from '../../src/gtm/permissions.js';

describe('matchesUrlPattern', () => {
  it('matches an exact URL and ignores the query string when the pattern has none', () => {
    const p = 'https://connect.facebook.net/en_US/fbevents.js';
    expect(matchesUrlPattern(p, 'https://connect.facebook.net/en_US/fbevents.js')).toBe(true);
    expect(matchesUrlPattern(p, 'https://connect.facebook.net/en_US/fbevents.js?v=2#x')).toBe(true);
    expect(matchesUrlPattern(p, 'https://connect.facebook.net/en_US/fbevents.json')).toBe(false);
    expect(matchesUrlPattern(p, 'http://connect.facebook.net/en_US/fbevents.js')).toBe(false);
  });

  it("reads a URL without a path as the path /, as Google's permission examples do", () => {
    // Google's permissions reference checks injectScript('https://www.example.com?api.js') and
    // sendPixel('https://www.example.com?foo=3').
    expect(matchesUrlPattern('https://www.example.com/', 'https://www.example.com?api.js')).toBe(true);
    expect(matchesUrlPattern('https://www.example.com/', 'https://www.example.com')).toBe(true);
    expect(matchesUrlPattern('https://www.example.com/*', 'https://www.example.com#x')).toBe(true);
    expect(matchesUrlPattern('https://www.example.com/api.js', 'https://www.example.com?api.js')).toBe(false);
    // A known start of a URL is still open: its host may go on.
    expect(prefixCanMatchUrlPattern('https://www.example.com.evil/', 'https://www.example.com')).toBe(true);
    expect(prefixCanMatchUrlPattern('https://www.example.com/a.js', 'https://www.example.com?')).toBe(false);
  });

  it('treats a path ending in / as everything below it', () => {
    expect(matchesUrlPattern('https://pi.pardot.com/', 'https://pi.pardot.com/pd.js')).toBe(true);
    expect(matchesUrlPattern('https://pi.pardot.com/', 'https://pi.pardot.com/')).toBe(true);
    expect(matchesUrlPattern('https://pi.pardot.com/', 'https://pi.pardot.com.evil.io/pd.js')).toBe(false);
    expect(matchesUrlPattern('https://pi.pardot.com', 'https://pi.pardot.com/x')).toBe(true);
  });

  it('supports * in the host for subdomains and the bare domain, not for another domain', () => {
    const p = 'https://*.linkedin.com/*';
    expect(matchesUrlPattern(p, 'https://px.ads.linkedin.com/collect?pid=1')).toBe(true);
    expect(matchesUrlPattern(p, 'https://snap.licdn.com/x')).toBe(false);
    expect(matchesUrlPattern(p, 'https://evil.com/.linkedin.com/x')).toBe(false);
    expect(matchesUrlPattern(p, 'https://evillinkedin.com/x')).toBe(false);
  });

  it('lets *.host match the host itself, as gtm.js does (path rules unchanged)', () => {
    expect(matchesUrlPattern('https://*.linkedin.com/*', 'https://linkedin.com/x')).toBe(true);
    expect(matchesUrlPattern('https://*.linkedin.com/*', 'https://LinkedIn.com/x')).toBe(true);
    expect(matchesUrlPattern('https://*.linkedin.com/js/*', 'https://linkedin.com/css/a')).toBe(false);
    expect(prefixCanMatchUrlPattern('https://*.linkedin.com/js/', 'https://linkedin.com/js/')).toBe(true);
    expect(prefixCanMatchUrlPattern('https://*.linkedin.com/js/', 'https://xlinkedin.com/')).toBe(false);
  });

  it('supports * in the path and query, and compares the host case-insensitively', () => {
    expect(
      matchesUrlPattern('https://s.adroll.com/j/*/roundtrip.js', 'https://S.AdRoll.com/j/ABC/roundtrip.js'),
    ).toBe(true);
    expect(
      matchesUrlPattern('https://s.adroll.com/j/*/roundtrip.js', 'https://s.adroll.com/j/ABC/other.js'),
    ).toBe(false);
    expect(matchesUrlPattern('https://adtr.io/jsTag?ap*', 'https://adtr.io/jsTag?ap=123')).toBe(true);
    expect(matchesUrlPattern('https://adtr.io/jsTag?ap*', 'https://adtr.io/jsTag?x=1')).toBe(false);
    expect(matchesUrlPattern('https://adtr.io/jsTag?ap*', 'https://adtr.io/jsTag')).toBe(false);
    expect(matchesUrlPattern('https://example.com/A/*', 'https://example.com/a/b')).toBe(false);
  });

  it('rejects malformed patterns rather than matching everything', () => {
    expect(matchesUrlPattern('not a pattern', 'https://x.com/')).toBe(false);
    expect(matchesUrlPattern('', 'https://x.com/')).toBe(false);
  });
});

describe('prefixCanMatchUrlPattern', () => {
  it('accepts a known start that some URL matching the pattern has', () => {
    expect(
      prefixCanMatchUrlPattern('https://service.giosg.com/live2/*', 'https://service.giosg.com/live2/'),
    ).toBe(true);
    expect(prefixCanMatchUrlPattern('https://service.giosg.com/*', 'https://service.giosg.com/live2/')).toBe(
      true,
    );
    expect(prefixCanMatchUrlPattern('https://*.giosg.com/', 'https://')).toBe(true);
    expect(
      prefixCanMatchUrlPattern('https://service.giosg.com/live2/*', 'https://service.giosg.com/live/'),
    ).toBe(false);
    expect(prefixCanMatchUrlPattern('https://service.giosg.com/live2/*', 'https://evil.com/')).toBe(false);
  });
});

describe('urlPatternProblem', () => {
  it('accepts the corpus shapes and explains bad ones', () => {
    for (const p of [
      'https://*.linkedin.com/*',
      'https://vk.com/js/api/openapi.js?159',
      'https://pi.pardot.com/',
    ]) {
      expect(urlPatternProblem(p)).toBeUndefined();
    }
    expect(urlPatternProblem('ftp://x.com/')).toMatch(/scheme/);
    expect(urlPatternProblem('example.com/x')).toMatch(/https:\/\/host\/path/);
    expect(urlPatternProblem('https:///x')).toMatch(/host/);
    expect(urlPatternProblem('')).toMatch(/empty/);
  });
});

describe('matchesWebUrlPattern (gtm.js: inject_script, send_pixel, inject_hidden_iframe)', () => {
  const m = matchesWebUrlPattern;
  it('a pattern path without * must equal the path and query, unless it is /', () => {
    expect(m('https://cdn.test/lib.js', 'https://cdn.test/lib.js')).toBe(true);
    expect(m('https://cdn.test/lib.js', 'https://cdn.test/lib.js#x')).toBe(true);
    expect(m('https://cdn.test/lib.js', 'https://cdn.test/lib.js?v=1')).toBe(false);
    expect(m('https://cdn.test/lib.js?v=1', 'https://cdn.test/lib.js?v=1')).toBe(true);
    expect(m('https://cdn.test/lib/', 'https://cdn.test/lib/')).toBe(true);
    expect(m('https://cdn.test/lib/', 'https://cdn.test/lib/x.js')).toBe(false);
    expect(m('https://cdn.test/', 'https://cdn.test/lib/x.js?v=1')).toBe(true);
    expect(m('https://cdn.test/', 'https://cdn.test?api.js')).toBe(true);
    // A trailing ? is dropped: the URL must have no query.
    expect(m('https://cdn.test/lib.js?', 'https://cdn.test/lib.js')).toBe(true);
    expect(m('https://cdn.test/lib.js?', 'https://cdn.test/lib.js?v=1')).toBe(false);
  });

  it('* matches any run of characters; a pattern ending in * allows anything after', () => {
    expect(m('https://cdn.test/lib/*', 'https://cdn.test/lib/a/b.js?v=1')).toBe(true);
    // `/*` at the end is dropped before the walk, so `/lib/*` is the prefix `/lib` (gtm.js's `$d`).
    expect(m('https://cdn.test/lib/*', 'https://cdn.test/lib')).toBe(true);
    expect(m('https://cdn.test/lib/*', 'https://cdn.test/library.js')).toBe(true);
    expect(m('https://cdn.test/lib/*', 'https://cdn.test/li')).toBe(false);
    expect(m('https://cdn.test/*/x.js', 'https://cdn.test/a/b/x.js')).toBe(true);
    expect(m('https://cdn.test/*/x.js', 'https://cdn.test/a/x.js?v=1')).toBe(false);
    expect(m('https://cdn.test/a*.js', 'https://cdn.test/abc.js')).toBe(true);
    expect(m('https://cdn.test/a*.js', 'https://cdn.test/b/a.js')).toBe(false);
  });

  it('the host compares case-insensitively; *.host covers the host and its subdomains', () => {
    expect(m('https://CDN.test/*', 'https://cdn.TEST/x')).toBe(true);
    expect(m('https://*.cdn.test/*', 'https://cdn.test/x')).toBe(true);
    expect(m('https://*.cdn.test/*', 'https://a.b.cdn.test/x')).toBe(true);
    expect(m('https://*.cdn.test/*', 'https://evilcdn.test/x')).toBe(false);
    expect(m('https://cdn.test/*', 'https://a.cdn.test/x')).toBe(false);
  });

  it('only https on port 443 with a dotted host, and only patterns https://[*.]host/path', () => {
    expect(m('https://cdn.test/*', 'http://cdn.test/x')).toBe(false);
    expect(m('https://cdn.test/*', 'https://cdn.test:8443/x')).toBe(false);
    expect(m('https://cdn.test/*', 'https://cdn.test:443/x')).toBe(true);
    expect(m('https://localhost/*', 'https://localhost/x')).toBe(false);
    expect(m('https://*', 'https://cdn.test/x')).toBe(false);
    expect(m('https://cdn.test', 'https://cdn.test/x')).toBe(false);
    expect(m('http://cdn.test/*', 'http://cdn.test/x')).toBe(false);
    expect(m('https://a*.cdn.test/*', 'https://ab.cdn.test/x')).toBe(false);
    expect(m('https://cdn.test/*', 'not a url')).toBe(false);
  });
});

describe('which reading each URL permission uses', () => {
  it("the web permissions use gtm.js's; the server ones keep the wider one", () => {
    const ask = (id: string) =>
      permissionDenial(id, { urls: ['https://api.test/v1/'] }, ['https://api.test/v1/x']);
    expect(
      ['inject_script', 'send_pixel', 'inject_hidden_iframe'].map((id) => ask(id) === undefined),
    ).toEqual([false, false, false]);
    expect(['send_http', 'send_pixel_from_browser'].map((id) => ask(id) === undefined)).toEqual([true, true]);
  });
});

describe('urlPatternsAllow', () => {
  it('a web pattern gtm.js cannot read denies every URL no earlier pattern allowed', () => {
    const url = 'https://cdn.test/x.js';
    expect(urlPatternsAllow('inject_script', ['https://cdn.test/*', 'https://*'], url)).toBe(true);
    expect(urlPatternsAllow('inject_script', ['https://*', 'https://cdn.test/*'], url)).toBe(false);
    expect(urlPatternsAllow('send_http', ['https://*', 'https://cdn.test/*'], url)).toBe(true);
  });
});
