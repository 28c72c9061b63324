// The keys of a form field in GTM's format (`___TEMPLATE_PARAMETERS___`): which ones GTM's template
// editor writes for each field type, and for a simple table's columns (format notes §2.2). The
// importer keeps exactly these; the checker warns about a key that no field type has (a typo or an
// option GTM's form does not offer, such as `required` or `placeholder`).

/** The keys GTM's template editor writes on every field type. */
const COMMON_KEYS = ['type', 'name', 'displayName', 'help', 'enablingConditions', 'valueValidators'];
/** The keys it writes for each field type, besides those. */
const FIELD_KEYS: Record<string, string[]> = {
  TEXT: [
    'simpleValueType',
    'defaultValue',
    'valueHint',
    'alwaysInSummary',
    'notSetText',
    'canBeEmptyString',
    'valueUnit',
    'lineCount',
    'textAsList',
    'clearOnCopy',
    'subParams',
  ],
  SELECT: [
    'macrosInSelect',
    'selectItems',
    'simpleValueType',
    'defaultValue',
    'notSetText',
    'alwaysInSummary',
    'subParams',
  ],
  CHECKBOX: [
    'checkboxText',
    'simpleValueType',
    'defaultValue',
    'alwaysInSummary',
    'subParams',
    'clearOnCopy',
  ],
  RADIO: ['radioItems', 'simpleValueType', 'defaultValue', 'alwaysInSummary', 'subParams'],
  SIMPLE_TABLE: ['simpleTableColumns', 'newRowButtonText', 'alwaysInSummary', 'notSetText'],
  PARAM_TABLE: [
    'paramTableColumns',
    'newRowButtonText',
    'newRowTitle',
    'editRowTitle',
    'alwaysInSummary',
    'notSetText',
  ],
  GROUP: ['groupStyle', 'subParams'],
  LABEL: [],
};
/** The keys of a simple table column of `type`: options only on a drop-down column. */
export function columnKeys(type: string): string[] {
  return type === 'SELECT'
    ? COLUMN_KEYS
    : COLUMN_KEYS.filter((k) => k !== 'selectItems' && k !== 'macrosInSelect');
}

const COLUMN_KEYS = [
  'name',
  'displayName',
  'type',
  'defaultValue',
  'isUnique',
  'valueHint',
  'selectItems',
  'macrosInSelect',
  'valueValidators',
];
/** The keys of a field of `type` in GTM's format. */
export function fieldKeys(type: string): string[] {
  return [...COMMON_KEYS, ...(FIELD_KEYS[type] ?? [])];
}

/** Every key some field or column has: a key outside this set is not part of GTM's form. */
export const FORM_KEYS: ReadonlySet<string> = new Set([
  ...COMMON_KEYS,
  ...Object.values(FIELD_KEYS).flat(),
  ...COLUMN_KEYS,
]);
