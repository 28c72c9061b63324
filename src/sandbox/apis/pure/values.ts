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
  // As gtm.js builds it: a row counts only when it is an object holding both named columns (a
  // column present with the value undefined counts); there are no default column names.
  // Evidence in docs/runtime.md, "Web APIs".
  makeTableMap: {
    call: (ctx: ApiContext, [table, keyColumn, valueColumn]) => {
      if (!Array.isArray(table)) return null;
      const out = ctx.realm.newObject();
      const keyName = String(keyColumn);
      const valueName = String(valueColumn);
      let added = 0;
      for (const row of table) {
        if (!row || typeof row !== 'object' || Array.isArray(row)) continue;
        if (!Object.hasOwn(row, keyName) || !Object.hasOwn(row, valueName)) continue;
        const r = row as Record<string, unknown>;
        out[String(r[keyName])] = r[valueName];
        added++;
      }
      return added > 0 ? out : null;
    },
  },
};
