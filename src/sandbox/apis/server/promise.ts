// GTM's server-side `Promise`: `Promise.create(resolver)`, `Promise.all(values)`, and promises
// with `then`, `catch` and `finally`. Settled as JavaScript settles promises: reactions run as
// microtasks, after the current code returns and before the next queued task (`callLater`, HTTP
// callbacks). APIs that answer with a promise (`sendHttpRequest`, `BigQuery.insert`, …) use
// `settledPromise`/`deferred` from here.

import { SandboxError } from '../../realm.js';
import type { ApiContext, ApiDefinition } from '../types.js';

type Settlement = { state: 'fulfilled' | 'rejected'; value: unknown };

interface PromiseState {
  settled?: Settlement;
  reactions: ((s: Settlement) => void)[];
}

/** Sandbox promise objects → their state. */
const PROMISES = new WeakMap<object, PromiseState>();

export function isSandboxPromise(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && PROMISES.has(value);
}

/** Errors that end the scenario or the run, never a promise's rejection value. */
const ABORTING_CODES = new Set(['sandbox/time-limit', 'sandbox/no-response']);

export function abortsRun(err: unknown): boolean {
  if (err instanceof SandboxError && ABORTING_CODES.has(err.code)) return true;
  return (err as { abortsScenario?: unknown } | null)?.abortsScenario === true;
}

/** A rejection value the sandbox can read: realm values as they are, host errors as `{ message }`. */
function asRejection(ctx: ApiContext, err: unknown): unknown {
  if (err instanceof Error) return ctx.bridge.toSandbox({ name: err.name, message: err.message });
  return err;
}

