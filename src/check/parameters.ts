// `___TEMPLATE_PARAMETERS___`: the form. GTM flattens groups into one `data` object, so names are
// unique across the whole tree (table columns have their own namespace per table). Enabling
// conditions refer to fields by name and compare with the values those fields can take.

import { FORM_KEYS } from '../gtm/form-fields.js';
import type { Template } from '../tpl/model.js';
import { isPlainObject, kindOf, type JsonPath, type Reporter } from './locate.js';

const S = 'TEMPLATE_PARAMETERS';

export const PARAMETER_TYPES: readonly string[] = [
  'TEXT',
  'SELECT',
  'CHECKBOX',
  'RADIO',
  'SIMPLE_TABLE',
  'PARAM_TABLE',
  'GROUP',
  'LABEL',
];
const GROUP_STYLES = ['ZIPPY_OPEN', 'ZIPPY_CLOSED', 'ZIPPY_OPEN_ON_PARAM', 'NO_ZIPPY'];
const CONDITION_TYPES = [
  'EQUALS',
  'NOT_EQUALS',
  'PRESENT',
  // Holds while the named field is set to a variable ({{…}}); GTM exports carry it next to an
  // EQUALS on a SELECT with macrosInSelect (docs/diagnostics.md, params/unknown-condition-type).
  'IS_MACRO_REFERENCE',
  'NOT_PRESENT',
  'GREATER_THAN',
  'LESS_THAN',
  'CONTAINS',
  'NOT_CONTAINS',
];
export const VALIDATOR_TYPES: readonly string[] = [
  'NON_EMPTY',
  'REGEX',
  'POSITIVE_NUMBER',
  'NON_NEGATIVE_NUMBER',
  'NUMBER',
  'STRING_LENGTH',
  'TABLE_ROW_COUNT',
  'GA_TRACKING_ID',
  'DOUBLE',
  'INTEGER',
  'PERCENTAGE',
  'BETWEEN',
];
const BOOLEAN_OPTIONS = [
  'simpleValueType',
  'macrosInSelect',
  'alwaysInSummary',
  'canBeEmptyString',
  'clearOnCopy',
  'textAsList',
  'isUnique',
];

/**
 * What authors write for an option GTM's form has under another name (keys seen in published
 * templates, e.g. `required` and `placeholder`).
 */
const KEY_SUGGESTIONS: Readonly<Record<string, string>> = {
  required: 'a required field has the validator "valueValidators": [{ "type": "NON_EMPTY" }]',
  placeholder: 'the grey text shown in an empty field is "valueHint"',
  hint: 'the grey text shown in an empty field is "valueHint"; the help bubble is "help"',
  visibility: 'a field is shown or hidden by "enablingConditions"',
  visibilityConditions: 'a field is shown or hidden by "enablingConditions"',
  customVisibility: 'a field is shown or hidden by "enablingConditions"',
  valueType: 'a field whose value is one plain value has "simpleValueType": true',
};

/**
 * The keys of an item of a drop-down or a radio field, as GTM's editor writes them: a radio item
 * may also carry help and nested fields (format notes, RADIO and SELECT; across the 290 corpus
 * files items have no other key).
 */
const ITEM_KEYS = new Set(['value', 'displayValue', 'help', 'subParams']);
/** What a misplaced key of an item belongs to instead. */
const ITEM_KEY_SUGGESTIONS: Readonly<Record<string, string>> = {
  valueValidators: 'validators belong to the field, not to one of its items',
  enablingConditions: 'enabling conditions belong to a field, such as one in this item\'s "subParams"',
  displayName: 'an item\'s label is "displayValue"',
};

