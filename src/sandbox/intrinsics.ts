// What every realm does to its built-ins so sandboxed code sees only what GTM's sandbox offers:
// String/Array methods on Google's standard-library whitelist, and almost nothing else on the
// prototypes. Shared by the Node realm (`node-realm.ts`) and the browser realm
// (`browser/iframe-realm.ts`), so both run code under the same language rules.

import { ARRAY_METHODS, OBJECT_METHODS, STRING_METHODS } from '../gtm/apis.js';
import type { RealmFunction } from './realm.js';

/** The realm's own built-ins and factories, made by evaluating `INTRINSICS_SOURCE` in the realm. */
export interface Intrinsics {
  Array: { prototype: object };
  String: { prototype: object };
  Object: { prototype: object };
  Function: { prototype: object };
  Number: { prototype: object };
  Boolean: { prototype: object };
  RegExp: { prototype: object };
  newObject: () => Record<string, unknown>;
  newArray: () => unknown[];
  wrap: (host: unknown, apply: typeof Reflect.apply) => RealmFunction;
  /** A realm function that calls `check` every `TICKS_PER_CHECK` calls (the time limit's tick). */
  ticker: (check: () => void) => RealmFunction;
  /** The realm's native `Function.prototype.toString`, kept before the prototypes are stripped. */
  functionSource: RealmFunction;
  /** A realm function that, called on a function, gives its declared name ('' when anonymous). */
  declaredName: (source: RealmFunction, apply: typeof Reflect.apply) => RealmFunction;
  /** `reduce`/`reduceRight` as GTM's list has them: an initial value of `undefined` counts as none. */
  seedOrFirst: (native: RealmFunction, apply: typeof Reflect.apply) => RealmFunction;
  /** A number's `toString` as GTM's APPLY has it: a radix V8 refuses gives the decimal string. */
  radixOrDecimal: (native: RealmFunction, apply: typeof Reflect.apply) => RealmFunction;
}

/** Loop iterations and calls between two looks at the clock. */
export const TICKS_PER_CHECK = 1000;

/** An expression that evaluates to `Intrinsics` (plus `global`) in the realm it runs in. */
export const INTRINSICS_SOURCE = `({ Array, String, Object, Function, Number, Boolean, RegExp, global: globalThis,
    newObject: function () { return {}; },
    newArray: function () { return []; },
    wrap: function (host, apply) { return function () { return apply(host, undefined, arguments); }; },
    ticker: function (check) {
      var n = 0;
      return function () { if (++n > ${TICKS_PER_CHECK}) { n = 0; check(); } };
    },
    functionSource: Function.prototype.toString,
    declaredName: function (source, apply) {
      return function toString() {
        var found = /^function\\s*\\*?\\s*([^\\s(]*)\\s*\\(/.exec(apply(source, this, []));
        return found ? found[1] : '';
      };
    },
    seedOrFirst: function (native, apply) {
      return function (callback) {
        return arguments.length > 1 && arguments[1] !== undefined
          ? apply(native, this, [callback, arguments[1]])
          : apply(native, this, [callback]);
      };
    },
    radixOrDecimal: function (native, apply) {
      return function toString(radix) {
        if (arguments.length > 0) {
          try { return apply(native, this, [radix]); } catch (e) {}
        }
        return apply(native, this, []);
      };
    } })`;

/** Own string-keyed properties not in `keep` are deleted; symbols (iterators) stay for `for...of`. */
export function keepOnly(target: object, keep: readonly string[]): void {
  for (const key of Reflect.ownKeys(target)) {
    if (typeof key === 'string' && key !== 'length' && !keep.includes(key)) {
      Reflect.deleteProperty(target, key);
    }
  }
}

/** Strips the realm's prototypes down to GTM's sandbox. */
export function stripBuiltins(I: Intrinsics): void {
  keepOnly(I.Array.prototype, ARRAY_METHODS);
  // GTM's list methods take an initial value only when it is not undefined (`if (void 0 !== c)
  // e = c; else` the first element), so `[1, 2].reduce(add, undefined)` is 3 there, NaN in V8.
  // Evidence in docs/runtime.md ("Pure APIs and the standard library").
  const arrayMethods = I.Array.prototype as Record<string, RealmFunction>;
  for (const name of ['reduce', 'reduceRight']) {
    Object.defineProperty(arrayMethods, name, {
      value: I.seedOrFirst(arrayMethods[name]!, Reflect.apply),
      writable: true,
      configurable: true,
    });
  }
  keepOnly(I.String.prototype, STRING_METHODS);
  keepOnly(I.Object.prototype, OBJECT_METHODS);
  keepOnly(I.Number.prototype, ['toString']);
  // GTM answers `n.toString(radix)` with `try{return a.toString(e)}catch(q){}return a.toString()`,
  // so a radix V8 refuses (`(5).toString(1)`) gives '5' instead of a RangeError.
  const numberMethods = I.Number.prototype as Record<string, RealmFunction>;
  Object.defineProperty(numberMethods, 'toString', {
    value: I.radixOrDecimal(numberMethods.toString!, Reflect.apply),
    writable: true,
    configurable: true,
  });
  keepOnly(I.Boolean.prototype, ['toString']);
  keepOnly(I.Function.prototype, ['name']);
  // GTM's sandboxed function answers `toString()` (and so string conversion) with the name it was
  // declared with: `function f() {}` gives 'f'; function expressions without a name, arrows and
  // functions that come from outside the sandbox give ''. There is no inference from the binding,
  // as ES2015 does for `const f = function () {}`. Evidence in docs/runtime.md ("The language").
  Object.defineProperty(I.Function.prototype, 'toString', {
    value: I.declaredName(I.functionSource, Reflect.apply),
    writable: true,
    configurable: true,
  });
}

/** True when `value` (an object or function) was made in the realm of `I`. */
export function madeIn(I: Intrinsics, value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  // Regular expressions come from server templates' createRegex and stay realm objects.
  return (
    proto === I.Object.prototype ||
    proto === I.Array.prototype ||
    proto === I.Function.prototype ||
    proto === I.RegExp.prototype
  );
}
