// The form's values → `data`, as GTM builds it for one firing (format notes §2.6): groups and
// labels vanish and their fields become top-level keys; fields the enabling conditions hide are
// left out; `{{Variable}}` references are resolved on the page at the moment the tag fires.
//
// Choices where GTM's documentation is silent, with the evidence behind them:
// - an empty TEXT is left out (`undefined`), or `''` with `canBeEmptyString` [format notes §2.6];
// - a table with no rows is left out: real templates read tables as `data.rows || []` or
//   `data.rows && data.rows.length` (the corpora do so throughout);
// - a value that is one reference keeps the variable's type; references inside other text are
//   replaced by the value as text (`String(value)`, so an undefined variable reads "undefined").

import type { Parameter } from '../../tpl/model.js';
import { enabledColumns, enabledFields } from './enabling.js';
import { listLines } from './validate.js';
import { holdsValue, paramTableFields, walkFields, type FormValues, type TableRow } from './values.js';

/** What a variable name resolves to on the page; `found: false` for a variable that is not defined. */
export type VariableLookup = (name: string) => { found: true; value: unknown } | { found: false };

const REFERENCE = /\{\{([^{}]+)\}\}/g;

/** The variable names a text refers to, in order, once each. */
export function variableReferences(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  const names: string[] = [];
  for (const m of text.matchAll(REFERENCE)) if (!names.includes(m[1]!)) names.push(m[1]!);
  return names;
}

export interface DataResult {
  data: Record<string, unknown>;
  /** Names referenced by shown fields that the lookup does not define (GTM refuses to save these). */
  unknownVariables: string[];
}

/** Resolves the references in one value as typed into a field. */
export function resolveValue(text: unknown, lookup: VariableLookup, unknown: string[]): unknown {
  if (typeof text !== 'string' || !text.includes('{{')) return text;
  const resolve = (name: string) => {
    const hit = lookup(name);
    if (!hit.found) {
      if (!unknown.includes(name)) unknown.push(name);
      return undefined;
    }
    return hit.value;
  };
  const whole = /^\{\{([^{}]+)\}\}$/.exec(text);
  if (whole) return resolve(whole[1]!);
  return text.replace(REFERENCE, (_m, name: string) => String(resolve(name)));
}

function fieldData(
  field: Parameter & { name: string },
  value: unknown,
  lookup: VariableLookup,
  unknown: string[],
) {
  switch (field.type) {
    case 'TEXT': {
      if (field.textAsList) {
        const lines = listLines(value);
        return lines.length ? lines.map((line) => resolveValue(line, lookup, unknown)) : undefined;
      }
      const text = value === undefined || value === null ? '' : String(value);
      if (text === '') return field.canBeEmptyString ? '' : undefined;
      return resolveValue(text, lookup, unknown);
    }
    case 'CHECKBOX':
      return value === true;
    case 'SELECT':
    case 'RADIO':
      return resolveValue(value, lookup, unknown);
    default:
      return value;
  }
}

function rowsData(
  field: Parameter & { name: string },
  rows: TableRow[],
  values: FormValues,
  lookup: VariableLookup,
  unknown: string[],
): Record<string, unknown>[] {
  if (field.type === 'SIMPLE_TABLE') {
    const columns = (field.simpleTableColumns ?? []).filter((c) => typeof c?.name === 'string');
    return rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const c of columns) out[c.name] = resolveValue(row[c.name] ?? '', lookup, unknown);
      return out;
    });
  }
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    const shown = enabledColumns(field, row, values);
    for (const param of paramTableFields(field)) {
      if (!shown.has(param) || !holdsValue(param)) continue;
      const cell = fieldData(param, row[param.name], lookup, unknown);
      if (cell !== undefined) out[param.name] = cell;
    }
    return out;
  });
}

/** `data` for one firing (without gtmOnSuccess/gtmOnFailure, which the runtime adds). */
export function formData(
  params: readonly Parameter[],
  values: FormValues,
  lookup: VariableLookup,
): DataResult {
  const data: Record<string, unknown> = {};
  const unknownVariables: string[] = [];
  const enabled = enabledFields(params, values);
  for (const { field } of walkFields(params)) {
    if (!enabled.has(field) || !holdsValue(field)) continue;
    const value = values[field.name];
    let out: unknown;
    if (field.type === 'SIMPLE_TABLE' || field.type === 'PARAM_TABLE') {
      const rows = Array.isArray(value) ? (value as TableRow[]) : [];
      out = rows.length ? rowsData(field, rows, values, lookup, unknownVariables) : undefined;
    } else {
      out = fieldData(field, value, lookup, unknownVariables);
    }
    if (out !== undefined) data[field.name] = out;
  }
  return { data, unknownVariables };
}

/** Every variable name the shown fields refer to (what the page must define before firing). */
export function referencedVariables(params: readonly Parameter[], values: FormValues): string[] {
  const names: string[] = [];
  const add = (v: unknown) => {
    for (const n of variableReferences(v)) if (!names.includes(n)) names.push(n);
  };
  const enabled = enabledFields(params, values);
  for (const { field } of walkFields(params)) {
    if (!enabled.has(field) || !holdsValue(field)) continue;
    const value = values[field.name];
    if (Array.isArray(value)) for (const row of value as TableRow[]) Object.values(row ?? {}).forEach(add);
    else add(value);
  }
  return names;
}
