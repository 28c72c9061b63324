// The preview's form model: initial values, enabling conditions, validators and `data`, on the
// giosg template as it ships, on small forms that isolate one rule, and over every real template.
import { describe, expect, it } from 'vitest';
import { formData, referencedVariables, type VariableLookup } from '../../src/preview/form/data.js';
import { conditionHolds, enabledFields } from '../../src/preview/form/enabling.js';
import { escapeHtml, fieldKeys, renderForm } from '../../src/preview/form/render.js';
import { checkValue, validateForm } from '../../src/preview/form/validate.js';
import {
  holdsValue,
  initialValues,
  newSimpleRow,
  walkFields,
  type FormValues,
} from '../../src/preview/form/values.js';
import { parse } from '../../src/tpl/index.js';
import type { Parameter } from '../../src/tpl/model.js';
import { allCorpusFiles } from '../helpers/corpus.js';
import { builtTemplate, HS256_TOKEN } from '../template/built-template.js';

const giosg = () => builtTemplate().parameters!;
const none: VariableLookup = () => ({ found: false });
const vars =
  (table: Record<string, unknown>): VariableLookup =>
  (name) =>
    name in table ? { found: true, value: table[name] } : { found: false };

function shownNames(params: Parameter[], values: FormValues): string[] {
  const enabled = enabledFields(params, values);
  return [...walkFields(params)]
    .map((w) => w.field)
    .filter((f) => enabled.has(f) && holdsValue(f))
    .map((f) => f.name!);
}

describe('initial values', () => {
  it('a new giosg tag starts at the defaults the form declares', () => {
    expect(initialValues(giosg())).toEqual({
      action: 'submit',
      properties: [],
      propertiesObject: '',
      replaceExisting: false,
      signing: 'plain',
      token: '',
      checksum: '',
      checksumExpiry: '',
      rooms: [],
      removeKeys: [],
      loadClient: false,
      organizationId: '',
    });
  });

  it('a new table row takes each column default (a SELECT column without one takes its first item)', () => {
    const props = giosg()
      .flatMap((p) => p.subParams ?? [])
      .find((p) => p.name === 'properties')!;
    expect(newSimpleRow(props.simpleTableColumns!)).toEqual({ key: '', value: '', type: 'auto' });
    expect(
      newSimpleRow([
        { name: 'm', type: 'SELECT', selectItems: [{ value: 'a' }, { value: 'b' }] },
        { name: 't', type: 'TEXT' },
      ]),
    ).toEqual({ m: 'a', t: '' });
  });
});