/** The keys of an enabling condition and of a validator, as GTM's editor writes them. */
const CONDITION_KEYS = new Set(['paramName', 'type', 'paramValue']);
const VALIDATOR_KEYS = new Set(['type', 'args', 'errorMessage', 'enablingConditions']);
/** GTM's key for what a misnamed one of a condition or a validator was meant to say. */
const CONDITION_KEY_SUGGESTIONS: Readonly<Record<string, string>> = {
  equals: 'the value compared with is "paramValue"',
  value: 'the value compared with is "paramValue"',
  values: 'the value compared with is "paramValue" (one condition per value)',
  param: 'the field compared is "paramName"',
  name: 'the field compared is "paramName"',
};
const VALIDATOR_KEY_SUGGESTIONS: Readonly<Record<string, string>> = {
  message: 'the text shown is "errorMessage"',
  error: 'the text shown is "errorMessage"',
  pattern: 'a REGEX validator\'s pattern is "args": ["<pattern>"]',
};

/** JSON path length (2–4 per nesting level) beyond which the form is not walked further. */
const MAX_PATH_LENGTH = 200;

/** What an enabling condition can compare a field with. */
interface FieldInfo {
  type: string;
  /** Values a SELECT/RADIO offers; undefined when any value is possible. */
  values?: unknown[];
  path: JsonPath;
}

interface Found {
  param: Record<string, unknown>;
  path: JsonPath;
  /** Columns of the PARAM_TABLE this parameter is a column of, if any (their own namespace). */
  table?: Map<string, FieldInfo>;
}

