// The form vocabulary (docs/template-project.md): each TypeScript type and JSDoc tag gives the GTM
// parameter it documents, in declaration order, and the generated form passes the checker.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileResult } from '../../src/compile/index.js';
import type { Parameter } from '../../src/tpl/model.js';
import { compileMemory, tagMain } from './helpers.js';

const FIELDS = `import type { Label } from 'gtm';

export interface Row {
  /** @title Key @unique */
  key: string;
  /** @title Type @labels {"auto": "Automatic"} */
  type: 'auto' | 'string';
}

export interface Param {
  /** @title Name */
  name: string;
  /** @title Enabled @default true */
  enabled: boolean;
}

export interface Fields {
  /** @title <b>Read me</b> */
  notice: Label;
  /** The account. @title Account ID @valueHint 1234 @alwaysInSummary @pattern [0-9]+ @errorMessage Digits only */
  account: string;
  /** @title Note @default none @notSetText (none) @valueUnit chars @canBeEmptyString @lineCount 3 @clearOnCopy @minLength 2 @maxLength 40 */
  note?: string;
  /** @title Name @minLength 1 */
  displayName?: string;
  /** @title Count @integer */
  count?: number;
  /** @title Delay @minimum 0 */
  delay?: number;
  /** @title Size @exclusiveMinimum 0 */
  size?: number;
  /** @title Order @macros @labels {"z": "Zed"} @default a */
  order: 'z' | 'a' | 'm';
  /** @title Mode @radio */
  mode: 'on' | 'off';
  /** @title Status @default 201 */
  status?: 200 | 201;
  /** @checkboxText Send it @default true */
  send?: boolean;
  /** @title Rows @newRowButtonText Add row @minItems 1 @maxItems 5 */
  rows?: Row[];
  /** @title Params @paramTable @newRowTitle New param @editRowTitle Edit param */
  params?: Param[];
  /** @title Advanced @groupStyle NO_ZIPPY @enableWhen mode=on */
  advanced: {
    /** @title Child @enableWhen order!=z @enableWhen send=true */
    child?: string;
    /** @title Other @enableWhen account */
    other?: string;
  };
}
`;

const find = (params: Parameter[], name: string): Parameter => {
  for (const p of params) {
    if (p.name === name) return p;
    const inner = p.subParams && find(p.subParams, name);
    if (inner) return inner;
  }
  return undefined as unknown as Parameter;
};