describe('enabling conditions', () => {
  it('giosg: the token replaces the table when a JWT algorithm is chosen', () => {
    const values = initialValues(giosg());
    expect(shownNames(giosg(), values)).toEqual([
      'action',
      'properties',
      'propertiesObject',
      'replaceExisting',
      'signing',
      'rooms',
      'loadClient',
    ]);
    values.signing = 'HS256';
    expect(shownNames(giosg(), values)).toEqual([
      'action',
      'replaceExisting',
      'signing',
      'token',
      'rooms',
      'loadClient',
    ]);
    values.signing = 'md5';
    expect(shownNames(giosg(), values)).toContain('checksum');
    values.loadClient = true;
    expect(shownNames(giosg(), values)).toContain('organizationId');
  });

  it('giosg: hiding a group hides everything in it, whatever the inner conditions say', () => {
    const values = { ...initialValues(giosg()), action: 'removeAll', signing: 'HS256' };
    expect(shownNames(giosg(), values)).toEqual(['action', 'loadClient']);
    values.action = 'remove';
    expect(shownNames(giosg(), values)).toEqual(['action', 'removeKeys', 'loadClient']);
  });

  it("a RADIO item's nested fields show only while that item is chosen", () => {
    const params: Parameter[] = [
      {
        type: 'RADIO',
        name: 'mode',
        radioItems: [
          { value: 'a', subParams: [{ type: 'TEXT', name: 'aText' }] },
          { value: 'b', subParams: [{ type: 'TEXT', name: 'bText' }] },
        ],
      },
    ];
    expect(shownNames(params, { mode: 'a' })).toEqual(['mode', 'aText']);
    expect(shownNames(params, { mode: 'b' })).toEqual(['mode', 'bText']);
  });

  it('several conditions are OR-combined; values compare by type-tolerant equality', () => {
    const field: Parameter = {
      type: 'TEXT',
      name: 'x',
      enablingConditions: [
        { paramName: 'code', paramValue: 200, type: 'EQUALS' },
        { paramName: 'code', paramValue: 201, type: 'EQUALS' },
      ],
    };
    const params: Parameter[] = [{ type: 'SELECT', name: 'code' }, field];
    expect(enabledFields(params, { code: 201 }).has(field)).toBe(true);
    expect(enabledFields(params, { code: '200' }).has(field)).toBe(true);
    expect(enabledFields(params, { code: 404 }).has(field)).toBe(false);
    expect(conditionHolds({ paramName: 'c', paramValue: true, type: 'EQUALS' }, 'true')).toBe(true);
    expect(conditionHolds({ paramName: 'c', paramValue: 'a', type: 'NOT_EQUALS' }, 'a')).toBe(false);
    expect(conditionHolds({ paramName: 'c', paramValue: '', type: 'PRESENT' }, '')).toBe(false);
    expect(conditionHolds({ paramName: 'c', paramValue: '', type: 'PRESENT' }, 'x')).toBe(true);
    expect(conditionHolds({ paramName: 'c', paramValue: '', type: 'NOT_PRESENT' }, [])).toBe(true);
    expect(
      conditionHolds({ paramName: 'c', paramValue: '', type: 'IS_MACRO_REFERENCE' }, '{{Page URL}}'),
    ).toBe(true);
    expect(conditionHolds({ paramName: 'c', paramValue: '', type: 'IS_MACRO_REFERENCE' }, true)).toBe(false);
    expect(conditionHolds({ paramName: 'c', paramValue: '', type: 'IS_MACRO_REFERENCE' }, 'x')).toBe(false);
  });

  it('PARAM_TABLE columns see the values of their own row first', () => {
    const table: Parameter = {
      type: 'PARAM_TABLE',
      name: 't',
      paramTableColumns: [
        { param: { type: 'CHECKBOX', name: 'on' } },
        {
          param: {
            type: 'TEXT',
            name: 'v',
            enablingConditions: [{ paramName: 'on', paramValue: true, type: 'EQUALS' }],
          },
        },
      ],
    };
    const data = formData(
      [table],
      {
        t: [
          { on: true, v: 'x' },
          { on: false, v: 'y' },
        ],
      },
      none,
    ).data;
    expect(data).toEqual({ t: [{ on: true, v: 'x' }, { on: false }] });
  });
});

