// Reading a variable name (a key) from a table row. Keys are trimmed: a stray space typed into GTM
// would otherwise create a second, different variable in giosg.
import { getType, makeString } from 'gtm';

export type KeyResult = { ok: true; key: string } | { ok: false; reason: string };

export function readKey(raw: unknown): KeyResult {
  const type = getType(raw);
  if (type !== 'string' && type !== 'number')
    return { ok: false, reason: 'has no key (the variable name is empty)' };
  const key = makeString(raw).trim();
  if (key === '') return { ok: false, reason: 'has no key (the variable name is empty)' };
  // Assigning "__proto__" would change the object's prototype instead of adding a variable.
  if (key === '__proto__') return { ok: false, reason: 'uses the reserved key "__proto__"' };
  return { ok: true, key: key };
}

/**
 * Remembers keys already taken. The prefix keeps names such as "constructor" or "__proto__" from
 * colliding with what every object inherits.
 */
export function createKeySet(): { has(key: string): boolean; add(key: string): void } {
  const seen: { [slot: string]: boolean } = {};
  return {
    has: (key) => seen['key:' + key] === true,
    add: (key) => {
      seen['key:' + key] = true;
    },
  };
}

/** The rows of a GTM table, or undefined when the value is not a list at all. */
export function readRows(raw: unknown): unknown[] | undefined {
  const type = getType(raw);
  if (type === 'undefined' || type === 'null' || raw === '') return [];
  return type === 'array' ? (raw as unknown[]) : undefined;
}

/** A table row's column, or undefined when the row is not an object. */
export function column(row: unknown, name: string): unknown {
  return getType(row) === 'object' ? (row as { [column: string]: unknown })[name] : undefined;
}
