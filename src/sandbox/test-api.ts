// The globals GTM gives ___TESTS___ code: runCode, mock, mockObject, assertApi, assertThat (after
// Google's Truth library) and fail. Implemented host-side over one `Session`; the sandbox sees
// realm functions and objects only.

import type { ASSERT_THAT_METHODS } from '../gtm/apis.js';
import { getTypeOf } from './apis/pure/index.js';
import type { ApiCall } from './apis/types.js';
import type { RealmFunction } from './realm.js';
import type { Session } from './runtime.js';
import { isArgumentsObject } from './values.js';

/** An assertion or `fail()`: the scenario fails (any other exception is an error). */
export class TestFailure extends Error {
  /** A failed assertion ends the scenario even inside a promise reaction (it never becomes a rejection). */
  readonly abortsScenario = true;
}

/** Value equality, recursively through arrays and objects (`arguments` counts as an array). */
export function deepEqual(a: unknown, b: unknown, seen = new Map<object, object>()): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  const aList = Array.isArray(a) || isArgumentsObject(a);
  const bList = Array.isArray(b) || isArgumentsObject(b);
  if (aList !== bList) return false;
  if (aList) {
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!deepEqual(x[i], y[i], seen)) return false;
    return true;
  }
  // A key holding `undefined` counts as absent. Google's reference says only that "the contents of
  // objects and arrays are compared recursively"; real scenarios written against GTM expect it:
  // Amplitude's "Revenue tag with individual input" expects {productId, ...} where the template
  // builds {productId, ..., currency: undefined, receipt: undefined, receiptSig: undefined}, and
  // DataWizardAI/secureprivacyai's "default settings sent" asserts setDefaultConsentState was
  // called with objects that lack the ad_user_data/ad_personalization keys its code sets to
  // undefined. Both fail with the stricter reading; nothing in either corpus needs it.
  const aKeys = definedKeys(a);
  const bKeys = definedKeys(b);
  if (aKeys.length !== bKeys.length) return false;
  for (const key of aKeys) {
    if (!deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], seen))
      return false;
  }
  return true;
}

function definedKeys(value: object): string[] {
  return Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
}

/**
 * How many characters of one value a failure message shows. A scenario may compare arrays of
 * hundreds of thousands of items, or megabyte strings: the message says how much it left out
 * instead of printing all of it.
 */
export const DESCRIBE_LIMIT = 2000;

/** How many of an API's calls a failed `wasCalledWith` lists (server tags make thousands). */
const CALLS_SHOWN = 20;

/** A readable rendering of a sandbox value for failure messages, at most `limit` characters plus a note. */
export function describe(value: unknown, limit = DESCRIBE_LIMIT): string {
  // Rendering stops once the budget is spent, so a huge value costs no more than a small one.
  const out = { text: '', full: true };
  render(value, 0, new Set(), out, limit);
  if (out.text.length <= limit && out.full) return out.text;
  const rest = out.full
    ? ` (${limit} of ${out.text.length} characters shown)`
    : ` (the first ${limit} characters shown)`;
  return `${out.text.slice(0, limit)}…${rest}`;
}

function render(
  value: unknown,
  depth: number,
  seen: Set<unknown>,
  out: { text: string; full: boolean },
  limit: number,
): void {
  if (out.text.length > limit) {
    out.full = false;
    return;
  }
  if (value === undefined) out.text += 'undefined';
  else if (typeof value === 'string') out.text += JSON.stringify(value);
  else if (typeof value === 'function') out.text += '<function>';
  else if (value === null || typeof value !== 'object') out.text += String(value);
  else if (seen.has(value)) out.text += '<cycle>';
  else if (depth > 4) out.text += Array.isArray(value) ? '[…]' : '{…}';
  else {
    seen.add(value);
    const list = Array.isArray(value) || isArgumentsObject(value);
    const keys = list ? undefined : Object.keys(value);
    const n = list ? (value as ArrayLike<unknown>).length : keys!.length;
    out.text += list ? '[' : '{';
    for (let i = 0; i < n; i++) {
      if (i > 0) out.text += ', ';
      if (list) render((value as ArrayLike<unknown>)[i], depth + 1, seen, out, limit);
      else {
        out.text += `${keys![i]}: `;
        render((value as Record<string, unknown>)[keys![i]!], depth + 1, seen, out, limit);
      }
      if (out.text.length > limit) {
        if (i < n - 1) out.full = false;
        break;
      }
    }
    out.text += list ? ']' : '}';
    seen.delete(value);
  }
}

function lengthOf(value: unknown): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return undefined;
}

type Matcher = (actual: unknown, expected: unknown[]) => string | undefined;