describe('validators (reported on Fire as GTM reports on save)', () => {
  it('giosg: an empty key in the table', () => {
    const values = { ...initialValues(giosg()), properties: [{ key: '', value: 'Jane', type: 'auto' }] };
    expect(validateForm(giosg(), values).problems).toEqual([
      {
        field: 'properties',
        row: 0,
        column: 'key',
        validator: 'NON_EMPTY',
        message: 'Give every variable a name; each name only once.',
      },
    ]);
  });

  it('giosg: a repeated key, and the token rules only while the token is shown', () => {
    const values: FormValues = {
      ...initialValues(giosg()),
      properties: [
        { key: 'email', value: 'a', type: 'auto' },
        { key: 'email', value: 'b', type: 'auto' },
      ],
    };
    expect(validateForm(giosg(), values).problems.map((p) => [p.validator, p.row])).toEqual([['UNIQUE', 1]]);
    // The table is hidden under JWT signing: its rows are not checked, the token is.
    values.signing = 'HS256';
    expect(validateForm(giosg(), values).problems.map((p) => [p.field, p.validator])).toEqual([
      ['token', 'NON_EMPTY'],
    ]);
    values.token = 'not a token';
    expect(validateForm(giosg(), values).problems.map((p) => [p.field, p.validator])).toEqual([
      ['token', 'REGEX'],
    ]);
    for (const ok of [HS256_TOKEN, '{{DLV - giosgToken}}', ` ${HS256_TOKEN} `]) {
      values.token = ok;
      expect(validateForm(giosg(), values).problems).toEqual([]);
    }
  });

  it('giosg: removing some variables needs at least one row', () => {
    const values = { ...initialValues(giosg()), action: 'remove' };
    expect(validateForm(giosg(), values).problems).toEqual([
      { field: 'removeKeys', validator: 'TABLE_ROW_COUNT', message: 'Add at least one variable name.' },
    ]);
  });

  it('REGEX matches the whole value; rules other than NON_EMPTY let an empty value pass', () => {
    const regex = { type: 'REGEX', args: ['[0-9]+'] };
    expect(checkValue(regex, '123')).toBeUndefined();
    expect(checkValue(regex, 'a123')).toBe('This value must match the regular expression [0-9]+.');
    expect(checkValue(regex, '')).toBeUndefined();
    expect(checkValue({ type: 'NON_EMPTY' }, '')).toBe('This value cannot be empty.');
    expect(checkValue({ type: 'NON_EMPTY', errorMessage: 'Fill me' }, '')).toBe('Fill me');
  });

  it('the number, length and ID rules', () => {
    const fails = (type: string, value: string, args?: unknown[]) =>
      typeof checkValue({ type, args }, value) === 'string';
    expect([
      fails('POSITIVE_NUMBER', '3'),
      fails('POSITIVE_NUMBER', '0'),
      fails('POSITIVE_NUMBER', '1.5'),
    ]).toEqual([false, true, true]);
    expect([fails('NON_NEGATIVE_NUMBER', '0'), fails('NON_NEGATIVE_NUMBER', '-1')]).toEqual([false, true]);
    expect([fails('NUMBER', '-4'), fails('NUMBER', '4.2')]).toEqual([false, true]);
    expect([fails('DECIMAL', '0.5'), fails('DECIMAL', '.5'), fails('DECIMAL', '1e3')]).toEqual([
      false,
      false,
      true,
    ]);
    expect([fails('PERCENTAGE', '100'), fails('PERCENTAGE', '101')]).toEqual([false, true]);
    expect([
      fails('STRING_LENGTH', 'abc', [2, 3]),
      fails('STRING_LENGTH', 'abcd', [2, 3]),
      fails('STRING_LENGTH', 'a', [2]),
    ]).toEqual([false, true, true]);
    expect([
      fails('GA_TRACKING_ID', 'UA-12345-1'),
      fails('GA_TRACKING_ID', 'G-AB12CD'),
      fails('GA_TRACKING_ID', 'XYZ'),
    ]).toEqual([false, false, true]);
    expect(checkValue({ type: 'TABLE_ROW_COUNT', args: [1, 2] }, [1, 2, 3])).toBe(
      'This list must have between 1 and 2 rows.',
    );
  });

  it('a validator whose own conditions fail is ignored; an unknown validator is reported, not passed', () => {
    const params: Parameter[] = [
      { type: 'CHECKBOX', name: 'strict' },
      {
        type: 'TEXT',
        name: 'id',
        valueValidators: [
          {
            type: 'NON_EMPTY',
            enablingConditions: [{ paramName: 'strict', paramValue: true, type: 'EQUALS' }],
          },
          { type: 'SOMETHING_NEW' },
        ],
      },
    ];
    expect(validateForm(params, { strict: false, id: '' }).problems).toEqual([]);
    expect(validateForm(params, { strict: true, id: '' }).problems.map((p) => p.validator)).toEqual([
      'NON_EMPTY',
    ]);
    expect(validateForm(params, { strict: false, id: 'x' }).unchecked).toEqual([
      { field: 'id', validator: 'SOMETHING_NEW' },
    ]);
  });

  it('a list TEXT counts its lines and checks each line', () => {
    const params: Parameter[] = [
      {
        type: 'TEXT',
        name: 'ids',
        textAsList: true,
        valueValidators: [{ type: 'TABLE_ROW_COUNT', args: [2] }, { type: 'NUMBER' }],
      },
    ];
    expect(validateForm(params, { ids: '1\n\nx' }).problems.map((p) => p.validator)).toEqual(['NUMBER']);
    expect(validateForm(params, { ids: '1' }).problems.map((p) => p.validator)).toEqual(['TABLE_ROW_COUNT']);
  });
});

