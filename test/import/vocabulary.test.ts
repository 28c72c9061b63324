// The form vocabulary, both ways: parameters no one wrote with this toolchain (every kind of field,
// nesting, validator, condition and awkward text) are imported into src/fields.ts, and compiling
// that file gives back the same parameters. Each case also pins the TypeScript it is written as.
import { describe, expect, it } from 'vitest';
import { compareForms } from '../../src/import/equivalence.js';
import { importTemplate } from '../../src/import/index.js';
import { compileSources } from '../../src/compile/index.js';
import { emptyTemplate, type Parameter, type Template } from '../../src/tpl/model.js';
import { repoRoot } from '../helpers/corpus.js';
import path from 'node:path';

function template(parameters: Parameter[], code = 'data.gtmOnSuccess();'): Template {
  const t = emptyTemplate('WEB');
  t.info = {
    type: 'TAG',
    displayName: 'Vocabulary',
    description: 'd',
    brand: { displayName: 'b' },
    containerContexts: ['WEB'],
  };
  t.parameters = parameters;
  t.code = code;
  t.permissions = [];
  return t;
}

async function roundTrip(parameters: Parameter[]) {
  const root = path.join(repoRoot, 'test/fixtures/in-memory-import');
  const imported = importTemplate(template(parameters), { name: 'vocabulary', toolchainVersion: '*', root });
  const built = await compileSources({ root, files: imported.files! });
  return {
    fields: imported.files!.get('src/fields.ts') as string,
    notes: imported.notes,
    errors: built.errors,
    warnings: built.warnings,
    differences: compareForms(parameters, built.template?.parameters),
  };
}

