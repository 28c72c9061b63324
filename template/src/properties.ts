// Building the visitor-variables object from the form: first the object variable, then the table
// (table rows win on the same key). Every row that can be sent is sent; every row that cannot is
// named in a problem, so the tag can report failure without losing the good rows.
import { getType, JSON, Object } from 'gtm';
import { column, createKeySet, readKey, readRows } from './keys';
import { convertValue, describe, readValueType } from './values';

export type Properties = { [key: string]: string | number | boolean };

export interface PropertiesResult {
  properties: Properties;
  /** How many keys `properties` holds (the sandbox has no cheap way to ask an object). */
  count: number;
  problems: string[];
}

/** The object variable's value as an object: an object, JSON text of one, or nothing. */
function readObject(raw: unknown, problems: string[]): { [key: string]: unknown } {
  let value = raw;
  if (getType(value) === 'string') {
    const text = (value as string).trim();
    if (text === '') return {};
    value = JSON.parse(text);
    if (value === undefined) {
      problems.push(
        '"Variables from a GTM variable" is text but not JSON: ' +
          describe(raw) +
          '. Use a variable that returns an object.',
      );
      return {};
    }
  }
  const type = getType(value);
  if (type === 'undefined' || type === 'null') return {};
  if (type !== 'object') {
    problems.push(
      '"Variables from a GTM variable" must be an object such as {"email": "jane@example.com"}, but it is ' +
        describe(value) +
        '.',
    );
    return {};
  }
  return value as { [key: string]: unknown };
}

export function buildProperties(rawObject: unknown, rawRows: unknown): PropertiesResult {
  const problems: string[] = [];
  const properties: Properties = {};
  const keys: string[] = [];
  const put = (key: string, value: string | number | boolean) => {
    if (keys.indexOf(key) < 0) keys.push(key);
    properties[key] = value;
  };

  const object = readObject(rawObject, problems);
  Object.keys(object).forEach((rawKey) => {
    const key = readKey(rawKey);
    const converted = convertValue(object[rawKey], 'auto');
    if (!key.ok) problems.push('The object variable ' + key.reason + '; that entry was left out.');
    else if (converted.kind === 'problem')
      problems.push(
        'Object variable key "' +
          key.key +
          '": the value ' +
          describe(object[rawKey]) +
          ' ' +
          converted.reason +
          '; it was left out.',
      );
    else if (converted.kind === 'value') put(key.key, converted.value);
  });

  const rows = readRows(rawRows);
  if (rows === undefined)
    problems.push(
      '"Visitor variables" must be a table (a list of rows), but it is ' + describe(rawRows) + '.',
    );
  const tableKeys = createKeySet();
  (rows ?? []).forEach((row, index) => {
    const where = 'Visitor variables row ' + (index + 1);
    const key = readKey(column(row, 'key'));
    if (!key.ok) {
      problems.push(where + ' ' + key.reason + '; it was left out. Enter a name in the Key column.');
      return;
    }
    if (tableKeys.has(key.key)) {
      problems.push(
        where +
          ': the key "' +
          key.key +
          '" is already in an earlier row; this row was left out. Use each key once.',
      );
      return;
    }
    tableKeys.add(key.key);
    const valueType = readValueType(column(row, 'type'));
    if (valueType === undefined) {
      problems.push(
        where +
          ' ("' +
          key.key +
          '"): unknown type ' +
          describe(column(row, 'type')) +
          '; it was left out. Use auto, string, number or boolean.',
      );
      return;
    }
    const value = column(row, 'value');
    const converted = convertValue(value, valueType);
    if (converted.kind === 'problem') {
      problems.push(
        where +
          ' ("' +
          key.key +
          '"): the value ' +
          describe(value) +
          ' ' +
          converted.reason +
          '; it was left out.',
      );
    } else if (converted.kind === 'value') {
      put(key.key, converted.value);
    }
  });

  return { properties: properties, count: keys.length, problems: problems };
}