describe('data, as GTM builds it', () => {
  it('giosg: two variables, JWT signing with a token, one room', () => {
    const values = {
      ...initialValues(giosg()),
      properties: [
        { key: 'username', value: 'Jane Doe', type: 'auto' },
        { key: 'email', value: 'jane@example.com', type: 'string' },
      ],
      signing: 'HS256',
      token: HS256_TOKEN,
      rooms: [{ by: 'name', room: 'Support' }],
    };
    // The table is hidden under JWT signing, so it is not in data; nor is anything empty.
    expect(formData(giosg(), values, none)).toEqual({
      data: {
        action: 'submit',
        replaceExisting: false,
        signing: 'HS256',
        token: HS256_TOKEN,
        rooms: [{ by: 'name', room: 'Support' }],
        loadClient: false,
      },
      unknownVariables: [],
    });
  });

  it('giosg: plain variables, empty fields and empty tables left out', () => {
    const values = {
      ...initialValues(giosg()),
      properties: [{ key: 'username', value: 'Jane', type: 'auto' }],
    };
    expect(formData(giosg(), values, none).data).toEqual({
      action: 'submit',
      properties: [{ key: 'username', value: 'Jane', type: 'auto' }],
      replaceExisting: false,
      signing: 'plain',
      loadClient: false,
    });
  });

  it('variables: one reference keeps its type, references in text become text, unknown ones are reported', () => {
    const values = {
      ...initialValues(giosg()),
      propertiesObject: '{{DLV - giosgVisitor}}',
      properties: [{ key: 'page', value: 'at {{Page Path}} ({{Missing}})', type: 'auto' }],
    };
    const lookup = vars({ 'DLV - giosgVisitor': { username: 'Jane' }, 'Page Path': '/cart' });
    const result = formData(giosg(), values, lookup);
    expect(result.data.propertiesObject).toEqual({ username: 'Jane' });
    expect(result.data.properties).toEqual([{ key: 'page', value: 'at /cart (undefined)', type: 'auto' }]);
    expect(result.unknownVariables).toEqual(['Missing']);
    // In form order: the table comes before the object field.
    expect(referencedVariables(giosg(), values)).toEqual(['Page Path', 'Missing', 'DLV - giosgVisitor']);
  });

  it('TEXT: empty is left out unless canBeEmptyString; textAsList gives the lines; SELECT keeps the item type', () => {
    const params: Parameter[] = [
      { type: 'TEXT', name: 'a' },
      { type: 'TEXT', name: 'b', canBeEmptyString: true },
      { type: 'TEXT', name: 'list', textAsList: true },
      { type: 'SELECT', name: 'status', selectItems: [{ value: 200 }, { value: 404 }] },
      { type: 'CHECKBOX', name: 'c' },
      { type: 'GROUP', name: 'g', subParams: [{ type: 'TEXT', name: 'inner', defaultValue: 5 }] },
      { type: 'LABEL', name: 'l', displayName: 'Note' },
    ];
    const values = initialValues(params);
    values.list = 'x\ny\n';
    expect(formData(params, values, none).data).toEqual({
      b: '',
      list: ['x', 'y'],
      status: 200,
      c: false,
      inner: '5',
    });
  });
});

