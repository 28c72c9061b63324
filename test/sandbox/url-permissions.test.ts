// get_url / get_referrer as the sandbox enforces them: what gtm.js's assert allows (docs/runtime.md,
// "Permissions").
import { describe, expect, test } from 'vitest';
import { runTemplate } from '../../src/sandbox/index.js';
import { perm, template } from './helpers.js';

const URL = 'https://site.test/a.html?a=1&b=2#f';
const run = (code: string, params: Record<string, unknown>) =>
  runTemplate(template(code, [perm('get_url', params as never)]), {}, { url: URL });

describe('get_url with URL parts "specific"', () => {
  const every = Object.fromEntries(
    ['protocol', 'host', 'port', 'path', 'query', 'extension', 'fragment'].map((c) => [c, true]),
  );

  test('getUrl() is denied even with every part allowed; a component is not', () => {
    expect(run(`return require('getUrl')();`, { urlParts: 'specific', ...every }).errorCode).toBe(
      'sandbox/permission-denied',
    );
    expect(run(`return require('getUrl')('host');`, { urlParts: 'specific', ...every }).returnValue).toBe(
      'site.test',
    );
    expect(run(`return require('getUrl')();`, { urlParts: 'any' }).returnValue).toBe(URL);
  });

  test('listed query keys: getQueryParameters of a listed key only, and never getUrl("query")', () => {
    const keys = { urlParts: 'specific', query: true, queriesAllowed: 'specific', queryKeys: ['a'] };
    expect(run(`return require('getQueryParameters')('a');`, keys).returnValue).toBe('1');
    expect(run(`return require('getQueryParameters')('b');`, keys).errorCode).toBe(
      'sandbox/permission-denied',
    );
    expect(run(`return require('getUrl')('query');`, keys).errorCode).toBe('sandbox/permission-denied');
    expect(
      run(
        `const q = require('queryPermission'); return [q('get_url', 'query'), q('get_url', 'query', 'a')];`,
        keys,
      ).returnValue,
    ).toEqual([false, true]);
  });

  test('URL parts "any" limit no query key, whatever queriesAllowed says', () => {
    const params = { urlParts: 'any', queriesAllowed: 'specific', queryKeys: ['a'] };
    expect(run(`return require('getQueryParameters')('b');`, params).returnValue).toBe('2');
    expect(run(`return require('getUrl')('query');`, params).returnValue).toBe('a=1&b=2');
  });
});