export function checkParameters(template: Template, r: Reporter): void {
  const params = template.parameters as unknown;
  if (params === undefined) return;
  const at = (path: JsonPath) => r.locate.json(S, path);
  if (!Array.isArray(params)) {
    r.error(
      'params/not-array',
      `___TEMPLATE_PARAMETERS___ must be a JSON array of fields, found ${kindOf(params)}.`,
      S,
      at([]),
    );
    return;
  }

  const topLevel = new Map<string, FieldInfo>();
  let tooDeepReported = false;
  const found: Found[] = [];

  const fieldInfo = (p: Record<string, unknown>, path: JsonPath): FieldInfo => {
    const type = String(p.type);
    const items = type === 'RADIO' ? p.radioItems : type === 'SELECT' ? p.selectItems : undefined;
    const values =
      (type === 'SELECT' && p.macrosInSelect === true) || !Array.isArray(items)
        ? undefined
        : items.filter(isPlainObject).map((i) => i.value);
    return { type, values, path };
  };

  /**
   * Keys of `part` outside `known`, each reported as "not `what`" with GTM's own key where
   * `suggestions` names one.
   */
  const reportUnknownKeys = (
    part: Record<string, unknown>,
    path: JsonPath,
    known: ReadonlySet<string>,
    suggestions: Readonly<Record<string, string>>,
    what: string,
  ) => {
    for (const key of Object.keys(part)) {
      if (known.has(key)) continue;
      const hint = Object.hasOwn(suggestions, key) ? ` (${suggestions[key]})` : '';
      r.warning(
        'params/unknown-key',
        `"${key}" is not ${what}${hint}: GTM's editor does nothing with it.`,
        S,
        at([...path, key]),
      );
    }
  };

  /**
   * Keys no field type has. GTM's exports keep keys of another field type (`selectItems` on a TEXT
   * field whose type was changed), so only a key foreign to every type is reported.
   */
  const unknownKeys = (p: Record<string, unknown>, path: JsonPath) =>
    reportUnknownKeys(p, path, FORM_KEYS, KEY_SUGGESTIONS, "an option of GTM's form fields");

  const visit = (
    p: unknown,
    path: JsonPath,
    names: Map<string, FieldInfo>,
    table?: Map<string, FieldInfo>,
  ) => {
    // The form nests a few levels in practice; thousands would exhaust the stack, so stop early.
    if (path.length > MAX_PATH_LENGTH) {
      if (!tooDeepReported)
        r.error(
          'params/too-deep',
          'Fields are nested too deeply (groups within groups); flatten the form.',
          S,
          at(path),
        );
      tooDeepReported = true;
      return;
    }
    if (!isPlainObject(p)) {
      r.error('params/not-object', `Each field must be a JSON object, found ${kindOf(p)}.`, S, at(path));
      return;
    }
    found.push({ param: p, path, table });
    const type = p.type;
    if (typeof type !== 'string' || !PARAMETER_TYPES.includes(type)) {
      r.error(
        'params/unknown-type',
        `Unknown field type ${JSON.stringify(type)}; GTM knows ${PARAMETER_TYPES.join(', ')}.`,
        S,
        at([...path, 'type']),
      );
    }
    if (p.name === undefined || p.name === '') {
      if (type !== 'LABEL')
        r.error(
          'params/missing-name',
          `This ${String(type)} field has no "name"; every field except a LABEL needs one.`,
          S,
          at(path),
        );
    } else if (typeof p.name !== 'string') {
      r.error(
        'params/invalid-name',
        `"name" must be a string, found ${kindOf(p.name)}.`,
        S,
        at([...path, 'name']),
      );
    } else if (names.has(p.name)) {
      r.error(
        'params/duplicate-name',
        `Field name "${p.name}" is used twice; GTM flattens groups into one data object, so names must be unique${table ? ' within the table' : ''}.`,
        S,
        at([...path, 'name']),
      );
    } else if (type !== 'LABEL' && type !== 'GROUP') {
      names.set(p.name, fieldInfo(p, path));
    } else {
      names.set(p.name, { type: String(type), path });
    }

    unknownKeys(p, path);
    for (const option of BOOLEAN_OPTIONS) {
      if (p[option] !== undefined && typeof p[option] !== 'boolean')
        r.error(
          'params/invalid-option',
          `"${option}" must be true or false, found ${JSON.stringify(p[option])}.`,
          S,
          at([...path, option]),
        );
    }
    if (
      p.lineCount !== undefined &&
      (typeof p.lineCount !== 'number' || !Number.isInteger(p.lineCount) || p.lineCount < 1)
    )
      r.error(
        'params/invalid-option',
        `"lineCount" must be a positive whole number, found ${JSON.stringify(p.lineCount)}.`,
        S,
        at([...path, 'lineCount']),
      );
    if (type === 'GROUP' && p.groupStyle !== undefined && !GROUP_STYLES.includes(p.groupStyle as string))
      r.warning(
        'params/invalid-group-style',
        `Unknown groupStyle ${JSON.stringify(p.groupStyle)}; GTM knows ${GROUP_STYLES.join(', ')}.`,
        S,
        at([...path, 'groupStyle']),
      );

    if (type === 'SELECT' || type === 'RADIO') {
      checkItems(p, path, type === 'SELECT' ? 'selectItems' : 'radioItems', names, table);
      const options = fieldInfo(p, path).values;
      if (
        p.defaultValue !== undefined &&
        p.defaultValue !== '' &&
        options &&
        !options.some((v) => v === p.defaultValue)
      )
        r.warning(
          'params/default-not-an-option',
          `The default value ${JSON.stringify(p.defaultValue)} is not one of the options (${options.map((v) => JSON.stringify(v)).join(', ')}).`,
          S,
          at([...path, 'defaultValue']),
        );
    }

    if (p.subParams !== undefined) {
      if (!Array.isArray(p.subParams))
        r.error(
          'params/not-array',
          `"subParams" must be an array of fields, found ${kindOf(p.subParams)}.`,
          S,
          at([...path, 'subParams']),
        );
      else p.subParams.forEach((c, i) => visit(c, [...path, 'subParams', i], names, table));
    }

    if (type === 'SIMPLE_TABLE') checkSimpleTable(p, path);
    if (type === 'PARAM_TABLE') {
      const columns = p.paramTableColumns;
      if (!Array.isArray(columns) || columns.length === 0) {
        r.error(
          'params/missing-columns',
          'A PARAM_TABLE needs "paramTableColumns": [{ "param": {…} }, …].',
          S,
          at([...path, 'paramTableColumns']),
        );
      } else {
        const own = new Map<string, FieldInfo>();
        columns.forEach((c, i) => {
          if (!isPlainObject(c) || !isPlainObject(c.param)) {
            r.error(
              'params/invalid-column',
              'Each PARAM_TABLE column must be { "param": { …field… }, "isUnique": … }.',
              S,
              at([...path, 'paramTableColumns', i]),
            );
            return;
          }
          if (c.isUnique !== undefined && typeof c.isUnique !== 'boolean')
            r.error(
              'params/invalid-option',
              `"isUnique" must be true or false, found ${JSON.stringify(c.isUnique)}.`,
              S,
              at([...path, 'paramTableColumns', i, 'isUnique']),
            );
          visit(c.param, [...path, 'paramTableColumns', i, 'param'], own, own);
        });
      }
    }
  };

  const checkItems = (
    p: Record<string, unknown>,
    path: JsonPath,
    key: 'selectItems' | 'radioItems',
    names: Map<string, FieldInfo>,
    table?: Map<string, FieldInfo>,
  ) => {
    const items = p[key];
    if (items === undefined) {
      if (!(key === 'selectItems' && p.macrosInSelect === true))
        r.error(
          'params/missing-items',
          `A ${String(p.type)} field needs "${key}": [{ "value": …, "displayValue": … }, …].`,
          S,
          at(path),
        );
      return;
    }
    if (!Array.isArray(items)) {
      r.error(
        'params/missing-items',
        `"${key}" must be an array of { "value", "displayValue" }, found ${kindOf(items)}.`,
        S,
        at([...path, key]),
      );
      return;
    }
    const seen: unknown[] = [];
    items.forEach((item, i) => {
      const itemPath = [...path, key, i];
      if (!isPlainObject(item) || !('value' in item)) {
        r.error(
          'params/invalid-item',
          `Each item of "${key}" must be an object with a "value".`,
          S,
          at(itemPath),
        );
        return;
      }
      if (seen.some((v) => v === item.value))
        r.warning(
          'params/duplicate-item-value',
          `The value ${JSON.stringify(item.value)} is offered twice; the second item can never be told apart.`,
          S,
          at([...itemPath, 'value']),
        );
      seen.push(item.value);
      reportUnknownKeys(
        item,
        itemPath,
        ITEM_KEYS,
        ITEM_KEY_SUGGESTIONS,
        `a key of an item of "${key}", whose keys are "value", "displayValue", "help" and "subParams"`,
      );
      if (item.subParams !== undefined) {
        if (!Array.isArray(item.subParams))
          r.error(
            'params/not-array',
            `"subParams" must be an array of fields.`,
            S,
            at([...itemPath, 'subParams']),
          );
        else item.subParams.forEach((c, j) => visit(c, [...itemPath, 'subParams', j], names, table));
      }
    });
  };

  const checkSimpleTable = (p: Record<string, unknown>, path: JsonPath) => {
    const columns = p.simpleTableColumns;
    if (!Array.isArray(columns) || columns.length === 0) {
      r.error(
        'params/missing-columns',
        'A SIMPLE_TABLE needs "simpleTableColumns": [{ "name", "displayName", "type", "defaultValue" }, …].',
        S,
        at([...path, 'simpleTableColumns']),
      );
      return;
    }
    const names = new Set<string>();
    // A column's validators may be enabled by another column of the same row: GTM's editor offers
    // the table's columns there (Google's own sgtm-event-data-filter export, tag.tpl, enables a
    // NON_EMPTY rule of its "keyPattern" column on its "target" column). Collected before the
    // validators are checked, since a rule may name a column further right.
    const columnFields = new Map<string, FieldInfo>();
    const columnValidators: Array<[unknown, JsonPath]> = [];
    columns.forEach((c, i) => {
      const cPath = [...path, 'simpleTableColumns', i];
      if (!isPlainObject(c)) {
        r.error(
          'params/invalid-column',
          `Each SIMPLE_TABLE column must be an object, found ${kindOf(c)}.`,
          S,
          at(cPath),
        );
        return;
      }
      if (typeof c.name !== 'string' || c.name === '')
        r.error('params/missing-name', 'This table column has no "name".', S, at(cPath));
      else if (names.has(c.name))
        r.error(
          'params/duplicate-column-name',
          `Column name "${c.name}" is used twice in this table.`,
          S,
          at([...cPath, 'name']),
        );
      else {
        names.add(c.name);
        columnFields.set(c.name, fieldInfo(c, cPath));
      }
      if (c.type !== 'TEXT' && c.type !== 'SELECT')
        r.error(
          'params/invalid-column',
          `A SIMPLE_TABLE column's type must be TEXT or SELECT, found ${JSON.stringify(c.type)}.`,
          S,
          at([...cPath, 'type']),
        );
      if (c.type === 'SELECT' && c.selectItems !== undefined && !Array.isArray(c.selectItems))
        r.error(
          'params/missing-items',
          '"selectItems" must be an array of { "value", "displayValue" }.',
          S,
          at([...cPath, 'selectItems']),
        );
      unknownKeys(c, cPath);
      for (const option of BOOLEAN_OPTIONS) {
        if (c[option] !== undefined && typeof c[option] !== 'boolean')
          r.error(
            'params/invalid-option',
            `"${option}" must be true or false, found ${JSON.stringify(c[option])}.`,
            S,
            at([...cPath, option]),
          );
      }
      columnValidators.push([c.valueValidators, cPath]);
    });
    for (const [validators, cPath] of columnValidators)
      checkValidators(validators, cPath, topLevel, columnFields);
  };

  const checkConditions = (conditions: unknown, path: JsonPath, table?: Map<string, FieldInfo>) => {
    if (conditions === undefined) return;
    if (!Array.isArray(conditions)) {
      r.error(
        'params/invalid-enabling-condition',
        `"enablingConditions" must be an array, found ${kindOf(conditions)}.`,
        S,
        at([...path, 'enablingConditions']),
      );
      return;
    }
    conditions.forEach((c, i) => {
      const cPath = [...path, 'enablingConditions', i];
      if (!isPlainObject(c) || typeof c.paramName !== 'string' || typeof c.type !== 'string') {
        r.error(
          'params/invalid-enabling-condition',
          'An enabling condition is { "paramName": "field", "type": "EQUALS", "paramValue": … }.',
          S,
          at(cPath),
        );
        return;
      }
      reportUnknownKeys(
        c,
        cPath,
        CONDITION_KEYS,
        CONDITION_KEY_SUGGESTIONS,
        'a key of an enabling condition, whose keys are "paramName", "type" and "paramValue"',
      );
      if (!CONDITION_TYPES.includes(c.type))
        r.warning(
          'params/unknown-condition-type',
          `Unknown condition type ${JSON.stringify(c.type)}; GTM's editor writes EQUALS, NOT_EQUALS, PRESENT or IS_MACRO_REFERENCE.`,
          S,
          at([...cPath, 'type']),
        );
      // GTM saves conditions naming a field that was renamed or deleted (real exports have them on
      // groups and validators): the field's value is then always undefined. A warning, not an error.
      const target = table?.get(c.paramName) ?? topLevel.get(c.paramName);
      if (!target) {
        r.warning(
          'params/unknown-condition-field',
          `The enabling condition refers to a field "${c.paramName}" that does not exist; its value is always undefined.`,
          S,
          at([...cPath, 'paramName']),
        );
        return;
      }
      if (target.type === 'GROUP' || target.type === 'LABEL') {
        r.warning(
          'params/unknown-condition-field',
          `The enabling condition refers to "${c.paramName}", a ${target.type}, which has no value.`,
          S,
          at([...cPath, 'paramName']),
        );
        return;
      }
      if (c.type !== 'EQUALS' && c.type !== 'NOT_EQUALS') return;
      if (target.type === 'CHECKBOX' && typeof c.paramValue !== 'boolean') {
        r.warning(
          'params/impossible-condition-value',
          `"${c.paramName}" is a CHECKBOX: compare it with true or false, not ${JSON.stringify(c.paramValue)}.`,
          S,
          at([...cPath, 'paramValue']),
        );
      } else if (target.values && !target.values.some((v) => v === c.paramValue)) {
        const options = target.values.map((v) => JSON.stringify(v)).join(', ');
        const hasValue = Object.hasOwn(c, 'paramValue');
        r.warning(
          'params/impossible-condition-value',
          hasValue
            ? `"${c.paramName}" never has the value ${JSON.stringify(c.paramValue)}; its options are ${options}.`
            : `The condition compares "${c.paramName}" with nothing (it has no "paramValue"); its options are ${options}.`,
          S,
          at(hasValue ? [...cPath, 'paramValue'] : cPath),
        );
      }
    });
  };

  const checkValidators = (
    validators: unknown,
    path: JsonPath,
    _names: Map<string, FieldInfo>,
    table?: Map<string, FieldInfo>,
  ) => {
    if (validators === undefined) return;
    if (!Array.isArray(validators)) {
      r.error(
        'params/invalid-validator',
        `"valueValidators" must be an array, found ${kindOf(validators)}.`,
        S,
        at([...path, 'valueValidators']),
      );
      return;
    }
    validators.forEach((v, i) => {
      const vPath = [...path, 'valueValidators', i];
      if (!isPlainObject(v) || typeof v.type !== 'string') {
        r.error(
          'params/invalid-validator',
          'A validator is { "type": "NON_EMPTY" } (with "args" for REGEX, STRING_LENGTH, TABLE_ROW_COUNT).',
          S,
          at(vPath),
        );
        return;
      }
      reportUnknownKeys(
        v,
        vPath,
        VALIDATOR_KEYS,
        VALIDATOR_KEY_SUGGESTIONS,
        'a key of a validator, whose keys are "type", "args", "errorMessage" and "enablingConditions"',
      );
      if (!VALIDATOR_TYPES.includes(v.type)) {
        r.warning(
          'params/unknown-validator',
          `Unknown validator type ${JSON.stringify(v.type)}; known: ${VALIDATOR_TYPES.join(', ')}.`,
          S,
          at([...vPath, 'type']),
        );
      }
      const args = v.args;
      if (v.type === 'REGEX') {
        if (!Array.isArray(args) || args.length < 1 || typeof args[0] !== 'string') {
          r.error(
            'params/invalid-validator-args',
            'A REGEX validator needs "args": ["<pattern>"].',
            S,
            at([...vPath, 'args']),
          );
        } else {
          try {
            new RegExp(args[0]);
          } catch (e) {
            r.error(
              'params/invalid-regex',
              `The REGEX pattern ${JSON.stringify(args[0])} does not compile: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}.`,
              S,
              at([...vPath, 'args', 0]),
            );
          }
        }
      } else if (v.type === 'STRING_LENGTH' || v.type === 'TABLE_ROW_COUNT') {
        const ok =
          Array.isArray(args) &&
          args.length >= 1 &&
          args.length <= 2 &&
          args.every((a) => typeof a === 'number' && Number.isInteger(a) && a >= 0) &&
          (args.length < 2 || (args[0] as number) <= (args[1] as number));
        if (!ok)
          r.error(
            'params/invalid-validator-args',
            `A ${v.type} validator needs "args": [min] or [min, max] with whole numbers 0 ≤ min ≤ max, found ${JSON.stringify(args)}.`,
            S,
            at([...vPath, 'args']),
          );
      }
      if (v.errorMessage !== undefined && typeof v.errorMessage !== 'string')
        r.error(
          'params/invalid-validator',
          `"errorMessage" must be a string, found ${kindOf(v.errorMessage)}.`,
          S,
          at([...vPath, 'errorMessage']),
        );
      checkConditions(v.enablingConditions, vPath, table);
    });
  };

  params.forEach((p, i) => visit(p, [i], topLevel));
  // Conditions and validators last: a condition may name a field defined further down.
  for (const f of found) {
    checkConditions(f.param.enablingConditions, f.path, f.table);
    checkValidators(f.param.valueValidators, f.path, topLevel, f.table);
  }
}
