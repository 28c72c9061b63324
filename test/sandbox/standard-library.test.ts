// The standard library both contexts share (JSON, Object, the whitelisted Array methods), on the
// edge inputs where GTM's runtime answers otherwise than V8 would, or where a template relies on
// what Google's reference promises. Evidence for each in docs/runtime.md ("Pure APIs and the
// standard library").
import { describe, expect, test } from 'vitest';
import { runTemplate } from '../../src/sandbox/index.js';
import { template } from './helpers.js';

const run = (code: string) => runTemplate(template(code), {}, {});
const value = (code: string) => {
  const r = run(code);
  expect(r.error).toBeUndefined();
  return r.returnValue;
};

describe('Array reduce and reduceRight', () => {
  test('an initial value of undefined counts as none: the first element seeds the fold', () => {
    expect(value(`return [1, 2].reduce(function (a, b) { return a + b; }, undefined);`)).toBe(3);
    expect(value(`return ['a', 'b', 'c'].reduceRight(function (a, b) { return a + b; }, undefined);`)).toBe(
      'cba',
    );
    // A seed read from a missing property is the common way to get there.
    expect(value(`const o = {}; return ['x', 'y'].reduce(function (a, k) { return a + k; }, o.start);`)).toBe(
      'xy',
    );
  });

  test('any other initial value seeds the fold, null included', () => {
    expect(value(`return [1, 2].reduce(function (a, b) { return a + b; }, 10);`)).toBe(13);
    expect(
      value(`return [1, 2].reduce(function (a, b) { return a === null ? 'n' + b : a + b; }, null);`),
    ).toBe('n12');
    expect(value(`return [].reduce(function (a) { return a; }, 0);`)).toBe(0);
    expect(value(`return [[1], [2]].reduceRight(function (a, b) { return a.concat(b); }, []);`)).toEqual([
      2, 1,
    ]);
  });

  test('an empty list with no initial value (or undefined) fails', () => {
    expect(run(`return [].reduce(function (a) { return a; }, undefined);`).outcome).toBe('error');
    expect(run(`return [].reduceRight(function (a) { return a; });`).outcome).toBe('error');
  });
});

describe('Object', () => {
  test('freeze returns its argument; writes to a frozen object are ignored, not thrown', () => {
    expect(
      value(`const Object = require('Object');
        const o = {foo: 'bar'};
        const same = Object.freeze(o) === o;
        o.foo = 'baz'; o.added = 1;
        return [same, o.foo, o.added === undefined, Object.freeze(5), Object.freeze(null)];`),
    ).toEqual([true, 'bar', true, 5, null]);
  });

  test('delete: true for an unfrozen object even without the key, false when frozen; one level only', () => {
    expect(
      value(`const Object = require('Object');
        const o = {a: 1, b: {c: 2}};
        const frozen = Object.freeze({k: 1});
        return [Object.delete(o, 'a'), Object.delete(o, 'missing'), Object.delete(o, 'b.c'),
                o.a === undefined, o.b.c, Object.delete(frozen, 'k'), frozen.k];`),
    ).toEqual([true, true, true, true, 2, false, 1]);
  });

  test('delete does not remove array elements and answers false for what is not an object', () => {
    expect(
      value(`const Object = require('Object');
        const list = [1, 2];
        return [Object.delete(list, 0), list[0], Object.delete('ab', 0), Object.delete(null, 'a')];`),
    ).toEqual([false, 1, false, false]);
  });

  test('keys, values and entries coerce what is not an object', () => {
    expect(
      value(`const Object = require('Object');
        return [Object.keys('ab'), Object.values('ab'), Object.entries([7]), Object.keys(5), Object.keys(null)];`),
    ).toEqual([['0', '1'], ['a', 'b'], [['0', 7]], [], []]);
  });
});

describe('JSON and the URI encoders on odd input', () => {
  test('JSON.parse coerces its input to a string first', () => {
    expect(
      value(
        `const JSON = require('JSON'); return [JSON.parse(5), JSON.parse(null), JSON.parse(true), JSON.parse(undefined)];`,
      ),
    ).toEqual([5, null, true, undefined]);
  });

  test('JSON.stringify drops functions and undefined as the standard library does, and takes no indent', () => {
    expect(
      value(`const JSON = require('JSON');
        return [JSON.stringify({a: undefined, f: function () {}, b: [undefined]}), JSON.stringify({a: 1}, null, 2),
                JSON.stringify(function () {})];`),
    ).toEqual(['{"b":[null]}', '{"a":1}', undefined]);
  });

  test('a lone surrogate makes encodeUri and encodeUriComponent answer undefined', () => {
    expect(
      value(
        `return [require('encodeUri')('a\\uD800'), require('encodeUriComponent')('\\uDC00b'), require('encodeUriComponent')('\\uD83D\\uDE00')];`,
      ),
    ).toEqual([undefined, undefined, '%F0%9F%98%80']);
  });
});

describe("a number's toString", () => {
  test('takes a radix, and a radix V8 refuses gives the decimal string instead of failing', () => {
    expect(
      value(
        `const n = 255; return [n.toString(), n.toString(16), n.toString(2), n.toString(1), n.toString(99), (1.5).toString('x')];`,
      ),
    ).toEqual(['255', 'ff', '11111111', '255', '255', '1.5']);
  });
});