describe('import → compile gives back the same form', () => {
  it('text fields: required, defaults of either type, validators in order with their own messages', async () => {
    const r = await roundTrip([
      {
        type: 'TEXT',
        name: 'id',
        displayName: 'ID',
        simpleValueType: true,
        valueValidators: [{ type: 'NON_EMPTY' }],
      },
      {
        type: 'TEXT',
        name: 'code',
        displayName: 'Code',
        simpleValueType: true,
        valueValidators: [
          { type: 'REGEX', args: ['^[A-Z]+$'], errorMessage: 'Capitals only' },
          { type: 'NON_EMPTY', errorMessage: 'Enter a code' },
          { type: 'STRING_LENGTH', args: [2, 8] },
        ],
      },
      {
        type: 'TEXT',
        name: 'timeout',
        displayName: 'Timeout',
        simpleValueType: true,
        defaultValue: 3000,
        valueUnit: 'ms',
        valueValidators: [{ type: 'POSITIVE_NUMBER' }],
      },
      {
        type: 'TEXT',
        name: 'ga',
        displayName: 'GA ID',
        simpleValueType: true,
        valueValidators: [{ type: 'GA_TRACKING_ID', errorMessage: '[G-…] please', enablingConditions: [] }],
      },
      {
        type: 'TEXT',
        name: 'note',
        simpleValueType: true,
        lineCount: 3,
        canBeEmptyString: false,
        textAsList: true,
        notSetText: '',
      },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.differences).toEqual([]);
    expect(r.fields).toContain('  id: string;');
    expect(r.fields).toContain('@validate REGEX ["^[A-Z]+$"] Capitals only');
    expect(r.fields).toContain('  timeout?: string | number;');
    expect(r.fields).toContain('@default 3000');
    expect(r.fields).toContain('@canBeEmptyString false');
  });

  it('drop-downs and radios: typed values, labels, option help, variables, yes/no, a variable picker', async () => {
    const r = await roundTrip([
      {
        type: 'SELECT',
        name: 'mode',
        displayName: 'Mode',
        macrosInSelect: true,
        selectItems: [
          { value: true, displayValue: 'True' },
          { value: false, displayValue: 'False' },
          { value: 'dynamic', displayValue: 'Dynamic' },
        ],
        simpleValueType: true,
        defaultValue: 'dynamic',
        notSetText: '',
      },
      {
        type: 'SELECT',
        name: 'status',
        displayName: 'Status',
        macrosInSelect: false,
        selectItems: [
          { value: 200, displayValue: '200' },
          { value: 201, displayValue: '201' },
        ],
        simpleValueType: true,
        defaultValue: 201,
      },
      {
        type: 'SELECT',
        name: 'source',
        displayName: 'Variable',
        macrosInSelect: true,
        selectItems: [],
        simpleValueType: true,
      },
      {
        type: 'RADIO',
        name: 'plan',
        displayName: 'Plan',
        radioItems: [
          { value: 'a', displayValue: 'Plan A', help: 'The <b>first</b>' },
          { value: 'b', displayValue: 'Plan B' },
        ],
        simpleValueType: true,
      },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.differences).toEqual([]);
    expect(r.fields).toContain("mode: true | false | 'dynamic';");
    expect(r.fields).toContain('status: 200 | 201;');
    expect(r.fields).toContain('source: unknown;');
    expect(r.fields).toContain('@optionHelp {"a":"The <b>first</b>"}');
  });

  it('a value listed twice (in a drop-down, a table column, a radio) keeps every option, in order', async () => {
    const twice = [
      { value: 'granted', displayValue: 'Granted' },
      { value: 'denied', displayValue: 'Denied' },
      { value: 'denied', displayValue: '(not set)' },
    ];
    const r = await roundTrip([
      {
        type: 'SELECT',
        name: 'storage',
        displayName: 'Storage',
        macrosInSelect: true,
        selectItems: twice,
        simpleValueType: true,
        defaultValue: 'denied',
      },
      {
        type: 'SIMPLE_TABLE',
        name: 'rows',
        displayName: 'Rows',
        simpleTableColumns: [
          {
            defaultValue: '',
            displayName: 'Id',
            name: 'id',
            type: 'SELECT',
            selectItems: [
              { value: 1, displayValue: '1' },
              { value: 4, displayValue: '3' },
              { value: 4, displayValue: '4' },
            ],
          },
        ],
      },
      {
        type: 'RADIO',
        name: 'plan',
        displayName: 'Plan',
        radioItems: [
          { value: 'a', displayValue: 'A', help: 'First' },
          { value: 'a', displayValue: 'A again' },
        ],
        simpleValueType: true,
      },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.differences).toEqual([]);
    expect(r.notes.map((n) => n.code)).not.toContain('import/select-values');
    expect(r.fields).toContain("storage: 'granted' | 'denied';");
    expect(r.fields).toContain('id: 1 | 4;');
    expect(r.fields).toContain('@options [{"value":"granted","displayValue":"Granted"},');
  });

  it('nesting: fields under a checkbox, under one option of a radio, groups with and without a style', async () => {
    const r = await roundTrip([
      {
        type: 'CHECKBOX',
        name: 'track',
        checkboxText: 'Track clicks',
        simpleValueType: true,
        subParams: [
          {
            type: 'TEXT',
            name: 'selector',
            displayName: 'Selector',
            simpleValueType: true,
            enablingConditions: [{ paramName: 'track', paramValue: true, type: 'EQUALS' }],
          },
        ],
      },
      {
        type: 'RADIO',
        name: 'how',
        displayName: 'How',
        simpleValueType: true,
        radioItems: [
          { value: 'auto', displayValue: 'Automatic' },
          {
            value: 'manual',
            displayValue: 'Manual',
            subParams: [{ type: 'TEXT', name: 'manualValue', displayName: 'Value', simpleValueType: true }],
          },
        ],
      },
      {
        type: 'GROUP',
        name: 'advanced',
        displayName: 'Advanced',
        groupStyle: 'ZIPPY_OPEN_ON_PARAM',
        subParams: [
          {
            type: 'GROUP',
            name: 'inner',
            subParams: [{ type: 'LABEL', name: 'hint', displayName: 'A <i>hint</i>' }],
          },
        ],
      },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.differences).toEqual([]);
    expect(r.fields).toContain('@nestedIn track');
    expect(r.fields).toContain('@nestedIn how=manual');
  });

  it('a text field whose default is true or false keeps it (GTM keeps its JSON type)', async () => {
    const r = await roundTrip([
      { type: 'TEXT', name: 'on', displayName: 'On', simpleValueType: true, defaultValue: false },
      { type: 'TEXT', name: 'off', displayName: 'Off', simpleValueType: true, defaultValue: true },
    ]);
    expect(r.notes).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.differences).toEqual([]);
    expect(r.fields).toContain('on?: string | boolean;');
  });

  it('a simple table column without a display name keeps none', async () => {
    const r = await roundTrip([
      {
        type: 'SIMPLE_TABLE',
        name: 'pairs',
        displayName: 'Pairs',
        simpleTableColumns: [
          { defaultValue: '', name: 'key', type: 'TEXT' },
          { defaultValue: '', displayName: 'Value', name: 'value', type: 'TEXT' },
          {
            defaultValue: 'a',
            name: 'kind',
            type: 'SELECT',
            selectItems: [{ value: 'a', displayValue: 'A' }],
          },
        ],
      },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.differences).toEqual([]);
  });

  it('tables: simple and param columns, unique, column validators, row counts', async () => {
    const r = await roundTrip([
      {
        type: 'SIMPLE_TABLE',
        name: 'rows',
        displayName: 'Rows',
        newRowButtonText: 'Add',
        valueValidators: [{ type: 'TABLE_ROW_COUNT', args: [1, 5] }],
        simpleTableColumns: [
          {
            defaultValue: '',
            displayName: 'Key',
            name: 'key',
            type: 'TEXT',
            isUnique: true,
            valueValidators: [{ type: 'NON_EMPTY' }],
          },
          {
            defaultValue: 'b',
            displayName: 'Kind',
            name: 'kind',
            type: 'SELECT',
            selectItems: [
              { value: 'a', displayValue: 'A' },
              { value: 'b', displayValue: 'B' },
            ],
          },
          { defaultValue: '', displayName: 'Hint', name: 'hint', type: 'TEXT', valueHint: '' },
        ],
      },
      {
        type: 'PARAM_TABLE',
        name: 'params',
        displayName: 'Params',
        newRowTitle: 'New',
        editRowTitle: 'Edit',
        paramTableColumns: [
          { param: { type: 'TEXT', name: 'p', displayName: 'P', simpleValueType: true }, isUnique: true },
          {
            param: { type: 'CHECKBOX', name: 'on', checkboxText: 'On', simpleValueType: true },
            isUnique: false,
          },
        ],
      },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.differences).toEqual([]);
    expect(r.fields).toContain('rows?: RowsRow[];');
    expect(r.fields).toContain('@minItems 1');
  });

  it('text a doc comment cannot hold as it is travels as JSON, and conditions GTM can save but never meet', async () => {
    const r = await roundTrip([
      {
        type: 'TEXT',
        name: 'a',
        displayName: '  padded */ @title  ',
        help: 'Line one\nline two @tag {@link x}',
        simpleValueType: true,
      },
      {
        type: 'TEXT',
        name: 'b',
        displayName: '',
        help: 'First.<br><br>Second, with a <a href="x">link</a>.',
        simpleValueType: true,
      },
      {
        type: 'TEXT',
        name: 'c',
        displayName: 'C',
        simpleValueType: true,
        enablingConditions: [
          { paramName: 'gone', paramValue: 'x', type: 'EQUALS' },
          { paramName: 'a', paramValue: 'true', type: 'NOT_EQUALS' },
          { paramName: 'a', paramValue: 5, type: 'GREATER_THAN' },
        ],
      },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.differences).toEqual([]);
    // The compiler and then the checker (on the built template) point out the condition on a field that is gone.
    expect(r.warnings.map((w) => w.code)).toEqual([
      'fields/bad-enable-when',
      'params/unknown-condition-field',
    ]);
    expect(r.fields).toContain('@help "Line one\\nline two \\u0040tag {\\u0040link x}"');
    expect(r.fields).toContain(' * First.\n   *\n   * Second, with a <a href="x">link</a>.');
    expect(r.fields).toContain('@enableWhen a!="true"');
  });

  it('localised texts (a default text and its translations) travel as their JSON and come back as objects', async () => {
    const de = (text: string, translated: string) => ({
      text,
      translations: [{ locale: 'de', text: translated }],
    });
    const r = await roundTrip([
      {
        type: 'TEXT',
        name: 'key',
        displayName: de('Key Name', 'Schlüsselname'),
        help: de('The key in storage.', 'Der Schlüssel.'),
        simpleValueType: true,
        notSetText: de('Not set', 'Nicht gesetzt'),
        valueHint: de('e.g. user', 'z. B. user'),
        valueValidators: [{ type: 'NON_EMPTY', errorMessage: 'Enter a key' }],
      },
      {
        type: 'CHECKBOX',
        name: 'parse',
        checkboxText: de('Parse JSON', 'JSON parsen'),
        simpleValueType: true,
      },
      {
        type: 'SELECT',
        name: 'mode',
        displayName: 'Mode',
        selectItems: [
          { value: 'a', displayValue: de('First', 'Erste') },
          { value: 'b', displayValue: 'Second' },
        ],
        simpleValueType: true,
      },
      // Plain text that merely looks like one stays text.
      { type: 'TEXT', name: 'braces', displayName: '{"text": "not localised"}', simpleValueType: true },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.differences).toEqual([]);
    expect(r.fields).toContain(
      '@title {"text":"Key Name","translations":[{"locale":"de","text":"Schlüsselname"}]}',
    );
    expect(r.fields).toContain('@checkboxText {"text":"Parse JSON"');
    expect(r.fields).toContain('@title "{\\"text\\": \\"not localised\\"}"');
  });

  it("a localised name and description in the template's info are kept in template.json and built back", async () => {
    const t = template([]);
    const description = {
      text: 'Stores a value.',
      translations: [{ locale: 'de', text: 'Speichert einen Wert.' }],
    };
    const displayName = { text: 'Local Storage', translations: [{ locale: 'de', text: 'Lokaler Speicher' }] };
    t.info = { ...t.info, displayName, description };
    const root = path.join(repoRoot, 'test/fixtures/in-memory-import');
    const imported = importTemplate(t, { name: 'localised', toolchainVersion: '*', root });
    expect(JSON.parse(imported.files!.get('template.json') as string)).toMatchObject({
      displayName,
      description,
    });
    const built = await compileSources({ root, files: imported.files! });
    expect(built.errors).toEqual([]);
    expect(built.template?.info).toMatchObject({ displayName, description });
  });

  it('keys that are not part of GTM field format are left out, each with a note', async () => {
    const r = await roundTrip([
      { type: 'TEXT', name: 'x', displayName: 'X', simpleValueType: true, placeholder: 'old' },
    ]);
    expect(r.differences).toEqual([]);
    expect(r.notes).toEqual([expect.objectContaining({ code: 'import/dropped-key', where: 'form.x' })]);
    expect(r.notes[0]!.text).toContain('neither writes nor reads it');
  });

  it('the options a TEXT column kept from an earlier type are left out, with a note saying why they are there', async () => {
    // As real exports have it: a simple table column whose type was changed from a drop-down.
    const r = await roundTrip([
      {
        type: 'SIMPLE_TABLE',
        name: 'rows',
        displayName: 'Rows',
        simpleTableColumns: [
          { defaultValue: '', displayName: 'Value', name: 'value', type: 'TEXT', selectItems: [] },
        ],
      },
    ]);
    expect(r.differences).toEqual([]);
    expect(r.notes).toEqual([
      expect.objectContaining({ code: 'import/dropped-key', where: 'form.rows[value]' }),
    ]);
    expect(r.notes[0]!.text).toContain('keeps the options of a field whose type was changed');
  });
});

describe('what a TypeScript type cannot hold twice', () => {
  it('a second field of the same name, beside it or nested under a sibling, is noted', async () => {
    const box = (name: string): Parameter => ({
      type: 'CHECKBOX',
      name,
      checkboxText: name,
      simpleValueType: true,
    });
    const r = await roundTrip([
      box('once'),
      box('twice'),
      box('twice'),
      { ...box('parent'), subParams: [box('once')] },
      { type: 'GROUP', name: 'group', groupStyle: 'NO_ZIPPY', subParams: [box('inGroup')] },
      box('inGroup'),
    ]);
    expect(r.notes.filter((n) => n.code === 'import/duplicate-name').map((n) => n.where)).toEqual([
      'form.twice',
      'form.parent.once',
    ]);
    // The project keeps one field of each name (the comparison sees the form shrink).
    expect(r.differences).not.toEqual([]);
  });
});
