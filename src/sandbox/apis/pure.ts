// APIs without side effects or permissions: types, conversions, JSON, Math, Object, encodings,
// hashing, randomness, time.

import { base64Decode, base64Encode, sha256Bytes, toHex, utf8Decode, utf8Encode } from '../crypto.js';
import type { ApiContext, ApiDefinition } from './types.js';

export function getTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'bigint' || t === 'symbol' ? 'object' : t;
}

function toStringSafe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function orUndefined<T>(fn: () => T): T | undefined {
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

export const PURE_APIS: Record<string, ApiDefinition> = {
  getType: { call: (_ctx, [v]) => getTypeOf(v) },
  makeString: { call: (_ctx, [v]) => toStringSafe(v) },
  makeNumber: { call: (_ctx, [v]) => Number(v) },
  makeInteger: {
    call: (_ctx, [v]) => {
      const n = Number(v);
      return Number.isNaN(n) ? 0 : Math.trunc(n);
    },
  },
  makeTableMap: {
    call: (ctx: ApiContext, [table, keyColumn, valueColumn]) => {
      if (!Array.isArray(table)) return null;
      const out = ctx.realm.newObject();
      let added = 0;
      for (const row of table) {
        if (!row || typeof row !== 'object') continue;
        const r = row as Record<string, unknown>;
        const k = keyColumn === undefined && valueColumn === undefined ? r.key : r[String(keyColumn)];
        const v = keyColumn === undefined && valueColumn === undefined ? r.value : r[String(valueColumn)];
        if (k === undefined) continue;
        out[String(k)] = v;
        added++;
      }
      return added > 0 ? out : null;
    },
  },
  encodeUri: { call: (_ctx, [v]) => orUndefined(() => encodeURI(String(v))) },
  encodeUriComponent: { call: (_ctx, [v]) => orUndefined(() => encodeURIComponent(String(v))) },
  decodeUri: { call: (_ctx, [v]) => orUndefined(() => decodeURI(String(v))) },
  decodeUriComponent: { call: (_ctx, [v]) => orUndefined(() => decodeURIComponent(String(v))) },
  toBase64: { call: (_ctx, [v]) => base64Encode(utf8Encode(String(v))) },
  fromBase64: {
    call: (_ctx, [v]) => {
      const bytes = base64Decode(String(v));
      return bytes === undefined ? undefined : utf8Decode(bytes);
    },
  },
  sha256: {
    // Web: asynchronous, the digest goes to onSuccess (base64 unless options ask for hex).
    call: (ctx, [input, onSuccess, _onFailure, options]) => {
      const encoding = (options as { outputEncoding?: unknown } | undefined)?.outputEncoding;
      const digest = sha256Bytes(utf8Encode(String(input)));
      const text = encoding === 'hex' ? toHex(digest) : base64Encode(digest);
      ctx.schedule(() => ctx.callSandbox(onSuccess, [text]));
      return undefined;
    },
  },
  generateRandom: {
    call: (ctx, [min, max]) => {
      const lo = Math.ceil(Number(min));
      const hi = Math.floor(Number(max));
      return lo + Math.floor(ctx.page.nextRandom() * (hi - lo + 1));
    },
  },
  getTimestamp: { call: (ctx) => ctx.page.timestamp },
  getTimestampMillis: { call: (ctx) => ctx.page.timestamp },
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
