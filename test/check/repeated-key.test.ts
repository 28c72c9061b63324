// A key written twice in one JSON object: only the last value is read, so the checker says which
// key and where, instead of losing the earlier value without a word.
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { certainlyNoRepeatedKeys } from '../../src/tpl/json-positions.js';
import { WEB_TAG } from './fixtures.js';

function repeated(source: string) {
  return checkSource(source).filter((d) => d.code === 'structure/repeated-key');
}

/** The line (1-based) of the first occurrence of `text` at or after `from` in `source`. */
function lineOf(source: string, text: string, from = 0): number {
  return source.slice(0, source.indexOf(text, from)).split('\n').length;
}

describe('structure/repeated-key', () => {
  it('the example tag repeats no key', () => {
    expect(repeated(WEB_TAG)).toEqual([]);
  });

  it('warns at the later of two equal keys in one object, naming the object', () => {
    const source = WEB_TAG.replace(
      '"brand": {\n    "id": "brand_dummy",',
      '"brand": {\n    "id": "brand_dummy",\n    "id": "other",',
    );
    expect(source).not.toBe(WEB_TAG);
    const found = repeated(source);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'warning',
      section: '___INFO___',
      line: lineOf(source, '"id": "other"'),
    });
    expect(found[0]!.text).toContain('"id"');
    expect(found[0]!.text).toContain('`brand`');
    // Not an error: the file still loads, with the last value.
    expect(checkSource(source).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('names the root object and paths through arrays', () => {
    const info = WEB_TAG.replace('"version": 1,', '"version": 1,\n  "version": 1,');
    expect(repeated(info)[0]!.text).toContain('the section');
    const params = WEB_TAG.replace('"name": "accountId",', '"name": "accountId",\n    "name": "account",');
    expect(params).not.toBe(WEB_TAG);
    const found = repeated(params);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ section: '___TEMPLATE_PARAMETERS___' });
    expect(found[0]!.text).toContain('`[0]`');
  });

  it('compares keys as JSON reads them, escapes decoded', () => {
    // JSON.parse reads "\u0069d" as "id": the second value replaces the first.
    const escaped = WEB_TAG.replace(
      '"brand": {\n    "id": "brand_dummy",',
      '"brand": {\n    "id": "brand_dummy",\n    "\\u0069d": "other",',
    );
    expect(escaped).not.toBe(WEB_TAG);
    const found = repeated(escaped);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: lineOf(escaped, '"\\u0069d"') });
    // A key that only looks alike is another key.
    const distinct = WEB_TAG.replace(
      '"brand": {\n    "id": "brand_dummy",',
      '"brand": {\n    "id": "brand_dummy",\n    "\\u0069d2": "other",',
    );
    expect(repeated(distinct)).toEqual([]);
  });

  it('does not count the same key in sibling or nested objects', () => {
    // Every field and permission entry has "type"/"name"/"key"; none of them repeats within one object.
    expect(WEB_TAG.match(/"type":/g)!.length).toBeGreaterThan(5);
    expect(repeated(WEB_TAG)).toEqual([]);
  });
});

describe('certainlyNoRepeatedKeys (the shortcut that spares indexing a section)', () => {
  const proves = (text: string) => certainlyNoRepeatedKeys(text, JSON.parse(text));

  it('proves JSON without repeats, colons in keys and strings included', () => {
    expect(proves('{"url": "https://a.example/x:y", "a:b": [{"c": "d"}, "e"], "n": 1}')).toBe(true);
    expect(proves('[]')).toBe(true);
    expect(proves('"a:b"')).toBe(true);
  });

  it('never proves text with a repeated key, whatever the lost value held', () => {
    expect(proves('{"a": "x", "a": "y:z"}')).toBe(false);
    expect(proves('{"a": {"b": 1, "c": "d:e"}, "a": 2}')).toBe(false);
    expect(proves('[{"k": 1}, {"k": 2, "k": 3}]')).toBe(false);
    expect(proves('{"id": 1, "\\u0069d": 2}')).toBe(false);
  });

  it('does not try when a colon is written as an escape', () => {
    // Without repeats, but the escaped colon is one the count cannot see: the section is indexed.
    expect(proves('{"a": "x\\u003ay"}')).toBe(false);
  });
});
