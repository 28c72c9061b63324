// `valueValidators`: what GTM reports when a tag is saved (format notes §2.4). Rules, from Simo
// Ahava's guide as summarised there: a validator runs only while its field is shown and its own
// `enablingConditions` (if any) hold; REGEX must match the whole value; the number rules take
// whole numbers; every rule but NON_EMPTY and TABLE_ROW_COUNT lets an empty value pass (an optional
// field with a pattern can be left empty). Values are checked as typed, `{{variable}}` references
// included, which is why patterns of fields that take variables allow `\{\{…\}\}` themselves.

import { defaultText, type Parameter, type SimpleTableColumn, type ValueValidator } from '../../tpl/model.js';
import { conditionsHold, enabledColumns, enabledFields } from './enabling.js';
import { holdsValue, paramTableFields, walkFields, type FormValues, type TableRow } from './values.js';

export interface FormProblem {
  /** The top-level field's name (for a cell: the table's). */
  field: string;
  /** For a table cell: the row (0-based) and the column's name. */
  row?: number;
  column?: string;
  /** The validator that failed, e.g. `NON_EMPTY`, or `UNIQUE` for a column that must be unique. */
  validator: string;
  message: string;
}

/** A validator type the preview does not know: reported once per field, never silently passed. */
export interface UncheckedValidator {
  field: string;
  column?: string;
  validator: string;
}

export interface ValidationResult {
  problems: FormProblem[];
  unchecked: UncheckedValidator[];
}

const WHOLE = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
// Universal Analytics (UA-/YT-/MO-) and Google Analytics 4 (G-) measurement IDs.
const GA_ID = /^((UA|YT|MO)-\d+-\d+|G-[A-Z0-9]+)$/i;

function range(args: unknown[] | undefined): [number, number] {
  const min = typeof args?.[0] === 'number' ? args[0] : 0;
  const max = typeof args?.[1] === 'number' ? args[1] : Infinity;
  return [min, max];
}

