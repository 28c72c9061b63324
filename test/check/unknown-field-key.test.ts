// params/unknown-key: a form key that no field type has in GTM's format does nothing in GTM's
// form; the checker says so (a warning: GTM keeps such files) and names GTM's own option.
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { WEB_VARIABLE } from './fixtures.js';

const FIELD = `{ "type": "TEXT", "name": "value", "displayName": "Value", "simpleValueType": true }`;

/** WEB_VARIABLE with its form replaced by `params` (a JSON array's text). */
function withForm(params: string): string {
  const source = WEB_VARIABLE.replace(`[\n  ${FIELD}\n]`, params);
  expect(source).not.toBe(WEB_VARIABLE);
  return source;
}

function unknownKeys(source: string) {
  return checkSource(source).filter((d) => d.code === 'params/unknown-key');
}

describe('params/unknown-key', () => {
  it('reports nothing for the keys GTM writes', () => {
    expect(unknownKeys(WEB_VARIABLE)).toEqual([]);
    const full = withForm(`[
  { "type": "TEXT", "name": "a", "displayName": "A", "simpleValueType": true, "help": "h", "valueHint": "x",
    "alwaysInSummary": true, "notSetText": "-", "canBeEmptyString": true, "valueUnit": "ms", "lineCount": 2,
    "textAsList": true, "clearOnCopy": true, "defaultValue": "d",
    "valueValidators": [{ "type": "NON_EMPTY" }] },
  { "type": "SIMPLE_TABLE", "name": "t", "displayName": "T", "newRowButtonText": "Add",
    "simpleTableColumns": [{ "defaultValue": "", "displayName": "C", "name": "c", "type": "TEXT",
      "isUnique": true, "valueHint": "v" }] },
  { "type": "PARAM_TABLE", "name": "p", "displayName": "P", "newRowTitle": "New", "editRowTitle": "Edit",
    "paramTableColumns": [{ "param": { "type": "TEXT", "name": "k", "displayName": "K", "simpleValueType": true },
      "isUnique": false }] },
  { "type": "GROUP", "name": "g", "displayName": "G", "groupStyle": "ZIPPY_CLOSED",
    "subParams": [{ "type": "CHECKBOX", "name": "b", "checkboxText": "B", "simpleValueType": true }] }
]`);
    expect(unknownKeys(full)).toEqual([]);
  });

  it('warns at a key no field type has, naming GTM’s own option, wherever the field is', () => {
    const source = withForm(`[
  { "type": "TEXT", "name": "a", "displayName": "A", "simpleValueType": true,
    "required": true },
  { "type": "GROUP", "name": "g", "displayName": "G",
    "subParams": [{ "type": "TEXT", "name": "b", "displayName": "B", "simpleValueType": true,
      "placeholder": "e.g. 42" }] },
  { "type": "SIMPLE_TABLE", "name": "t", "displayName": "T",
    "simpleTableColumns": [{ "defaultValue": "", "displayName": "C", "name": "c", "type": "TEXT",
      "visibility": "hidden" }] },
  { "type": "PARAM_TABLE", "name": "p", "displayName": "P",
    "paramTableColumns": [{ "param": { "type": "TEXT", "name": "k", "displayName": "K",
      "colour": "red" } }] }
]`);
    const found = unknownKeys(source);
    expect(found.map((d) => [d.severity, d.line])).toEqual([
      ['warning', lineOf(source, '"required"')],
      ['warning', lineOf(source, '"placeholder"')],
      ['warning', lineOf(source, '"visibility"')],
      ['warning', lineOf(source, '"colour"')],
    ]);
    expect(found[0]!.text).toContain('"required"');
    expect(found[0]!.text).toContain('NON_EMPTY');
    expect(found[1]!.text).toContain('"valueHint"');
    expect(found[2]!.text).toContain('"enablingConditions"');
    expect(found[3]!.text).toContain('"colour"');
    // A warning only: the file still has no errors.
    expect(checkSource(source).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('warns at a key an enabling condition or a validator does not have, naming GTM’s key', () => {
    const source = withForm(`[
  { "type": "SELECT", "name": "kind", "displayName": "Kind", "simpleValueType": true,
    "selectItems": [{ "value": "a", "displayValue": "A" }, { "value": "b", "displayValue": "B" }] },
  { "type": "TEXT", "name": "x", "displayName": "X", "simpleValueType": true,
    "enablingConditions": [{ "paramName": "kind", "equals": "b", "type": "EQUALS" }],
    "valueValidators": [{ "type": "NON_EMPTY", "message": "Required" }] },
  { "type": "TEXT", "name": "y", "displayName": "Y", "simpleValueType": true,
    "enablingConditions": [{ "paramName": "kind", "paramValue": "b", "type": "EQUALS" }],
    "valueValidators": [{ "type": "NON_EMPTY", "errorMessage": "Required" }] }
]`);
    const found = unknownKeys(source);
    expect(found.map((d) => [d.severity, d.line])).toEqual([
      ['warning', lineOf(source, '"equals"')],
      ['warning', lineOf(source, '"message"')],
    ]);
    expect(found[0]!.text).toContain('"paramValue"');
    expect(found[1]!.text).toContain('"errorMessage"');
    // The condition without paramValue compares the field with nothing: said as such.
    const impossible = checkSource(source).filter((d) => d.code === 'params/impossible-condition-value');
    expect(impossible).toHaveLength(1);
    expect(impossible[0]!.text).toContain('has no "paramValue"');
    expect(checkSource(source).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('warns at a key an item of a drop-down or radio field does not have, and not at help or subParams', () => {
    const source = withForm(`[
  { "type": "RADIO", "name": "mode", "displayName": "Mode", "simpleValueType": true,
    "radioItems": [
      { "value": "a", "displayValue": "A", "help": "h",
        "subParams": [{ "type": "TEXT", "name": "x", "displayName": "X", "simpleValueType": true }] },
      { "value": "b", "displayValue": "B", "valueValidators": [{ "type": "NON_EMPTY" }] }
    ] },
  { "type": "SELECT", "name": "kind", "displayName": "Kind", "simpleValueType": true,
    "selectItems": [{ "value": "a", "displayName": "A" }] }
]`);
    const found = unknownKeys(source);
    expect(found.map((d) => [d.severity, d.line])).toEqual([
      ['warning', lineOf(source, '"valueValidators"')],
      ['warning', lineOf(source, '"displayName": "A" }')],
    ]);
    expect(found[0]!.text).toContain('validators belong to the field');
    expect(found[1]!.text).toContain('"displayValue"');
    expect(checkSource(source).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('leaves alone a key of another field type, which GTM exports keep', () => {
    // A field whose type was changed from SELECT to TEXT in GTM's editor keeps its options.
    const source = withForm(`[
  { "type": "TEXT", "name": "a", "displayName": "A", "simpleValueType": true,
    "selectItems": [{ "value": "x", "displayValue": "X" }], "macrosInSelect": false }
]`);
    expect(unknownKeys(source)).toEqual([]);
  });
});

function lineOf(source: string, text: string): number {
  return source.slice(0, source.indexOf(text)).split('\n').length;
}
