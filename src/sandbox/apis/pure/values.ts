// Types and conversions: getType, makeString, makeNumber, makeInteger, makeTableMap.

import type { ApiContext, ApiDefinition } from '../types.js';

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

export const VALUE_APIS: Record<string, ApiDefinition> = {
  getType: { call: (_ctx, [v]) => getTypeOf(v) },
  makeString: { call: (_ctx, [v]) => toStringSafe(v) },
  makeNumber: { call: (_ctx, [v]) => Number(v) },
  // GTM rounds to the nearest integer, and reads what is not a number as 0 (as gtm.js's integer
  // helper `Math.round(Number(a))||0` does; evidence in docs/runtime.md, "Web APIs").
  makeInteger: { call: (_ctx, [v]) => Math.round(Number(v)) || 0 },
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
};
