// The sandbox's stand-ins for JavaScript's built-in objects: JSON, Math, Object.

import type { ApiDefinition } from '../types.js';

export function orUndefined<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** Plain host copy for JSON.stringify: realm values serialize fine, but cycles must fail cleanly. */
function stringify(value: unknown): string | undefined {
  return orUndefined(() => JSON.stringify(value));
}

function objectKeys(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  return Object.keys(Object(value));
}

export const BUILTIN_APIS: Record<string, ApiDefinition> = {
  JSON: {
    methods: {
      parse: { call: (_ctx, [text]) => orUndefined(() => JSON.parse(String(text))) },
      stringify: { call: (_ctx, [value]) => stringify(value) },
    },
  },
  Math: {
    methods: {
      abs: { call: (_ctx, [x]) => Math.abs(x as number) },
      ceil: { call: (_ctx, [x]) => Math.ceil(x as number) },
      floor: { call: (_ctx, [x]) => Math.floor(x as number) },
      max: { call: (_ctx, args) => Math.max(...(args as number[])) },
      min: { call: (_ctx, args) => Math.min(...(args as number[])) },
      pow: { call: (_ctx, [x, y]) => Math.pow(x as number, y as number) },
      round: { call: (_ctx, [x]) => Math.round(x as number) },
      sqrt: { call: (_ctx, [x]) => Math.sqrt(x as number) },
    },
  },
  Object: {
    methods: {
      keys: { call: (_ctx, [o]) => objectKeys(o) },
      values: { call: (_ctx, [o]) => objectKeys(o).map((k) => (o as Record<string, unknown>)[k]) },
      entries: { call: (_ctx, [o]) => objectKeys(o).map((k) => [k, (o as Record<string, unknown>)[k]]) },
      freeze: { call: (_ctx, [o]) => (o !== null && typeof o === 'object' ? Object.freeze(o) : o) },
      delete: {
        call: (_ctx, [o, key]) => {
          if (o === null || typeof o !== 'object' || Array.isArray(o) || Object.isFrozen(o)) return false;
          delete (o as Record<string, unknown>)[String(key)];
          return true;
        },
      },
    },
  },
};