export interface Deferred {
  promise: Record<string, unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

export function deferred(ctx: ApiContext): Deferred {
  const state: PromiseState = { reactions: [] };
  const promise = ctx.realm.newObject();
  PROMISES.set(promise, state);

  const settle = (s: Settlement) => {
    if (state.settled) return;
    state.settled = s;
    for (const reaction of state.reactions.splice(0)) reaction(s);
  };
  let resolving = false;
  const resolve = (value: unknown) => {
    if (resolving || state.settled) return;
    resolving = true;
    if (value === promise) {
      settle({
        state: 'rejected',
        value: asRejection(ctx, new TypeError('a promise cannot resolve to itself')),
      });
    } else if (isSandboxPromise(value)) {
      subscribe(value, settle);
    } else if ((typeof value === 'object' || typeof value === 'function') && value !== null) {
      // Any other thenable is adopted, as JavaScript does, one microtask later.
      let then: unknown;
      try {
        then = (value as { then?: unknown }).then;
      } catch (err) {
        if (abortsRun(err)) throw err;
        return settle({ state: 'rejected', value: asRejection(ctx, err) });
      }
      if (typeof then !== 'function') return settle({ state: 'fulfilled', value });
      ctx.scheduleMicrotask(() => {
        let done = false;
        const once = (fn: (v: unknown) => void) => (v: unknown) => {
          if (done) return;
          done = true;
          fn(v);
        };
        try {
          ctx.callSandbox(then, [
            ctx.realm.wrapHost(once((v) => adopt(v))),
            ctx.realm.wrapHost(once((r) => settle({ state: 'rejected', value: r }))),
          ]);
        } catch (err) {
          if (abortsRun(err)) throw err;
          once((r) => settle({ state: 'rejected', value: r }))(asRejection(ctx, err));
        }
      });
    } else {
      settle({ state: 'fulfilled', value });
    }
  };
  // A thenable's value may itself be a thenable.
  const adopt = (value: unknown) => {
    resolving = false;
    resolve(value);
  };
  const reject = (reason: unknown) => {
    if (resolving || state.settled) return;
    settle({ state: 'rejected', value: reason });
  };

  const then = (onFulfilled: unknown, onRejected: unknown) => {
    const next = deferred(ctx);
    subscribe(promise, (s) => {
      const handler = s.state === 'fulfilled' ? onFulfilled : onRejected;
      if (typeof handler !== 'function') {
        if (s.state === 'fulfilled') next.resolve(s.value);
        else next.reject(s.value);
        return;
      }
      try {
        next.resolve(ctx.callSandbox(handler, [s.value]));
      } catch (err) {
        if (abortsRun(err)) throw err;
        next.reject(asRejection(ctx, err));
      }
    });
    return next.promise;
  };
  promise.then = ctx.realm.wrapHost((onFulfilled, onRejected) => then(onFulfilled, onRejected));
  promise.catch = ctx.realm.wrapHost((onRejected) => then(undefined, onRejected));
  promise.finally = ctx.realm.wrapHost((onFinally) => {
    if (typeof onFinally !== 'function') return then(onFinally, onFinally);
    const next = deferred(ctx);
    subscribe(promise, (s) => {
      try {
        const result = ctx.callSandbox(onFinally, []);
        // A promise returned by onFinally delays the outcome; its rejection replaces it.
        const passOn = () => (s.state === 'fulfilled' ? next.resolve(s.value) : next.reject(s.value));
        if (isSandboxPromise(result))
          subscribe(result, (r) => (r.state === 'rejected' ? next.reject(r.value) : passOn()));
        else passOn();
      } catch (err) {
        if (abortsRun(err)) throw err;
        next.reject(asRejection(ctx, err));
      }
    });
    return next.promise;
  });

  /** Runs `reaction` as a microtask once `target` is settled. */
  function subscribe(target: object, reaction: (s: Settlement) => void): void {
    const st = PROMISES.get(target)!;
    const queue = (s: Settlement) => ctx.scheduleMicrotask(() => reaction(s));
    if (st.settled) queue(st.settled);
    else st.reactions.push(queue);
  }

  return { promise, resolve, reject };
}

/** A promise already settled with a host value (copied into the sandbox). */
export function settledPromise(ctx: ApiContext, outcome: 'fulfilled' | 'rejected', value: unknown): unknown {
  const d = deferred(ctx);
  const v = ctx.bridge.toSandbox(value);
  if (outcome === 'fulfilled') d.resolve(v);
  else d.reject(v);
  return d.promise;
}

function create(ctx: ApiContext, resolver: unknown): unknown {
  if (typeof resolver !== 'function') {
    throw new SandboxError('sandbox/api-error', 'Promise.create: the resolver must be a function');
  }
  const d = deferred(ctx);
  try {
    ctx.callSandbox(resolver, [
      ctx.realm.wrapHost((value) => d.resolve(value)),
      ctx.realm.wrapHost((reason) => d.reject(reason)),
    ]);
  } catch (err) {
    if (abortsRun(err)) throw err;
    d.reject(asRejection(ctx, err));
  }
  return d.promise;
}

function all(ctx: ApiContext, values: unknown): unknown {
  const d = deferred(ctx);
  if (!Array.isArray(values)) {
    d.reject(asRejection(ctx, new TypeError('Promise.all needs an array')));
    return d.promise;
  }
  const results = ctx.realm.newArray();
  let pending = values.length;
  if (pending === 0) d.resolve(results);
  values.forEach((value, i) => {
    const item = deferred(ctx);
    item.resolve(value);
    const then = item.promise.then as (f: unknown, r: unknown) => unknown;
    then(
      ctx.realm.wrapHost((v) => {
        results[i] = v;
        if (--pending === 0) d.resolve(results);
      }),
      ctx.realm.wrapHost((r) => d.reject(r)),
    );
  });
  return d.promise;
}

export const PROMISE_APIS: Record<string, ApiDefinition> = {
  Promise: {
    methods: {
      create: { call: (ctx, [resolver]) => create(ctx, resolver) },
      all: { call: (ctx, [values]) => all(ctx, values) },
    },
  },
};