function between(min: number, max: number, unit: string): string {
  if (max === Infinity) return `at least ${min} ${unit}`;
  if (min === max) return `exactly ${min} ${unit}`;
  return `between ${min} and ${max} ${unit}`;
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    value === false ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * One validator against one value; `undefined` when it passes, the message when it fails, `null`
 * when the validator type is unknown. `length` is the row count of a table (or of a list TEXT).
 */
export function checkValue(v: ValueValidator, value: unknown, length?: number): string | undefined | null {
  const fail = (fallback: string) => defaultText(v.errorMessage) || fallback;
  if (v.type === 'NON_EMPTY') return isEmpty(value) ? fail('This value cannot be empty.') : undefined;
  if (v.type === 'TABLE_ROW_COUNT') {
    const [min, max] = range(v.args);
    const n = length ?? (Array.isArray(value) ? value.length : isEmpty(value) ? 0 : 1);
    return n < min || n > max ? fail(`This list must have ${between(min, max, 'rows')}.`) : undefined;
  }
  if (isEmpty(value)) return v.type in RULES ? undefined : null;
  const rule = RULES[v.type];
  if (!rule) return null;
  const text = typeof value === 'string' ? value : String(value);
  const message = rule(text, v.args);
  return message === undefined ? undefined : fail(message);
}

const RULES: Record<string, (text: string, args: unknown[] | undefined) => string | undefined> = {
  REGEX(text, args) {
    const pattern = typeof args?.[0] === 'string' ? args[0] : '';
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch {
      return `The field's pattern ${JSON.stringify(pattern)} is not a valid regular expression.`;
    }
    return re.test(text) ? undefined : `This value must match the regular expression ${pattern}.`;
  },
  NUMBER: (t) => (WHOLE.test(t) ? undefined : 'This value must be a number.'),
  INTEGER: (t) => (WHOLE.test(t) ? undefined : 'This value must be a whole number.'),
  POSITIVE_NUMBER: (t) =>
    WHOLE.test(t) && Number(t) > 0 ? undefined : 'This value must be a positive number.',
  NON_NEGATIVE_NUMBER: (t) =>
    WHOLE.test(t) && Number(t) >= 0 ? undefined : 'This value must be a positive number or 0.',
  DECIMAL: (t) => (DECIMAL.test(t) ? undefined : 'This value must be a decimal number.'),
  DOUBLE: (t) => (DECIMAL.test(t) ? undefined : 'This value must be a decimal number.'),
  PERCENTAGE: (t) =>
    WHOLE.test(t) && Number(t) >= 0 && Number(t) <= 100
      ? undefined
      : 'This value must be a whole number between 0 and 100 (inclusive).',
  BETWEEN(t, args) {
    const [min, max] = range(args);
    return DECIMAL.test(t) && Number(t) >= min && Number(t) <= max
      ? undefined
      : `This value must be a number ${between(min, max, '').trim()} (inclusive).`;
  },
  STRING_LENGTH(t, args) {
    const [min, max] = range(args);
    return t.length >= min && t.length <= max
      ? undefined
      : `This value must be ${between(min, max, 'characters')} long.`;
  },
  GA_TRACKING_ID: (t) => (GA_ID.test(t.trim()) ? undefined : 'This value must be a valid GA tracking ID.'),
};

/** The validators of a field or column that apply now (their own enabling conditions hold). */
function activeValidators(
  validators: readonly ValueValidator[] | undefined,
  valueOf: (name: string) => unknown,
): ValueValidator[] {
  if (!Array.isArray(validators)) return [];
  return validators.filter(
    (v) => !!v && typeof v.type === 'string' && conditionsHold(v.enablingConditions, valueOf),
  );
}

/** Every problem GTM would report on save, in form order. */
export function validateForm(params: readonly Parameter[], values: FormValues): ValidationResult {
  const problems: FormProblem[] = [];
  const unchecked: UncheckedValidator[] = [];
  const enabled = enabledFields(params, values);
  const topValue = (name: string) => values[name];

  const run = (
    validators: ValueValidator[],
    value: unknown,
    where: { field: string; row?: number; column?: string },
    length?: number,
  ) => {
    for (const v of validators) {
      const message = checkValue(v, value, length);
      if (message === null) {
        if (
          !unchecked.some(
            (u) => u.field === where.field && u.column === where.column && u.validator === v.type,
          )
        )
          unchecked.push({
            field: where.field,
            ...(where.column ? { column: where.column } : {}),
            validator: v.type,
          });
      } else if (message !== undefined) {
        problems.push({ ...where, validator: v.type, message });
      }
    }
  };

  for (const { field } of walkFields(params)) {
    if (!enabled.has(field) || !holdsValue(field)) continue;
    const name = field.name;
    const value = values[name];
    const validators = activeValidators(field.valueValidators, topValue);
    if (field.type === 'TEXT' && field.textAsList) {
      const lines = listLines(value);
      for (const v of validators) {
        if (v.type === 'TABLE_ROW_COUNT' || v.type === 'NON_EMPTY')
          run([v], lines, { field: name }, lines.length);
        else for (const line of lines) run([v], line, { field: name });
      }
      continue;
    }
    const rows = Array.isArray(value) ? (value as TableRow[]) : [];
    if (field.type === 'SIMPLE_TABLE' || field.type === 'PARAM_TABLE') {
      run(validators, rows, { field: name }, rows.length);
      if (field.type === 'SIMPLE_TABLE')
        validateSimpleRows(field.simpleTableColumns ?? [], rows, name, run, problems);
      else validateParamRows(field, rows, values, run, problems);
      continue;
    }
    run(validators, value, { field: name });
  }
  return { problems, unchecked };
}

type Run = (
  validators: ValueValidator[],
  value: unknown,
  where: { field: string; row?: number; column?: string },
  length?: number,
) => void;

function validateSimpleRows(
  columns: readonly SimpleTableColumn[],
  rows: TableRow[],
  field: string,
  run: Run,
  problems: FormProblem[],
): void {
  for (const column of columns) {
    if (typeof column?.name !== 'string') continue;
    const validators = activeValidators(column.valueValidators, () => undefined);
    rows.forEach((row, i) => run(validators, row[column.name], { field, row: i, column: column.name }));
    if (column.isUnique) uniqueness(rows, column.name, field, problems);
  }
}

function validateParamRows(
  table: Parameter,
  rows: TableRow[],
  values: FormValues,
  run: Run,
  problems: FormProblem[],
): void {
  const columns = table.paramTableColumns ?? [];
  rows.forEach((row, i) => {
    const shown = enabledColumns(table, row, values);
    for (const param of paramTableFields(table)) {
      if (!shown.has(param) || !holdsValue(param)) continue;
      const valueOf = (name: string) => (name in row ? row[name] : values[name]);
      run(activeValidators(param.valueValidators, valueOf), row[param.name], {
        field: String(table.name),
        row: i,
        column: param.name,
      });
    }
  });
  for (const c of columns) {
    if (c?.isUnique && typeof c.param?.name === 'string')
      uniqueness(rows, c.param.name, String(table.name), problems);
  }
}

/** `isUnique` columns: every row after the first with a repeated (non-empty) value is reported. */
function uniqueness(rows: TableRow[], column: string, field: string, problems: FormProblem[]): void {
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const value = row[column];
    if (isEmpty(value)) return;
    const key = JSON.stringify(value);
    if (seen.has(key))
      problems.push({
        field,
        row: i,
        column,
        validator: 'UNIQUE',
        message: 'This value must be unique in the table.',
      });
    seen.add(key);
  });
}

/** A list TEXT's lines (`textAsList`): one item per line, blank lines not counted. */
export function listLines(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return String(value ?? '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
}
