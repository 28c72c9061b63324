// `enablingConditions`: which fields the form shows for the current values (format notes §2.3).
// Several conditions on one field are OR-combined; a field nested in a group, under a field, or
// under a RADIO item is shown only when what it is nested in is shown; a RADIO item's nested fields
// only while that item is chosen (41 of the 42 item-nested fields in the corpora carry no condition
// of their own, so GTM must hide them itself), whereas the nested fields of a CHECKBOX or SELECT
// need their own condition (47 of 52 CHECKBOX-nested fields carry one on their parent).

import type { EnablingCondition, Parameter } from '../../tpl/model.js';
import { childFields, paramTableFields, type FormValues } from './values.js';

/** Loose equality over the primitive types a field holds (a hand-written file may say `"true"`). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const primitive = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  return primitive(a) && primitive(b) && String(a) === String(b);
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !(Array.isArray(value) && value.length === 0);
}

/** Whether one condition holds for the value of the field it names. */
export function conditionHolds(condition: EnablingCondition, value: unknown): boolean {
  const expected = condition.paramValue;
  switch (condition.type) {
    case 'EQUALS':
      return sameValue(value, expected);
    case 'NOT_EQUALS':
      return !sameValue(value, expected);
    case 'PRESENT':
      return isPresent(value);
    case 'NOT_PRESENT':
      return !isPresent(value);
    case 'IS_MACRO_REFERENCE':
      // Written by GTM next to an EQUALS on a SELECT with macrosInSelect: the field holds a variable.
      return typeof value === 'string' && /^\{\{.+\}\}$/.test(value.trim());
    case 'GREATER_THAN':
      return Number(value) > Number(expected);
    case 'LESS_THAN':
      return Number(value) < Number(expected);
    case 'CONTAINS':
      return String(value ?? '').includes(String(expected ?? ''));
    case 'NOT_CONTAINS':
      return !String(value ?? '').includes(String(expected ?? ''));
    default:
      // An unknown type (the checker warns about it) does not hide the field.
      return true;
  }
}

/** OR over the conditions; no conditions (or an empty list) means always enabled. */
export function conditionsHold(
  conditions: readonly EnablingCondition[] | undefined,
  valueOf: (name: string) => unknown,
): boolean {
  if (!Array.isArray(conditions) || conditions.length === 0) return true;
  return conditions.some((c) => !!c && conditionHolds(c, valueOf(String(c.paramName))));
}

/**
 * The fields the form shows for `values`: every field (any type, nested ones included) whose
 * conditions hold and whose ancestors are shown. `scope` resolves names first (a PARAM_TABLE row:
 * its columns' conditions may name other columns of the same row), then `values`.
 */
export function enabledFields(
  params: readonly Parameter[],
  values: FormValues,
  scope?: FormValues,
): Set<Parameter> {
  const enabled = new Set<Parameter>();
  const valueOf = (name: string) =>
    scope && Object.prototype.hasOwnProperty.call(scope, name) ? scope[name] : values[name];
  const visit = (fields: readonly Parameter[]) => {
    for (const field of fields) {
      if (!field || typeof field !== 'object') continue;
      if (!conditionsHold(field.enablingConditions, valueOf)) continue;
      enabled.add(field);
      for (const group of childFields(field)) {
        if (group.item !== undefined && !sameValue(valueOf(String(field.name)), group.item)) continue;
        visit(group.fields);
      }
    }
  };
  visit(params);
  return enabled;
}

/** The columns shown in one PARAM_TABLE row (conditions see the row's own values first). */
export function enabledColumns(table: Parameter, row: FormValues, values: FormValues): Set<Parameter> {
  return enabledFields(paramTableFields(table), values, row);
}
