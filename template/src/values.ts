// Turning one untrusted value (whatever a GTM variable returned) into what giosg gets. Pure: no page
// access. A value may be of any type, so every branch asks getType first.
import { getType, makeString, makeNumber, JSON } from 'gtm';

export type ValueType = 'auto' | 'string' | 'number' | 'boolean';

/** A converted value, a value to leave out (undefined or null), or why the value cannot be sent. */
export type Converted =
  | { kind: 'value'; value: string | number | boolean }
  | { kind: 'omit' }
  | { kind: 'problem'; reason: string };

const VALUE_TYPES: readonly string[] = ['auto', 'string', 'number', 'boolean'];
// A plain decimal number, optionally signed, with an optional exponent: the forms people type.
// makeNumber alone would accept '', ' ', '0x1f' and 'Infinity'.
const DECIMAL_NUMBER = '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$';
const TRUE_WORDS: readonly string[] = ['true', 'yes', '1'];
const FALSE_WORDS: readonly string[] = ['false', 'no', '0'];

/** The row's type column: missing means auto; anything else unknown is a problem. */
export function readValueType(raw: unknown): ValueType | undefined {
  if (raw === undefined || raw === null || raw === '') return 'auto';
  return getType(raw) === 'string' && VALUE_TYPES.indexOf(raw as string) >= 0
    ? (raw as ValueType)
    : undefined;
}

/** Short, readable text of a value for log messages. */
export function describe(value: unknown): string {
  const type = getType(value);
  if (type === 'string') return '"' + (value as string) + '"';
  if (type === 'object' || type === 'array') return JSON.stringify(value) ?? type;
  return type === 'function' ? 'a function' : makeString(value);
}

function isFiniteNumber(value: number): boolean {
  // NaN and ±Infinity give NaN here; the sandbox has no isFinite.
  return value - value === 0;
}

function asJsonText(value: unknown): Converted {
  const text = JSON.stringify(value);
  return getType(text) === 'string'
    ? { kind: 'value', value: text as string }
    : { kind: 'problem', reason: 'cannot be written as JSON' };
}

export function toNumber(value: unknown): Converted {
  const type = getType(value);
  if (type === 'number') {
    return isFiniteNumber(value as number)
      ? { kind: 'value', value: value as number }
      : { kind: 'problem', reason: 'is not a finite number' };
  }
  if (type === 'string') {
    const text = (value as string).trim();
    if (text.match(DECIMAL_NUMBER)) {
      const parsed = makeNumber(text);
      if (isFiniteNumber(parsed)) return { kind: 'value', value: parsed };
    }
  }
  return { kind: 'problem', reason: 'is not a number (write it like 29 or 4.5)' };
}

export function toBoolean(value: unknown): Converted {
  const type = getType(value);
  if (type === 'boolean') return { kind: 'value', value: value as boolean };
  if (type === 'number' || type === 'string') {
    const word = makeString(value).trim().toLowerCase();
    if (TRUE_WORDS.indexOf(word) >= 0) return { kind: 'value', value: true };
    if (FALSE_WORDS.indexOf(word) >= 0) return { kind: 'value', value: false };
  }
  return { kind: 'problem', reason: 'is not a yes/no value (use true/false, yes/no or 1/0)' };
}

/** Converts one value to the row's type. Objects and arrays become JSON text for auto and text. */
export function convertValue(value: unknown, valueType: ValueType): Converted {
  const type = getType(value);
  if (type === 'undefined' || type === 'null') return { kind: 'omit' };
  if (type === 'function') return { kind: 'problem', reason: 'is a function, which cannot be sent' };
  if (valueType === 'number') return toNumber(value);
  if (valueType === 'boolean') return toBoolean(value);
  if (type === 'object' || type === 'array') return asJsonText(value);
  if (valueType === 'string') return { kind: 'value', value: makeString(value) };
  // auto: keep the variable's own type; a number giosg cannot store is reported, not sent as null.
  if (type === 'number' && !isFiniteNumber(value as number))
    return { kind: 'problem', reason: 'is not a finite number' };
  return { kind: 'value', value: value as string | number | boolean };
}