describe('the form', () => {
  let result: CompileResult;
  let params: Parameter[];
  beforeAll(async () => {
    result = await compileMemory({
      'src/fields.ts': FIELDS,
      // A group's fields are top-level keys of data (GTM flattens groups): this must type-check.
      'src/main.ts': tagMain(
        '  const child: string | undefined = data.child;\n  void child;'.replace(
          '  void child;',
          '  if (child === data.other) data.gtmOnFailure();',
        ),
      ),
    });
    params = result.template?.parameters ?? [];
  });

  it('compiles and passes the checker', () => {
    expect(result.errors).toEqual([]);
    expect(params.map((p) => [p.type, p.name])).toEqual([
      ['LABEL', 'notice'],
      ['TEXT', 'account'],
      ['TEXT', 'note'],
      ['TEXT', 'displayName'],
      ['TEXT', 'count'],
      ['TEXT', 'delay'],
      ['TEXT', 'size'],
      ['SELECT', 'order'],
      ['RADIO', 'mode'],
      ['SELECT', 'status'],
      ['CHECKBOX', 'send'],
      ['SIMPLE_TABLE', 'rows'],
      ['PARAM_TABLE', 'params'],
      ['GROUP', 'advanced'],
    ]);
  });

  it('LABEL takes its text from @title', () => {
    expect(find(params, 'notice')).toEqual({ type: 'LABEL', name: 'notice', displayName: '<b>Read me</b>' });
  });

  it('TEXT: help, hints, summary, pattern with its message, and NON_EMPTY when required', () => {
    expect(find(params, 'account')).toEqual({
      type: 'TEXT',
      name: 'account',
      displayName: 'Account ID',
      simpleValueType: true,
      valueValidators: [
        { type: 'NON_EMPTY', errorMessage: 'Digits only' },
        { type: 'REGEX', args: ['[0-9]+'], errorMessage: 'Digits only' },
      ],
      help: 'The account.',
      valueHint: '1234',
      alwaysInSummary: true,
    });
    expect(find(params, 'note')).toMatchObject({
      defaultValue: 'none',
      notSetText: '(none)',
      valueUnit: 'chars',
      canBeEmptyString: true,
      lineCount: 3,
      clearOnCopy: true,
      valueValidators: [{ type: 'STRING_LENGTH', args: [2, 40] }],
    });
    expect(find(params, 'displayName').valueValidators).toEqual([{ type: 'NON_EMPTY' }]);
  });

  it('numbers: @integer, @minimum 0, @exclusiveMinimum 0', () => {
    expect(find(params, 'count').valueValidators).toEqual([{ type: 'NUMBER' }]);
    expect(find(params, 'delay').valueValidators).toEqual([{ type: 'NON_NEGATIVE_NUMBER' }]);
    expect(find(params, 'size').valueValidators).toEqual([{ type: 'POSITIVE_NUMBER' }]);
  });

  it('SELECT keeps the declared order, with labels, variables and a default', () => {
    expect(find(params, 'order')).toMatchObject({
      macrosInSelect: true,
      defaultValue: 'a',
      selectItems: [
        { value: 'z', displayValue: 'Zed' },
        { value: 'a', displayValue: 'a' },
        { value: 'm', displayValue: 'm' },
      ],
    });
    expect(find(params, 'mode').radioItems?.map((i) => i.value)).toEqual(['on', 'off']);
    expect(find(params, 'status')).toMatchObject({
      defaultValue: 201,
      selectItems: [
        { value: 200, displayValue: '200' },
        { value: 201, displayValue: '201' },
      ],
    });
  });

  it('CHECKBOX text and boolean default', () => {
    expect(find(params, 'send')).toEqual({
      type: 'CHECKBOX',
      name: 'send',
      checkboxText: 'Send it',
      simpleValueType: true,
      defaultValue: true,
    });
  });

  it('SIMPLE_TABLE columns, unique, row count; PARAM_TABLE with dialog titles', () => {
    expect(find(params, 'rows')).toMatchObject({
      newRowButtonText: 'Add row',
      valueValidators: [{ type: 'TABLE_ROW_COUNT', args: [1, 5] }],
      simpleTableColumns: [
        { defaultValue: '', displayName: 'Key', name: 'key', type: 'TEXT', isUnique: true },
        {
          defaultValue: '',
          displayName: 'Type',
          name: 'type',
          type: 'SELECT',
          selectItems: [
            { value: 'auto', displayValue: 'Automatic' },
            { value: 'string', displayValue: 'string' },
          ],
        },
      ],
    });
    const table = find(params, 'params');
    expect(table).toMatchObject({ newRowTitle: 'New param', editRowTitle: 'Edit param' });
    expect(table.paramTableColumns?.map((c) => [c.param.type, c.param.name, c.isUnique])).toEqual([
      ['TEXT', 'name', false],
      ['CHECKBOX', 'enabled', false],
    ]);
  });

  it('GROUP style and enabling conditions: EQUALS, NOT_EQUALS, PRESENT, OR-ed, JSON-typed values', () => {
    expect(find(params, 'advanced')).toMatchObject({
      groupStyle: 'NO_ZIPPY',
      enablingConditions: [{ paramName: 'mode', paramValue: 'on', type: 'EQUALS' }],
    });
    expect(find(params, 'child').enablingConditions).toEqual([
      { paramName: 'order', paramValue: 'z', type: 'NOT_EQUALS' },
      { paramName: 'send', paramValue: true, type: 'EQUALS' },
    ]);
    expect(find(params, 'other').enablingConditions).toEqual([
      { paramName: 'account', paramValue: '', type: 'PRESENT' },
    ]);
  });

  it('reports what no GTM field can hold (an error) and conditions on unknown fields (a warning, as GTM saves them), at the property', async () => {
    const bad = await compileMemory({
      'src/fields.ts':
        'export interface Fields {\n  /** @title A */\n  list: number[];\n  /** @enableWhen nope=1 */\n  b?: string;\n}\n',
      'src/main.ts': tagMain(''),
    });
    expect(bad.errors.map((d) => [d.code, d.line])).toEqual([['fields/unsupported-type', 3]]);
    expect(bad.warnings.map((d) => [d.code, d.line])).toEqual([['fields/bad-enable-when', 4]]);
  });

  it('reads a doc comment written on the line of the opening brace', async () => {
    const inline = await compileMemory({
      'src/fields.ts':
        'export interface Fields { /** Help. @title Rows */ rows?: { /** @title Key */ key: string }[] }\n',
      'src/main.ts': tagMain(''),
    });
    expect(inline.errors).toEqual([]);
    expect(inline.template!.parameters![0]).toMatchObject({
      displayName: 'Rows',
      help: 'Help.',
      simpleTableColumns: [{ name: 'key', displayName: 'Key' }],
    });
  });

  it("warns as the form nears GTM's field limit", async () => {
    const many = Array.from({ length: 95 }, (_, i) => `  f${i}?: string;`).join('\n');
    const big = await compileMemory({
      'src/fields.ts': `export interface Fields {\n${many}\n}\n`,
      'src/main.ts': tagMain(''),
    });
    expect(big.warnings.map((d) => d.code)).toContain('fields/near-limit');
  });
});

