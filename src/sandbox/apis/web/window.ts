// APIs that read and write the page's `window` (permission `access_globals`): copies in and out,
// function calls, queues. Paths are dot-separated (`_giosg._e`).

import { SandboxError } from '../../realm.js';
import type { ApiDefinition } from '../types.js';

type Obj = Record<string, unknown>;

function isContainer(value: unknown): value is Obj {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

/** The object holding the last path component, and that component; `undefined` if a step is missing. */
export function resolveParent(window: Obj, path: string): { parent: Obj; key: string } | undefined {
  const parts = String(path).split('.');
  let node: unknown = window;
  for (let i = 0; i < parts.length - 1; i++) {
    if (!isContainer(node)) return undefined;
    node = (node as Obj)[parts[i]!];
    // gtm.js's path walk (copyFromWindow, setInWindow, callInWindow, createQueue,
    // createArgumentsQueue) gives up on a step that reaches `window` or `document` itself, so
    // `window.x` and `document.title` are not reachable through these APIs (docs/runtime.md).
    if (node === window || (node !== undefined && node === window.document)) return undefined;
  }
  return isContainer(node) ? { parent: node, key: parts[parts.length - 1]! } : undefined;
}

export function readPath(window: Obj, path: string): unknown {
  const at = resolveParent(window, path);
  return at ? at.parent[at.key] : undefined;
}

function parentOrThrow(api: string, window: Obj, path: string): { parent: Obj; key: string } {
  const at = resolveParent(window, path);
  if (!at) throw new SandboxError('sandbox/api-error', `${api}: the path '${path}' does not exist in window`);
  return at;
}

export const WINDOW_APIS: Record<string, ApiDefinition> = {
  copyFromWindow: {
    check: (ctx, [key]) => ctx.demand('copyFromWindow', 'access_globals', 'read', key),
    call: (ctx, [key]) => {
      // gtm.js's own walk for this API: only null/undefined (or window/document) on the way give
      // up, so a primitive's properties are read (`copyFromWindow('s.length')`; docs/runtime.md).
      const window = ctx.page.window;
      const parts = String(key).split('.');
      let node: unknown = window;
      for (const part of parts.slice(0, -1)) {
        node = (node as Obj)[part];
        if (node === null || node === undefined || node === window || node === window.document)
          return undefined;
      }
      const value = (node as Obj)[parts[parts.length - 1]!];
      return typeof value === 'function'
        ? ctx.bridge.wrapPageFunction(value as (...a: unknown[]) => unknown, String(key))
        : ctx.bridge.toSandbox(value);
    },
  },
  setInWindow: {
    // gtm.js asks for read and write on the key (docs/runtime.md, "setInWindow asks …").
    check: (ctx, [key]) => ctx.demand('setInWindow', 'access_globals', 'readwrite', key),
    call: (ctx, [key, value, overrideExisting]) => {
      const at = resolveParent(ctx.page.window, String(key));
      if (!at) return false;
      if (at.parent[at.key] !== undefined && overrideExisting !== true) return false;
      at.parent[at.key] = ctx.bridge.toPage(value);
      return true;
    },
  },
  callInWindow: {
    check: (ctx, [path]) => ctx.demand('callInWindow', 'access_globals', 'execute', path),
    call: (ctx, [path, ...args]) => {
      const at = resolveParent(ctx.page.window, String(path));
      const fn = at?.parent[at.key];
      if (typeof fn !== 'function') return undefined;
      ctx.record.pageCalls.push({ target: String(path), args });
      const result = Reflect.apply(
        fn,
        at!.parent,
        args.map((a) => ctx.bridge.toPage(a)),
      );
      return ctx.bridge.toSandbox(result);
    },
  },
  aliasInWindow: {
    check: (ctx, [toPath, fromPath]) => {
      ctx.demand('aliasInWindow', 'access_globals', 'write', toPath);
      ctx.demand('aliasInWindow', 'access_globals', 'read', fromPath);
    },
    call: (ctx, [toPath, fromPath]) => {
      const value = readPath(ctx.page.window, String(fromPath));
      const to = resolveParent(ctx.page.window, String(toPath));
      if (value === undefined || !to) return false;
      to.parent[to.key] = value;
      return true;
    },
  },
  createQueue: {
    check: (ctx, [arrayKey]) => ctx.demand('createQueue', 'access_globals', 'readwrite', arrayKey),
    call: (ctx, [arrayKey]) => {
      // Google's reference: "Creates an array in window (if it doesn't already exist)". A value that
      // is there stays, so a queue a vendor's script has replaced with its own object (`uetq`,
      // `_paq` after their scripts load) receives the pushes through its own push method.
      const at = parentOrThrow('createQueue', ctx.page.window, String(arrayKey));
      if (at.parent[at.key] === undefined) at.parent[at.key] = [];
      const queue = at.parent[at.key];
      const push = function (...values: unknown[]) {
        const method = isContainer(queue) ? queue.push : undefined;
        if (typeof method !== 'function') {
          throw new SandboxError(
            'sandbox/api-error',
            `createQueue: the value at '${String(arrayKey)}' in window is not an array (it has no push method)`,
          );
        }
        (method as (...v: unknown[]) => unknown).apply(queue, values);
      };
      return ctx.bridge.wrapPageFunction(push, `${String(arrayKey)}.push`);
    },
  },
  createArgumentsQueue: {
    check: (ctx, [fnKey, arrayKey]) => {
      ctx.demand('createArgumentsQueue', 'access_globals', 'readwrite', fnKey);
      ctx.demand('createArgumentsQueue', 'access_globals', 'readwrite', arrayKey);
    },
    call: (ctx, [fnKey, arrayKey]) => {
      // Google's reference: the function and the array are each set "if it does not already exist".
      // gtm.js: a value already at fnKey that is not a function gives null; a function already
      // there is returned as it is, and the array key is then left alone; a falsy value (null, 0,
      // '') is replaced like a missing one (docs/runtime.md).
      const window = ctx.page.window;
      const fnAt = parentOrThrow('createArgumentsQueue', window, String(fnKey));
      const existing = fnAt.parent[fnAt.key];
      if (existing && typeof existing !== 'function') return null;
      if (!existing) {
        // As gtm.js builds it: the function goes on the page first (so the array may live on it,
        // e.g. `_giosg._e`), then the array is found or made, and the function pushes each call's
        // arguments object onto that array, the one found now, through its own push method.
        let queue: unknown;
        fnAt.parent[fnAt.key] = function () {
          const push = isContainer(queue) ? queue.push : undefined;
          if (typeof push !== 'function') {
            throw new SandboxError(
              'sandbox/api-error',
              `createArgumentsQueue: the value at '${String(arrayKey)}' in window is not an array (it has no push method)`,
            );
          }
          (push as (item: unknown) => unknown).call(queue, arguments);
        };
        const arrayAt = parentOrThrow('createArgumentsQueue', window, String(arrayKey));
        if (arrayAt.parent[arrayAt.key] === undefined) arrayAt.parent[arrayAt.key] = [];
        queue = arrayAt.parent[arrayAt.key];
      }
      const fn = fnAt.parent[fnAt.key] as (...a: unknown[]) => unknown;
      return ctx.bridge.wrapPageFunction(fn, String(fnKey));
    },
  },
};
