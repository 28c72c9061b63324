// The form's state as the user edits it, before GTM turns it into `data`: one entry per named field,
// holding what the editor holds (the raw text of a TEXT field with its `{{variable}}` references,
// the chosen item's value of a SELECT/RADIO, a CHECKBOX's boolean, a table's rows). Fields that
// enabling conditions hide keep their value here, as in GTM's editor, so showing them again
// restores what was typed; `formData` leaves them out of `data`.
//
// Pure and free of DOM and Node APIs: the preview page runs it, and so do the unit tests.

import type { Parameter, SimpleTableColumn } from '../../tpl/model.js';

/**
 * A field's value in the editor: a string (TEXT, with `{{variable}}` references as typed), the
 * chosen item's `value` (SELECT/RADIO: string, number or boolean, or `{{variable}}` text when the
 * select includes variables), a boolean (CHECKBOX) or `TableRow[]` (tables).
 */
export type FieldValue = unknown;

/** A table row: column name → that cell's value. */
export type TableRow = Record<string, FieldValue>;

/** Field name → value. Table columns live in their rows, keyed by column name. */
export type FormValues = Record<string, FieldValue>;

export const VALUE_TYPES = new Set(['TEXT', 'SELECT', 'CHECKBOX', 'RADIO', 'SIMPLE_TABLE', 'PARAM_TABLE']);

/** True for fields that hold a value (and so appear in `data` under their `name`). */
export function holdsValue(p: Parameter): p is Parameter & { name: string } {
  return VALUE_TYPES.has(String(p.type)) && typeof p.name === 'string' && p.name !== '';
}

/** The fields nested directly under `p` (group children, nested fields, and those of RADIO items). */
export function childFields(p: Parameter): { fields: Parameter[]; item?: unknown }[] {
  const out: { fields: Parameter[]; item?: unknown }[] = [];
  if (Array.isArray(p.subParams)) out.push({ fields: p.subParams });
  if (p.type === 'RADIO' && Array.isArray(p.radioItems)) {
    for (const item of p.radioItems) {
      if (item && Array.isArray(item.subParams)) out.push({ fields: item.subParams, item: item.value });
    }
  }
  return out;
}

/** Every field of the tree in document order (not the columns of tables), with its parent. */
export function* walkFields(
  params: readonly Parameter[],
  parent?: Parameter,
): Generator<{ field: Parameter; parent?: Parameter; item?: unknown }> {
  for (const field of params) {
    if (!field || typeof field !== 'object') continue;
    yield { field, parent };
    for (const group of childFields(field)) {
      for (const inner of walkFields(group.fields, field)) {
        yield inner.parent === field && group.item !== undefined ? { ...inner, item: group.item } : inner;
      }
    }
  }
}

/** The columns of a PARAM_TABLE as fields. */
export function paramTableFields(p: Parameter): Parameter[] {
  return (p.paramTableColumns ?? []).map((c) => c?.param).filter((f): f is Parameter => !!f);
}

/** The value a fresh row of a SIMPLE_TABLE starts with. */
export function newSimpleRow(columns: readonly SimpleTableColumn[]): TableRow {
  const row: TableRow = {};
  for (const c of columns) {
    if (typeof c?.name !== 'string') continue;
    row[c.name] =
      c.defaultValue !== undefined
        ? c.defaultValue
        : c.type === 'SELECT'
          ? (c.selectItems?.[0]?.value ?? '')
          : '';
  }
  return row;
}

/** The value a field starts with in a new tag: its `defaultValue`, else what GTM's editor shows empty. */
export function initialValue(p: Parameter): FieldValue {
  switch (p.type) {
    case 'CHECKBOX':
      return p.defaultValue === true || p.defaultValue === 'true';
    case 'TEXT':
      if (p.defaultValue === undefined || p.defaultValue === null) return '';
      return p.textAsList && Array.isArray(p.defaultValue)
        ? p.defaultValue.map(String).join('\n')
        : String(p.defaultValue);
    case 'SELECT':
      // Without a default, a SELECT shows its "not set" choice when it has one, else its first item.
      if (p.defaultValue !== undefined) return p.defaultValue;
      if (p.notSetText !== undefined || !p.selectItems?.length) return '';
      return p.selectItems[0]!.value;
    case 'RADIO':
      if (p.defaultValue !== undefined) return p.defaultValue;
      return p.radioItems?.[0]?.value ?? '';
    case 'SIMPLE_TABLE':
    case 'PARAM_TABLE':
      return Array.isArray(p.defaultValue) ? structuredClone(p.defaultValue) : [];
    default:
      return undefined;
  }
}

/** The state of a new tag: every named field at its initial value (nested ones and columns included). */
export function initialValues(params: readonly Parameter[]): FormValues {
  const values: FormValues = {};
  for (const { field } of walkFields(params)) {
    if (holdsValue(field)) values[field.name] = initialValue(field);
  }
  return values;
}

/** A fresh PARAM_TABLE row: each column field at its initial value. */
export function newParamRow(p: Parameter): TableRow {
  return initialValues(paramTableFields(p));
}

/** Whether `value` differs from the field's initial value (GTM opens ZIPPY_OPEN_ON_PARAM groups then). */
export function isChanged(p: Parameter, value: FieldValue): boolean {
  return JSON.stringify(value ?? null) !== JSON.stringify(initialValue(p) ?? null);
}