/** Each matcher returns `undefined` when it holds, else what was expected. */
// Exactly the catalog's methods: a missing or extra matcher does not compile.
const MATCHERS: Record<(typeof ASSERT_THAT_METHODS)[number], Matcher> = {
  isUndefined: (a) => (a === undefined ? undefined : 'to be undefined'),
  isDefined: (a) => (a !== undefined ? undefined : 'to be defined'),
  isNull: (a) => (a === null ? undefined : 'to be null'),
  isNotNull: (a) => (a !== null ? undefined : 'not to be null'),
  isTrue: (a) => (a === true ? undefined : 'to be true'),
  isFalse: (a) => (a === false ? undefined : 'to be false'),
  isTruthy: (a) => (a ? undefined : 'to be truthy'),
  isFalsy: (a) => (!a ? undefined : 'to be falsy'),
  isNaN: (a) => (typeof a === 'number' && Number.isNaN(a) ? undefined : 'to be NaN'),
  isNotNaN: (a) => (!(typeof a === 'number' && Number.isNaN(a)) ? undefined : 'not to be NaN'),
  isInfinity: (a) => (a === Infinity || a === -Infinity ? undefined : 'to be Infinity'),
  isNotInfinity: (a) => (a !== Infinity && a !== -Infinity ? undefined : 'not to be Infinity'),
  isEqualTo: (a, [e]) => (deepEqual(a, e) ? undefined : `to equal ${describe(e)}`),
  isNotEqualTo: (a, [e]) => (!deepEqual(a, e) ? undefined : `not to equal ${describe(e)}`),
  isAnyOf: (a, es) => (es.some((e) => deepEqual(a, e)) ? undefined : `to be any of ${describe(es)}`),
  isNoneOf: (a, es) => (!es.some((e) => deepEqual(a, e)) ? undefined : `to be none of ${describe(es)}`),
  isStrictlyEqualTo: (a, [e]) => (a === e ? undefined : `to be strictly equal to ${describe(e)}`),
  isNotStrictlyEqualTo: (a, [e]) => (a !== e ? undefined : `not to be strictly equal to ${describe(e)}`),
  isGreaterThan: (a, [e]) =>
    (a as number) > (e as number) ? undefined : `to be greater than ${describe(e)}`,
  isGreaterThanOrEqualTo: (a, [e]) =>
    (a as number) >= (e as number) ? undefined : `to be greater than or equal to ${describe(e)}`,
  isLessThan: (a, [e]) => ((a as number) < (e as number) ? undefined : `to be less than ${describe(e)}`),
  isLessThanOrEqualTo: (a, [e]) =>
    (a as number) <= (e as number) ? undefined : `to be less than or equal to ${describe(e)}`,
  contains: (a, es) => {
    if (typeof a === 'string') {
      return es.every((e) => a.indexOf(String(e)) !== -1) ? undefined : `to contain ${describe(es)}`;
    }
    if (!Array.isArray(a)) return `to be an array or string containing ${describe(es)}`;
    return es.every((e) => a.some((x) => deepEqual(x, e))) ? undefined : `to contain ${describe(es)}`;
  },
  doesNotContain: (a, es) => {
    if (typeof a === 'string') {
      return es.every((e) => a.indexOf(String(e)) === -1)
        ? undefined
        : `not to contain any of ${describe(es)}`;
    }
    if (!Array.isArray(a)) return `to be an array or string not containing ${describe(es)}`;
    return es.every((e) => !a.some((x) => deepEqual(x, e)))
      ? undefined
      : `not to contain any of ${describe(es)}`;
  },
  containsExactly: (a, es) =>
    Array.isArray(a) && sameMultiset(a, es) ? undefined : `to contain exactly ${describe(es)}`,
  doesNotContainExactly: (a, es) =>
    Array.isArray(a) && !sameMultiset(a, es) ? undefined : `not to contain exactly ${describe(es)}`,
  hasLength: (a, [n]) => (lengthOf(a) === n ? undefined : `to have length ${describe(n)}`),
  isEmpty: (a) => (lengthOf(a) === 0 ? undefined : 'to be empty'),
  isNotEmpty: (a) => ((lengthOf(a) ?? 0) > 0 ? undefined : 'not to be empty'),
  isArray: (a) => (getTypeOf(a) === 'array' ? undefined : 'to be an array'),
  isBoolean: (a) => (typeof a === 'boolean' ? undefined : 'to be a boolean'),
  isFunction: (a) => (typeof a === 'function' ? undefined : 'to be a function'),
  isNumber: (a) => (typeof a === 'number' ? undefined : 'to be a number'),
  isObject: (a) => (getTypeOf(a) === 'object' ? undefined : 'to be an object'),
  isString: (a) => (typeof a === 'string' ? undefined : 'to be a string'),
};