describe('fields real templates use', () => {
  const YES_NO = `export interface Fields {
  /** @title Opt out @select @macros @notSetText @labels {"false": "False", "true": "True"} */
  optOut?: false | true;
  /** @title Use cookie @select */
  useCookie?: boolean;
  /** @title Redact ads data @default dynamic @labels {"dynamic": "Dynamic"} */
  redaction: true | false | 'dynamic';
  /** @title Mode @radio @default false */
  strict: boolean;
  /** @title Title only */
  titleOnly?: boolean;
  /** @checkboxText Text only */
  textOnly?: boolean;
  /** @title Both @checkboxText Tick me */
  both?: boolean;
  neither?: boolean;
}
`;
  let params: Parameter[];
  beforeAll(async () => {
    const result = await compileMemory({
      'src/fields.ts': YES_NO,
      'src/main.ts': tagMain(
        "  if (data.optOut === true || data.redaction === 'dynamic') data.gtmOnFailure();",
      ),
      'tests/a.test.ts':
        "import { runCode, scenario } from 'gtm/test';\nscenario('x', () => {\n  runCode({ optOut: false, redaction: true, strict: true });\n});\n",
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    params = result.template!.parameters!;
  });

  it('a yes/no dropdown: a boolean SELECT with variables and an empty not-set option, in declared order', () => {
    expect(find(params, 'optOut')).toEqual({
      type: 'SELECT',
      name: 'optOut',
      displayName: 'Opt out',
      macrosInSelect: true,
      selectItems: [
        { value: false, displayValue: 'False' },
        { value: true, displayValue: 'True' },
      ],
      simpleValueType: true,
      notSetText: '',
    });
    expect(find(params, 'useCookie').selectItems).toEqual([
      { value: true, displayValue: 'true' },
      { value: false, displayValue: 'false' },
    ]);
  });

  it('a select mixing booleans and strings keeps each value its JSON type, default included', () => {
    expect(find(params, 'redaction')).toMatchObject({
      type: 'SELECT',
      selectItems: [
        { value: true, displayValue: 'true' },
        { value: false, displayValue: 'false' },
        { value: 'dynamic', displayValue: 'Dynamic' },
      ],
      defaultValue: 'dynamic',
    });
    expect(find(params, 'strict')).toMatchObject({
      type: 'RADIO',
      radioItems: [
        { value: true, displayValue: 'true' },
        { value: false, displayValue: 'false' },
      ],
      defaultValue: false,
    });
  });

  it('a checkbox keeps the display name and the checkbox text it declares, and invents neither', () => {
    const shape = (name: string) => {
      const p = find(params, name);
      return { displayName: p.displayName, checkboxText: p.checkboxText };
    };
    expect(shape('titleOnly')).toEqual({ displayName: 'Title only', checkboxText: undefined });
    expect(shape('textOnly')).toEqual({ displayName: undefined, checkboxText: 'Text only' });
    expect(shape('both')).toEqual({ displayName: 'Both', checkboxText: 'Tick me' });
    // With neither declared, the box is labelled with its name rather than left without text.
    expect(shape('neither')).toEqual({ displayName: undefined, checkboxText: 'neither' });
  });
});

describe('@options: a drop-down that lists one value twice', () => {
  it('gives the options in the order written, repeats kept, labels and help included', async () => {
    const result = await compileMemory({
      'src/fields.ts': `export interface Fields {
  /** @title Storage @macros @default denied @options [{"value": "granted", "displayValue": "Granted"}, {"value": "denied", "displayValue": "Denied", "help": "No storage"}, {"value": "denied", "displayValue": "(not set)"}] */
  storage: 'granted' | 'denied';
  /** @title Level @radio @options [{"value": 1, "displayValue": "One"}, {"value": 2, "displayValue": "Two"}, {"value": 1, "displayValue": "Again"}] */
  level: 1 | 2;
}
`,
      'src/main.ts': tagMain("  if (data.storage === 'denied' || data.level === 2) data.gtmOnFailure();"),
    });
    expect(result.errors).toEqual([]);
    expect(find(result.template!.parameters!, 'storage')).toMatchObject({
      type: 'SELECT',
      macrosInSelect: true,
      defaultValue: 'denied',
      selectItems: [
        { value: 'granted', displayValue: 'Granted' },
        { value: 'denied', displayValue: 'Denied', help: 'No storage' },
        { value: 'denied', displayValue: '(not set)' },
      ],
    });
    expect(find(result.template!.parameters!, 'level').radioItems).toEqual([
      { value: 1, displayValue: 'One' },
      { value: 2, displayValue: 'Two' },
      { value: 1, displayValue: 'Again' },
    ]);
  });

  it('refuses a listed value outside the type, a member not listed, and @labels beside it', async () => {
    const result = await compileMemory({
      'src/fields.ts': `export interface Fields {
  /** @title A @options [{"value": "a", "displayValue": "A"}, {"value": "x", "displayValue": "X"}] */
  a: 'a' | 'b';
  /** @title B @labels {"b": "Bee"} @options [{"value": "b", "displayValue": "B"}] */
  b: 'b';
  /** @title C @options {"c": "C"} */
  c: 'c';
}
`,
      'src/main.ts': tagMain(''),
    });
    const texts = result.errors.filter((d) => d.code === 'fields/bad-tag').map((d) => [d.line, d.text]);
    expect(texts).toEqual([
      [3, expect.stringContaining('lists "x", which is not one of')],
      [3, expect.stringContaining('does not list the value "b"')],
      [5, expect.stringContaining('@labels with @options')],
      [7, expect.stringContaining('@options needs a JSON array')],
    ]);
  });
});
