// Server utilities: regexes, eTLD+1, hashing (known test vectors) and base64 options.
import { describe, expect, test } from 'vitest';
import { perm, runServer } from './helpers.js';

const value = (expr: string, permissions = [], server = {}) => {
  const r = runServer(`return ${expr};`, permissions, server);
  expect(r.error).toBeUndefined();
  return r.returnValue;
};

describe('createRegex and testRegex', () => {
  test('a regex works with the sandbox string methods', () => {
    expect(value("'a+b+c'.replace(require('createRegex')('\\\\+', 'g'), ' ')")).toBe('a b c');
    expect(value("'x1y22'.match(require('createRegex')('[0-9]+', 'g'))")).toEqual(['1', '22']);
    expect(value("'abc'.search(require('createRegex')('c'))")).toBe(2);
  });

  test("a global regex is stateful in testRegex, as Google's reference says; others start over", () => {
    expect(
      value(
        "[require('testRegex')(require('createRegex')('^a', 'g'), 'abc'), require('testRegex')(require('createRegex')('^a', 'i'), 'ABC')]",
      ),
    ).toEqual([true, true]);
    expect(
      value(
        "(function () { const re = require('createRegex')('a', 'g'); const t = require('testRegex'); return [t(re, 'a'), t(re, 'a'), t(re, 'a')]; })()",
      ),
    ).toEqual([true, false, true]);
    expect(
      value(
        "(function () { const re = require('createRegex')('a'); const t = require('testRegex'); return [t(re, 'a'), t(re, 'a')]; })()",
      ),
    ).toEqual([true, true]);
  });

  test('createRegex keeps the flags g and i and ignores every other character', () => {
    expect(value("require('testRegex')(require('createRegex')('^b', 'm'), 'a\\nb')")).toBe(false);
    expect(value("require('testRegex')(require('createRegex')('A', 'xi'), 'a')")).toBe(true);
  });

  test('what RE2 lacks (lookaround, backreferences) gives null; RE2 named groups work', () => {
    for (const pattern of ['a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b', '(a)\\\\1']) {
      expect(value(`require('createRegex')('${pattern}')`)).toBeNull();
    }
    expect(value("require('testRegex')(require('createRegex')('[(?=]\\\\(?=x'), '(?=x')")).toBe(true);
    expect(value("'ab'.replace(require('createRegex')('(?P<x>a)'), '-')")).toBe('-b');
  });

  test('RE2 syntax V8 lacks is translated: leading flags, \\A and \\z, a ] first in a class', () => {
    const t = (pattern: string, text: string) =>
      value(
        `require('testRegex')(require('createRegex')(${JSON.stringify(pattern)}), ${JSON.stringify(text)})`,
      );
    expect(t('(?i)abc', 'xABC')).toBe(true);
    expect(t('(?s)a.b', 'a\nb')).toBe(true);
    expect(t('\\Aab', 'ab')).toBe(true);
    expect(t('\\Aab', 'cab')).toBe(false);
    expect(t('ab\\z', 'ab')).toBe(true);
    expect(t('ab\\z', 'abc')).toBe(false);
    expect(t('^[]a]+$', ']a]')).toBe(true);
    expect(t('^[^]a]$', 'b')).toBe(true);
    expect(t('^[^]a]$', ']')).toBe(false);
  });

  test('an invalid pattern gives null; testRegex needs a regex', () => {
    expect(value("require('createRegex')('(')")).toBeNull();
    expect(runServer("require('testRegex')('a', 'a');").error).toMatch(
      /testRegex: the first argument must come from createRegex/,
    );
  });
});

describe('computeEffectiveTldPlusOne', () => {
  test.each([
    ['www.example.co.uk', 'example.co.uk'],
    ['https://a.b.example.com/path?q=1', 'example.com'],
    ['example.com', 'example.com'],
    ['localhost', ''],
    ['not a domain!', ''],
  ])('%s → %s', (input, expected) => {
    expect(value(`require('computeEffectiveTldPlusOne')('${input}')`)).toBe(expected);
  });

  test('null and undefined come back unaltered', () => {
    expect(
      value(
        "[require('computeEffectiveTldPlusOne')(null), require('computeEffectiveTldPlusOne')(undefined)]",
      ),
    ).toEqual([null, undefined]);
  });
});

describe('hashing', () => {
  test('sha256Sync: base64 by default, hex on request (FIPS 180-2 "abc")', () => {
    expect(value("require('sha256Sync')('abc')")).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
    expect(value("require('sha256Sync')('abc', { outputEncoding: 'hex' })")).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  test('sha256 (server form) calls back later with the digest', () => {
    const r = runServer(
      "require('sha256')('abc', (d) => require('logToConsole')(d), { outputEncoding: 'hex' });",
      [perm('logging', { environments: 'all' })],
    );
    expect(r.logs).toEqual([['ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad']]);
  });

  test('hmacSha256 with a key of the server (RFC 4231 test case 2); use_custom_private_keys names the key', () => {
    const keys = perm('use_custom_private_keys', { keyIds: ['k'] });
    expect(
      value(
        "require('hmacSha256')('what do ya want for nothing?', 'k', { outputEncoding: 'hex' })",
        [keys] as never,
        { keys: { k: 'Jefe' } },
      ),
    ).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    // base64url (no padding) by default, standard base64 on request.
    expect(
      value("require('hmacSha256')('what do ya want for nothing?', 'k')", [keys] as never, {
        keys: { k: 'Jefe' },
      }),
    ).toBe('W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM');
    expect(
      value(
        "require('hmacSha256')('what do ya want for nothing?', 'k', { outputEncoding: 'base64' })",
        [keys] as never,
        {
          keys: { k: 'Jefe' },
        },
      ),
    ).toBe('W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=');
    expect(runServer("require('hmacSha256')('x', 'other');", [keys], { keys: { other: 'x' } }).error).toMatch(
      /'use_custom_private_keys' denies it: the key id 'other'/,
    );
    expect(runServer("require('hmacSha256')('x', 'k');", [keys]).error).toMatch(/no key with id 'k'/);
  });
});

describe('base64', () => {
  test('toBase64 with urlEncoding uses the URL alphabet without padding; fromBase64 reads both', () => {
    expect(value("require('toBase64')('??>')")).toBe('Pz8+');
    expect(value("require('toBase64')('??>', { urlEncoding: true })")).toBe('Pz8-');
    expect(value("require('toBase64')('a', { urlEncoding: true })")).toBe('YQ');
    expect(value("require('fromBase64')('Pz8-')")).toBe('??>');
  });
});
