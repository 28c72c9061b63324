// Values crossing between the page (host objects) and the sandbox (realm objects), as GTM does it:
// plain data is copied, functions are wrapped so each side only ever calls its own kind, and
// values the sandbox cannot represent (class instances, DOM nodes, symbols...) become `undefined`.

import type { Realm, RealmFunction } from './realm.js';

type AnyFunction = (...args: unknown[]) => unknown;

function isPlainHostObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function isArgumentsObject(value: unknown): boolean {
  return Object.prototype.toString.call(value) === '[object Arguments]';
}

export interface BridgeHooks {
  /** Calls a sandbox function from the page (under the run's time limit). */
  callSandbox(fn: RealmFunction, args: unknown[]): unknown;
  /** The sandbox called the page function known as `target` (e.g. `_giosg`) with `args` (sandbox values). */
  onPageCall?(target: string, args: unknown[]): void;
}

export class Bridge {
  /** Page function → its sandbox wrapper, and back, so a round trip gives the original. */
  private readonly pageToSandboxFns = new WeakMap<object, RealmFunction>();
  private readonly sandboxToPageFns = new WeakMap<object, AnyFunction>();
  private readonly originals = new WeakMap<object, object>();

  constructor(
    readonly realm: Realm,
    private readonly hooks: BridgeHooks,
  ) {}

  /**
   * A page (or host) value as the sandbox sees it: a deep copy made of realm objects. Values that
   * are already sandbox values pass through unchanged.
   */
  toSandbox(value: unknown, memo = new Map<object, unknown>()): unknown {
    if (value === null || value === undefined) return value;
    const type = typeof value;
    if (type === 'string' || type === 'number' || type === 'boolean') return value;
    if (type !== 'object' && type !== 'function') return undefined;
    const obj = value as object;
    if (this.realm.owns(obj) && !isArgumentsObject(obj)) return obj;
    if (memo.has(obj)) return memo.get(obj);
    if (type === 'function') return this.wrapPageFunction(obj as AnyFunction, undefined, memo);
    if (Array.isArray(obj) || isArgumentsObject(obj)) {
      const out = this.realm.newArray();
      memo.set(obj, out);
      const items = obj as ArrayLike<unknown>;
      for (let i = 0; i < items.length; i++) out[i] = this.toSandbox(items[i], memo);
      return out;
    }
    if (!isPlainHostObject(obj) && !this.realm.owns(obj)) return undefined;
    const out = this.realm.newObject();
    memo.set(obj, out);
    for (const key of Object.keys(obj))
      out[key] = this.toSandbox((obj as Record<string, unknown>)[key], memo);
    return out;
  }

  /** A sandbox value as the page sees it: a deep copy made of host objects; functions wrapped. */
  toPage(value: unknown, memo = new Map<object, unknown>()): unknown {
    if (value === null || value === undefined) return value;
    const type = typeof value;
    if (type === 'string' || type === 'number' || type === 'boolean') return value;
    if (type !== 'object' && type !== 'function') return undefined;
    const obj = value as object;
    const original = this.originals.get(obj);
    if (original) return original;
    if (!this.realm.owns(obj)) return obj;
    if (memo.has(obj)) return memo.get(obj);
    if (type === 'function') return this.wrapSandboxFunction(obj as RealmFunction, memo);
    if (Array.isArray(obj) || isArgumentsObject(obj)) {
      const items = obj as ArrayLike<unknown>;
      const out: unknown[] = [];
      memo.set(obj, out);
      for (let i = 0; i < items.length; i++) out.push(this.toPage(items[i], memo));
      return out;
    }
    const out: Record<string, unknown> = {};
    memo.set(obj, out);
    for (const key of Object.keys(obj)) out[key] = this.toPage((obj as Record<string, unknown>)[key], memo);
    return out;
  }