function sameMultiset(actual: unknown[], expected: unknown[]): boolean {
  if (actual.length !== expected.length) return false;
  const used = new Array<boolean>(expected.length).fill(false);
  return actual.every((x) => {
    const i = expected.findIndex((e, j) => !used[j] && deepEqual(x, e));
    if (i < 0) return false;
    used[i] = true;
    return true;
  });
}

/**
 * The recorded calls of `api` and of its methods (`api.method`). Assertions run this over every
 * call of the scenario, which runs to thousands in server tags: no string is built per call.
 */
function callsOf(calls: readonly ApiCall[], api: string): ApiCall[] {
  const n = api.length;
  const out: ApiCall[] = [];
  for (const c of calls) {
    const name = c.name;
    if (name === api || (name.length > n && name.charCodeAt(n) === 0x2e && name.startsWith(api))) out.push(c);
  }
  return out;
}

/** Tracks each `runCode` so `--once` can check every run. */
export interface RunCodeLog {
  successes: number;
  failures: number;
}

/** The test globals for one scenario, in the order of `TEST_GLOBAL_NAMES`. */
export function createTestGlobals(session: Session, runs: RunCodeLog[]): RealmFunction[] {
  const realm = session.realm;
  const host = (fn: (...args: unknown[]) => unknown) => realm.wrapHost(fn);

  const runCode = host((data) => {
    const fields = data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
    // Counted per firing, also when the tag completes later from an async callback (--once).
    const log: RunCodeLog = { successes: 0, failures: 0 };
    runs.push(log);
    return session.execute(
      session.firingData(fields, (outcome) => (outcome === 'success' ? log.successes++ : log.failures++)),
    );
  });

  const mock = host((name, value) => {
    session.mocks.set(String(name), { value });
  });
  const mockObject = host((name, value) => {
    if (!value || typeof value !== 'object') {
      throw new TestFailure(`mockObject('${String(name)}', …) needs an object`);
    }
    session.mocks.set(String(name), { value });
  });

  const assertApi = host((name) => {
    const api = String(name);
    const subject = realm.newObject();
    const matching = () => callsOf(session.record.calls, api);
    // The subject is fluent, as assertThat's is: each assertion returns it, so
    // assertApi('x').wasCalled().wasCalledWith(1) chains.
    subject.wasCalled = host(() => {
      if (matching().length === 0)
        throw new TestFailure(`Expected API ${api} to have been called, but it was not.`);
      return subject;
    });
    subject.wasNotCalled = host(() => {
      const n = matching().length;
      if (n > 0)
        throw new TestFailure(`Expected API ${api} not to have been called, but it was called ${n} time(s).`);
      return subject;
    });
    subject.wasCalledWith = host((...expected) => {
      const calls = matching();
      if (!calls.some((c) => deepEqual(c.args, expected))) {
        const shown = calls.slice(0, CALLS_SHOWN).map((c) => describe(c.args));
        if (calls.length > CALLS_SHOWN) shown.push(`and ${calls.length - CALLS_SHOWN} more call(s)`);
        const seen = shown.join('; ') || 'never called';
        throw new TestFailure(
          `Expected API ${api} to have been called with ${describe(expected)}; calls: ${seen}`,
        );
      }
      return subject;
    });
    subject.wasNotCalledWith = host((...expected) => {
      if (matching().some((c) => deepEqual(c.args, expected))) {
        throw new TestFailure(
          `Expected API ${api} not to have been called with ${describe(expected)}, but it was.`,
        );
      }
      return subject;
    });
    return subject;
  });

  const assertThat = host((actual, message) => {
    const subject = realm.newObject();
    for (const [name, matcher] of Object.entries(MATCHERS)) {
      // Subjects chain, as in Truth: assertThat(x).contains('a').hasLength(28).
      subject[name] = host((...expected) => {
        const wanted = matcher(actual, expected);
        if (wanted === undefined) return subject;
        const prefix = message === undefined ? '' : `${String(message)}: `;
        throw new TestFailure(`${prefix}expected ${describe(actual)} ${wanted}`);
      });
    }
    return subject;
  });

  const fail = host((message) => {
    throw new TestFailure(message === undefined ? 'fail() was called' : String(message));
  });

  return [session.requireFunction(true), runCode, mock, mockObject, assertApi, assertThat, fail];
}

export const TEST_GLOBAL_NAMES = [
  'require',
  'runCode',
  'mock',
  'mockObject',
  'assertApi',
  'assertThat',
  'fail',
] as const;