describe('rendering', () => {
  it('giosg: every field type the form uses, with its texts, bound to its value', () => {
    const values = { ...initialValues(giosg()), properties: [{ key: 'email', value: '', type: 'auto' }] };
    const html = renderForm(giosg(), values);
    expect(html).toContain('data-bind="[&quot;action&quot;]"');
    expect(html).toContain('>Send visitor variables</label>');
    expect(html).toContain('data-bind="[&quot;properties&quot;,0,&quot;key&quot;]"');
    expect(html).toContain('value="email"');
    expect(html).toContain('>Add variable</button>');
    expect(html).toContain('>Add room</button>');
    expect(html).toContain('The domain&#39;s room'); // notSetText of the empty rooms table
    expect(html).toContain('<option value="i:1">JWT, HS256 (recommended)</option>');
    expect(html).toContain('placeholder="{{DLV - giosgToken}}"');
    expect(html).toContain('<details class="group zippy">'); // ZIPPY_OPEN_ON_PARAM, all defaults: closed
    expect(html).toContain('<section class="group plain">');
    // Every field has a wrapper with its key, so the page can show and hide it.
    for (const key of fieldKeys(giosg()).values()) expect(html).toContain(`data-key="${key}"`);
  });

  it('a group opens on a changed value; text is escaped; help goes to data-html', () => {
    const params = giosg();
    const html = renderForm(params, { ...initialValues(params), signing: 'HS256' });
    expect(html.match(/<details class="group zippy" open>/g)).toHaveLength(1);
    const evil: Parameter[] = [
      { type: 'TEXT', name: 'x', displayName: '<img src=x onerror=alert(1)>', help: '<b>bold</b>' },
    ];
    const out = renderForm(evil, { x: '"><script>' });
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<script>');
    expect(out).toContain('data-html="&lt;b&gt;bold&lt;/b&gt;"');
    expect(escapeHtml(`<a href="x">'`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;');
  });

  it('a localised text shows its default text, as the editor does in English', () => {
    const de = (text: string) => ({ text, translations: [{ locale: 'de', text: `${text} (de)` }] });
    const params: Parameter[] = [
      {
        type: 'TEXT',
        name: 'key',
        displayName: de('Key Name'),
        help: de('The key.'),
        valueHint: de('e.g. user'),
      },
      { type: 'CHECKBOX', name: 'parse', checkboxText: de('Parse JSON') },
      {
        type: 'SELECT',
        name: 'mode',
        notSetText: de('Pick one'),
        selectItems: [{ value: 'a', displayValue: de('First') }],
      },
    ];
    const html = renderForm(params, initialValues(params));
    for (const text of ['Key Name', 'The key.', 'placeholder="e.g. user"', 'Parse JSON', 'Pick one', 'First'])
      expect(html).toContain(text);
    expect(html).not.toContain('[object Object]');
    expect(html).not.toContain('(de)');
  });

  it('a drop-down that includes variables offers the defined ones and keeps a chosen reference', () => {
    const params: Parameter[] = [
      { type: 'SELECT', name: 's', macrosInSelect: true, selectItems: [{ value: 'a', displayValue: 'A' }] },
    ];
    const html = renderForm(params, { s: '{{Other}}' }, { variables: ['Page URL'] });
    expect(html).toContain('<option value="v:{{Page URL}}">{{Page URL}}</option>');
    expect(html).toContain('<option value="v:{{Other}}" selected>{{Other}}</option>');
  });
});

describe('every real template', () => {
  const files = allCorpusFiles();
  it(`renders, validates and builds data for all ${files.length} forms`, () => {
    let fields = 0;
    for (const file of files) {
      const template = parse(file.text);
      const params = Array.isArray(template.parameters) ? template.parameters : [];
      const values = initialValues(params);
      const html = renderForm(params, values);
      const keys = fieldKeys(params);
      for (const key of keys.values()) expect(html, file.name).toContain(`data-key="${key}"`);
      fields += keys.size;
      validateForm(params, values);
      const names = new Set(
        [...walkFields(params)]
          .map((w) => w.field)
          .filter(holdsValue)
          .map((f) => f.name),
      );
      for (const key of Object.keys(formData(params, values, none).data))
        expect(names.has(key), `${file.name}: ${key}`).toBe(true);
    }
    expect(fields).toBeGreaterThan(3000);
  });
});