  /**
   * A page function callable from the sandbox; `target` is the name it is known by on the page
   * (`_giosg`, `dataLayer.push`), so its calls are reported. GTM's native-to-sandbox conversion
   * calls the page function with itself as `this` (`(0, this.g.O)(h, h, B)`; docs/runtime.md), so
   * `copyFromWindow('obj.method')` does not bind `obj` (callInWindow, which does, calls directly).
   * It carries copies of the function's own properties, as every crossing copies (after
   * `createArgumentsQueue('aa', 'aa.queue')`, `copyFromWindow('aa').queue` is the array).
   */
  wrapPageFunction(fn: AnyFunction, target?: string, memo = new Map<object, unknown>()): RealmFunction {
    const cacheable = target === undefined;
    let wrapper = cacheable ? this.pageToSandboxFns.get(fn) : undefined;
    if (!wrapper) {
      wrapper = this.realm.wrapHost((...args: unknown[]) => {
        if (target !== undefined) this.hooks.onPageCall?.(target, args);
        return this.toSandbox(
          Reflect.apply(
            fn,
            fn,
            args.map((a) => this.toPage(a)),
          ),
        );
      });
      if (cacheable) this.pageToSandboxFns.set(fn, wrapper);
      this.originals.set(wrapper, fn);
    }
    memo.set(fn, wrapper);
    const props = wrapper as unknown as Record<string, unknown>;
    const source = fn as unknown as Record<string, unknown>;
    for (const key of Object.keys(props))
      if (!Object.prototype.hasOwnProperty.call(source, key)) delete props[key];
    for (const key of Object.keys(source)) props[key] = this.toSandbox(source[key], memo);
    return wrapper;
  }

  /**
   * A sandbox function callable from the page: arguments copied in, the result copied out. Like a
   * page function coming in, it carries copies of its own properties: GTM's sandbox-to-native
   * conversion makes a new native function at each crossing and copies the function's keys onto it,
   * so `f.q = []; setInWindow('f', f)` leaves `window.f.q` an array the page can push to. A function
   * with own properties therefore gets a fresh wrapper per crossing (a later crossing must not reset
   * what the page did to the copy it already holds); one without keeps a single wrapper, so it
   * stays the same page function however often it crosses.
   */
  wrapSandboxFunction(fn: RealmFunction, memo = new Map<object, unknown>()): AnyFunction {
    const source = fn as unknown as Record<string, unknown>;
    const keys = Object.keys(source);
    const known = keys.length === 0 ? this.sandboxToPageFns.get(fn) : undefined;
    if (known) return known;
    const bridge = this;
    const wrapper = function (this: unknown, ...args: unknown[]) {
      return bridge.toPage(
        bridge.hooks.callSandbox(
          fn,
          args.map((a) => bridge.toSandbox(a)),
        ),
      );
    };
    if (keys.length === 0) this.sandboxToPageFns.set(fn, wrapper);
    this.originals.set(wrapper, fn);
    memo.set(fn, wrapper);
    const props = wrapper as unknown as Record<string, unknown>;
    for (const key of keys) props[key] = this.toPage(source[key], memo);
    return wrapper;
  }
}

/**
 * A detached, plain host copy of any value, for results and assertions: realm objects become host
 * objects, `arguments` objects become arrays, functions stay functions (copied with their own
 * enumerable properties, so `window._giosg._e` can be inspected), cycles are preserved.
 */
export function snapshot(value: unknown, memo = new Map<object, unknown>()): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  const obj = value as object;
  if (memo.has(obj)) return memo.get(obj);
  if (typeof value === 'function') {
    const fn = value as AnyFunction;
    const copy = function (this: unknown, ...args: unknown[]) {
      return Reflect.apply(fn, this, args);
    } as AnyFunction & Record<string, unknown>;
    memo.set(obj, copy);
    for (const key of Object.keys(fn))
      copy[key] = snapshot((fn as unknown as Record<string, unknown>)[key], memo);
    return copy;
  }
  if (Array.isArray(obj) || isArgumentsObject(obj)) {
    const out: unknown[] = [];
    memo.set(obj, out);
    const items = obj as ArrayLike<unknown>;
    for (let i = 0; i < items.length; i++) out.push(snapshot(items[i], memo));
    return out;
  }
  const proto = Object.getPrototypeOf(obj);
  if (proto !== null && Object.getPrototypeOf(proto) !== null) return obj; // a class instance: keep as is
  const out: Record<string, unknown> = {};
  memo.set(obj, out);
  for (const key of Object.keys(obj)) out[key] = snapshot((obj as Record<string, unknown>)[key], memo);
  return out;
}
