import { describe, expect, it } from 'vitest';
import { matchesUrlPattern, prefixCanMatchUrlPattern, urlPatternProblem } from '../../src/gtm/url-pattern.js';

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
