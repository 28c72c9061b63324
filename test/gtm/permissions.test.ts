// What a declared permission allows, asked directly of the table the sandbox and the checker share.
import { describe, expect, it } from 'vitest';
import { permissionDenial, type PermissionParams } from '../../src/gtm/permissions.js';

const allowed = (id: string, params: PermissionParams, ...args: unknown[]) =>
  permissionDenial(id, params, args) === undefined;

describe('get_url and get_referrer, as gtm.js asserts get_url', () => {
  const PARTS = ['protocol', 'host', 'port', 'path', 'query', 'extension', 'fragment'];
  const every = { urlParts: 'specific', ...Object.fromEntries(PARTS.map((c) => [c, true])) };

  it('URL parts "specific" never allow the whole URL, even with every part allowed', () => {
    for (const id of ['get_url', 'get_referrer']) {
      expect(allowed(id, every)).toBe(false);
      expect(allowed(id, every, '')).toBe(false);
      expect(allowed(id, every, 'host')).toBe(true);
      expect(allowed(id, { urlParts: 'any' })).toBe(true);
      // No urlParts: "If no value is set, the default is all" (Google's permissions reference).
      expect(allowed(id, {})).toBe(true);
    }
  });

  it('a component is allowed by its own boolean; one that is not a string never', () => {
    const hostOnly = { urlParts: 'specific', host: true };
    expect(allowed('get_url', hostOnly, 'host')).toBe(true);
    expect(allowed('get_url', hostOnly, 'path')).toBe(false);
    expect(allowed('get_url', hostOnly, 'hostname')).toBe(false);
    expect(allowed('get_url', { urlParts: 'any' }, 5)).toBe(false);
    expect(allowed('get_url', { urlParts: 'any' }, 'hostname')).toBe(true);
  });

  it('query keys are limited only with URL parts "specific" and queries other than "any"', () => {
    const keys = { urlParts: 'specific', query: true, queriesAllowed: 'specific', queryKeys: ['a'] };
    expect(allowed('get_url', keys, 'query', 'a')).toBe(true);
    expect(allowed('get_url', keys, 'query', 'b')).toBe(false);
    // The whole query (getUrl('query')) is refused once keys are listed.
    expect(allowed('get_url', keys, 'query')).toBe(false);
    expect(allowed('get_url', keys, 'query', 1)).toBe(false);
    // No queriesAllowed with URL parts "specific": the keys listed, here none.
    expect(allowed('get_url', { urlParts: 'specific', query: true }, 'query', 'a')).toBe(false);
    expect(allowed('get_url', { ...keys, queriesAllowed: 'any' }, 'query')).toBe(true);
    expect(allowed('get_url', { ...keys, queriesAllowed: 'any' }, 'query', 'b')).toBe(true);
    // URL parts "any": gtm.js keeps no list of keys, whatever queriesAllowed says.
    expect(
      allowed('get_url', { urlParts: 'any', queriesAllowed: 'specific', queryKeys: ['a'] }, 'query', 'b'),
    ).toBe(true);
    expect(
      allowed('get_url', { urlParts: 'any', queriesAllowed: 'specific', queryKeys: ['a'] }, 'query'),
    ).toBe(true);
  });
});

describe('permissions whose assert allows every call', () => {
  it('access_template_storage, read_title, read_event_metadata and read_container_data take no parameters', () => {
    for (const id of ['access_template_storage', 'read_title', 'read_event_metadata', 'read_container_data'])
      expect(allowed(id, {})).toBe(true);
  });
});

describe('write_data_layer reads its key patterns as read_data_layer does', () => {
  it('dotted names with at most a final .*; keys are dotted paths of names', () => {
    const p = (...keyPatterns: string[]) => ({ keyPatterns });
    expect(allowed('write_data_layer', p('developer_id.*'), 'developer_id.dAbc')).toBe(true);
    expect(allowed('write_data_layer', p('developer_id.*'), 'developer_id')).toBe(true);
    expect(allowed('write_data_layer', p('ads_data_redaction'), 'ads_data_redaction')).toBe(true);
    // A glob is not a pattern gtm.js reads: `a*` allows nothing, and denies what follows it.
    expect(allowed('write_data_layer', p('ads*'), 'ads_data_redaction')).toBe(false);
    expect(allowed('write_data_layer', p('a*', 'b'), 'b')).toBe(false);
    expect(allowed('write_data_layer', p('b', 'a*'), 'b')).toBe(true);
    expect(allowed('write_data_layer', p('items.*'), 'items.0')).toBe(false);
    expect(allowed('write_data_layer', p('user-data'), 'user-data')).toBe(false);
  });

  it('a key that is not a string is refused, for reads and writes', () => {
    expect(allowed('read_data_layer', { keyPatterns: ['true'] }, true)).toBe(false);
    expect(allowed('write_data_layer', { keyPatterns: ['true'] }, true)).toBe(false);
    expect(allowed('read_data_layer', { keyPatterns: ['true'] }, 'true')).toBe(true);
  });
});
