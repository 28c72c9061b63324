// `___TEMPLATE_PARAMETERS___` → `src/fields.ts`: the inverse of src/compile/fields.ts. Each field
// becomes a property of `Fields` (groups an inline object type, table rows an interface of their
// own), with JSDoc that the compiler reads back into the same parameter: names and order kept,
// nested fields (`subParams`) written after their parent with `@nestedIn`, validators with the
// short tags when they say exactly the same and `@validate` otherwise.

import {
  isLocalisedText,
  type EnablingCondition,
  type LocalisedText,
  type Parameter,
  type SelectItem,
  type ValueValidator,
} from '../tpl/model.js';
import { columnKeys, fieldKeys } from '../gtm/form-fields.js';
import type { Notes } from './report.js';
import {
  docComment,
  docJson,
  helpDescription,
  propertyKey,
  stringLiteral,
  tagText,
  typedTagText,
} from './text.js';

/** Keys holding a drop-down's or radio group's options. */
const OPTION_KEYS: ReadonlySet<string> = new Set(['selectItems', 'radioItems']);

const BOOLEAN_TAGS = ['alwaysInSummary', 'canBeEmptyString', 'clearOnCopy', 'textAsList'] as const;
const TEXT_TAGS = [
  'valueHint',
  'notSetText',
  'valueUnit',
  'newRowButtonText',
  'newRowTitle',
  'editRowTitle',
] as const;

type Kind = 'field' | 'simple-column' | 'param-column';

function pascal(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z_$]/.test(joined) ? joined : 'Field' + joined;
}

/** An `@enableWhen` tag's text for one condition. */
function conditionTag(c: EnablingCondition): string {
  const simpleName = /^[A-Za-z_$][\w$]*$/.test(c.paramName);
  const keys = Object.keys(c).sort().join(',');
  if (
    simpleName &&
    c.type === 'PRESENT' &&
    (c.paramValue === '' || c.paramValue === undefined) &&
    keys.startsWith('paramName')
  )
    return c.paramName;
  if (simpleName && (c.type === 'EQUALS' || c.type === 'NOT_EQUALS') && keys === 'paramName,paramValue,type')
    return `${c.paramName}${c.type === 'EQUALS' ? '=' : '!='}${typedTagText(c.paramValue)}`;
  return docJson(c);
}

/** One validator as `@validate`: the short form when it can say it all, else GTM's own object. */
function validateTag(v: ValueValidator): string {
  const extra = Object.keys(v).filter((k) => k !== 'type' && k !== 'args' && k !== 'errorMessage');
  if (extra.length || !/^[A-Z][A-Z0-9_]*$/.test(v.type) || (v.args !== undefined && !Array.isArray(v.args)))
    return docJson(v);
  let text = v.type;
  if (v.args !== undefined) text += ' ' + docJson(v.args);
  if (v.errorMessage !== undefined) {
    const message = v.errorMessage;
    text +=
      ' ' +
      (message === '' || (typeof message === 'string' && message.startsWith('['))
        ? docJson(message)
        : tagText(message));
  }
  return text;
}

interface ValidatorTags {
  tags: string[];
  /** The property is required (no `?`), for a text field: the compiler then adds NON_EMPTY itself. */
  required: boolean;
}

/**
 * Tags for a field's validators that the compiler turns back into the same list, in order. A bare
 * NON_EMPTY first on a text field without a default is the property being required; a NON_EMPTY
 * and a REGEX sharing one message (or none) are `@minLength 1` and `@pattern`; a table's row count
 * is `@minItems`/`@maxItems`; anything else is one `@validate` each, in order.
 */
function validatorTags(p: Parameter, kind: Kind, textKind: boolean, hasDefault: boolean): ValidatorTags {
  const list = [...(p.valueValidators ?? [])];
  const tags: string[] = [];
  let required = false;
  const bare = (v: ValueValidator | undefined) =>
    !!v && Object.keys(v).every((k) => k === 'type') && v.type === 'NON_EMPTY';
  if (textKind && kind === 'field' && !hasDefault && bare(list[0])) {
    required = true;
    list.shift();
  } else if (
    textKind &&
    kind === 'field' &&
    list.some((v) => v.type === 'NON_EMPTY' && !v.enablingConditions)
  ) {
    // Required, with its NON_EMPTY written out where it stands (which keeps the compiler from adding one).
    required = true;
  }
  const plain = (v: ValueValidator) =>
    Object.keys(v).every((k) => k === 'type' || k === 'args' || k === 'errorMessage');
  const messages = new Set(list.map((v) => v.errorMessage));
  const sugarRegex = (v: ValueValidator | undefined) =>
    v?.type === 'REGEX' &&
    Array.isArray(v.args) &&
    v.args.length === 1 &&
    typeof v.args[0] === 'string' &&
    tagText(v.args[0]) === v.args[0];
  // Short tags: [NON_EMPTY][REGEX] with one message; the message would also reach an implicit NON_EMPTY.
  const shortText =
    textKind &&
    list.length > 0 &&
    list.length <= 2 &&
    list.every(plain) &&
    messages.size === 1 &&
    !(required && !list.some((v) => v.type === 'NON_EMPTY') && [...messages][0] !== undefined) &&
    ((list.length === 1 && (sugarRegex(list[0]) || bare({ type: list[0]!.type }))) ||
      (list.length === 2 &&
        list[0]!.type === 'NON_EMPTY' &&
        list[0]!.args === undefined &&
        sugarRegex(list[1])));
  if (shortText) {
    for (const v of list)
      tags.push(v.type === 'NON_EMPTY' ? '@minLength 1' : `@pattern ${(v.args as string[])[0]}`);
    const message = [...messages][0];
    if (message !== undefined) tags.push(`@errorMessage ${tagText(message)}`);
    return { tags, required };
  }
  const rows = list.length === 1 ? list[0]! : undefined;
  if (
    (p.type === 'SIMPLE_TABLE' || p.type === 'PARAM_TABLE') &&
    rows?.type === 'TABLE_ROW_COUNT' &&
    plain(rows) &&
    Array.isArray(rows.args) &&
    (rows.args.length === 1 || rows.args.length === 2) &&
    rows.args.every((a) => typeof a === 'number')
  ) {
    const [min, max] = rows.args as number[];
    tags.push(`@minItems ${min}`);
    if (max !== undefined) tags.push(`@maxItems ${max}`);
    if (rows.errorMessage !== undefined) tags.push(`@errorMessage ${tagText(rows.errorMessage)}`);
    return { tags, required };
  }
  for (const v of list) tags.push(`@validate ${validateTag(v)}`);
  return { tags, required };
}

/** A literal type for a select value, or undefined for a value no literal type can hold. */
function literalType(value: unknown): string | undefined {
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** A UI text as the model holds it: a localised text as it is, anything else as its string. */
function uiTextValue(value: unknown): LocalisedText {
  return isLocalisedText(value) ? value : String(value);
}

export class FieldsWriter {
  private readonly rowInterfaces: string[] = [];
  private readonly usedNames = new Set<string>(['Fields']);
  usesLabel = false;

  constructor(private readonly notes: Notes) {}

  /** The source of `src/fields.ts` for `parameters`. */
  source(parameters: Parameter[]): string {
    const members = this.members(parameters, '  ', 'form');
    const header =
      '// The form, imported from ___TEMPLATE_PARAMETERS___: each property is one field in GTM and one\n' +
      "// key of `data`. The JSDoc says how the field looks and what it accepts (gtm-template's docs:\n" +
      '// start-a-template.md has the vocabulary). Nested fields follow their parent (@nestedIn).\n';
    const imports = this.usesLabel ? "import type { Label } from 'gtm';\n\n" : '';
    return (
      header +
      '\n' +
      imports +
      this.rowInterfaces.map((i) => i + '\n\n').join('') +
      `export interface Fields {\n${members.join('\n')}\n}\n`
    );
  }

  private uniqueName(base: string): string {
    let name = base;
    for (let i = 2; this.usedNames.has(name); i++) name = base + i;
    this.usedNames.add(name);
    return name;
  }

  /**
   * Members for a list of sibling fields, each followed by the fields nested in it. `seen`: the names
   * already written into the same interface or object type, where TypeScript keeps one of two
   * properties with one name (and, under @ts-nocheck, says nothing): that is noted.
   */
  private members(
    params: Parameter[],
    indent: string,
    path: string,
    nestedIn?: string,
    seen = new Set<string>(),
  ): string[] {
    const out: string[] = [];
    params.forEach((p, index) => {
      const where = `${path}.${p.name ?? `#${index + 1}`}`;
      if (typeof p.name === 'string') {
        if (seen.has(p.name))
          this.notes.add(
            'import/duplicate-name',
            where,
            `a second field named '${p.name}': one object type holds a property once, so the project has one field of that name (GTM's fields need unique names; gtm-template check reports params/duplicate-name)`,
          );
        seen.add(p.name);
      }
      out.push(this.member(p, indent, where, 'field', nestedIn));
      if (p.type !== 'GROUP' && p.name !== undefined) {
        if (p.subParams?.length) out.push(...this.members(p.subParams, indent, where, p.name, seen));
        for (const item of [...(p.selectItems ?? []), ...(p.radioItems ?? [])]) {
          if (item.subParams?.length)
            out.push(
              ...this.members(item.subParams, indent, where, `${p.name}=${typedTagText(item.value)}`, seen),
            );
        }
      } else if (
        p.type !== 'GROUP' &&
        (p.subParams?.length || p.selectItems?.some((i) => i.subParams?.length))
      ) {
        this.notes.add(
          'import/unnamed-parent',
          where,
          'fields nested in a field without a name cannot be nested; they were left out',
        );
      }
    });
    return out;
  }

  private dropUnknownKeys(p: Parameter, where: string, allowed: string[]): void {
    for (const key of Object.keys(p)) {
      if (!allowed.includes(key))
        this.notes.add(
          'import/dropped-key',
          where,
          OPTION_KEYS.has(key)
            ? // Exports carry `"selectItems"` on TEXT columns of simple tables (11 in the corpora): the editor keeps
              // the options of a column whose type was changed from a drop-down.
              `'${key}' is not part of GTM's ${p.type} field (the editor keeps the options of a field whose type was changed, and does nothing with them): left out`
            : `'${key}' is not part of GTM's ${p.type} field (the template editor neither writes nor reads it): left out`,
        );
    }
  }

  /** One property: its doc comment and declaration. */
  member(
    p: Parameter,
    indent: string,
    where: string,
    kind: Kind,
    nestedIn?: string,
    extraTags: string[] = [],
  ): string {
    const type = String(p.type);
    const tags: string[] = [...extraTags];
    const lines: string[] = [];
    const allowed = kind === 'simple-column' ? columnKeys(type) : fieldKeys(type);
    this.dropUnknownKeys(p, where, allowed);

    // Display name: an empty @title is "none" (checkboxes have none unless declared).
    if (p.displayName !== undefined)
      tags.push(`@title ${p.displayName === '' ? '""' : tagText(p.displayName)}`);
    else if (type !== 'CHECKBOX') tags.push('@title');
    if (p.help !== undefined) {
      const description = typeof p.help === 'string' ? helpDescription(p.help) : undefined;
      if (description && kind !== 'simple-column') lines.push(...description);
      else if (kind !== 'simple-column') tags.push(`@help ${docJson(p.help)}`);
    }
    if (nestedIn !== undefined) tags.push(`@nestedIn ${nestedIn}`);

    let tsType: string;
    let optional = false;
    switch (type) {
      case 'TEXT': {
        const numberDefault = typeof p.defaultValue === 'number';
        const booleanDefault = typeof p.defaultValue === 'boolean';
        tsType = numberDefault ? 'string | number' : booleanDefault ? 'string | boolean' : 'string';
        if (p.defaultValue !== undefined) {
          if (typeof p.defaultValue === 'string')
            tags.push(`@default ${p.defaultValue === '' ? '' : tagText(p.defaultValue)}`.trimEnd());
          else if (numberDefault || booleanDefault) tags.push(`@default ${JSON.stringify(p.defaultValue)}`);
          else
            this.notes.add(
              'import/default',
              where,
              `the default ${JSON.stringify(p.defaultValue)} is not text, a number or true/false: left out`,
            );
        }
        const v = validatorTags(p, kind, true, p.defaultValue !== undefined);
        tags.push(...v.tags);
        optional = kind === 'field' && !v.required;
        break;
      }
      case 'SELECT':
      case 'RADIO': {
        const items: SelectItem[] = (type === 'RADIO' ? p.radioItems : p.selectItems) ?? [];
        if (type === 'SELECT' && items.length === 0) {
          // A drop-down for picking a variable: no options of its own, any value.
          tsType = 'unknown';
          tags.push('@select');
          if (p.macrosInSelect === true) tags.push('@macros');
          if (p.defaultValue !== undefined) tags.push(`@default ${typedTagText(p.defaultValue)}`);
          tags.push(...validatorTags(p, kind, false, false).tags);
          break;
        }
        const literals = items.map((i) => literalType(i.value));
        if (items.length === 0 || literals.some((l) => l === undefined)) {
          this.notes.add(
            'import/select-values',
            where,
            items.length === 0
              ? 'a drop-down without options: written as a text field'
              : 'options whose values are not text, numbers or booleans: written as a text field',
          );
          tsType = 'string';
          optional = true;
          break;
        }
        // A value listed twice (GTM saves that): the type names it once, @options lists every option.
        const repeats = new Set(literals).size !== literals.length;
        tsType = [...new Set(literals)].join(' | ');
        const onlyBooleans = items.every((i) => typeof i.value === 'boolean');
        if (type === 'RADIO') tags.push('@radio');
        else if (onlyBooleans) tags.push('@select');
        if (type === 'SELECT' && p.macrosInSelect === true) tags.push('@macros');
        const labels: Record<string, LocalisedText> = {};
        const help: Record<string, LocalisedText> = {};
        let needLabels = false;
        const options: SelectItem[] = [];
        for (const item of items) {
          const option: SelectItem = {
            value: item.value,
            displayValue: item.displayValue ?? String(item.value),
          };
          if (item.help !== undefined) option.help = item.help;
          options.push(option);
          const key = String(item.value);
          if (item.displayValue === undefined)
            this.notes.add(
              'import/option-label',
              where,
              `option ${key} has no label; it gets its value as label`,
            );
          labels[key] = item.displayValue ?? key;
          if (labels[key] !== key) needLabels = true;
          if (item.help !== undefined) help[key] = item.help;
          for (const k of Object.keys(item))
            if (!['value', 'displayValue', 'help', 'subParams'].includes(k))
              this.notes.add(
                'import/dropped-key',
                where,
                `option ${key}: '${k}' is not part of an option: left out`,
              );
        }
        if (repeats) tags.push(`@options ${docJson(options)}`);
        else {
          if (new Set(Object.keys(labels)).size !== items.length)
            this.notes.add(
              'import/option-label',
              where,
              'two options read the same as text; their labels cannot be told apart',
            );
          if (needLabels) tags.push(`@labels ${docJson(labels)}`);
          if (Object.keys(help).length) tags.push(`@optionHelp ${docJson(help)}`);
        }
        if (p.defaultValue !== undefined) tags.push(`@default ${typedTagText(p.defaultValue)}`);
        tags.push(...validatorTags(p, kind, false, false).tags);
        break;
      }
      case 'CHECKBOX':
        tsType = 'boolean';
        if (p.checkboxText !== undefined)
          tags.push(`@checkboxText ${p.checkboxText === '' ? '' : tagText(p.checkboxText)}`.trimEnd());
        else if (p.displayName === undefined) tags.push('@checkboxText');
        if (p.defaultValue !== undefined)
          tags.push(
            `@default ${typeof p.defaultValue === 'boolean' ? String(p.defaultValue) : docJson(p.defaultValue)}`,
          );
        tags.push(...validatorTags(p, kind, false, false).tags);
        break;
      case 'SIMPLE_TABLE':
      case 'PARAM_TABLE': {
        tsType = this.rowInterface(p, where) + '[]';
        if (type === 'PARAM_TABLE') tags.push('@paramTable');
        optional = true;
        tags.push(...validatorTags(p, kind, false, false).tags);
        break;
      }
      case 'GROUP': {
        if (p.groupStyle !== undefined) tags.push(`@groupStyle ${tagText(String(p.groupStyle))}`);
        else tags.push('@groupStyle');
        const inner = this.members(p.subParams ?? [], indent + '  ', where);
        tsType = inner.length ? `{\n${inner.join('\n')}\n${indent}}` : '{}';
        break;
      }
      case 'LABEL':
        this.usesLabel = true;
        tsType = 'Label';
        break;
      default:
        this.notes.add('import/unknown-type', where, `GTM has no ${type} field: written as a text field`);
        tsType = 'string';
        optional = true;
    }

    if (kind === 'simple-column') {
      if (p.isUnique === true) tags.push('@unique');
      if (p.valueHint !== undefined) tags.push(`@valueHint ${tagText(uiTextValue(p.valueHint))}`);
    } else {
      for (const key of TEXT_TAGS) {
        const value = p[key];
        if (value !== undefined)
          tags.push(`@${key} ${value === '' ? '' : tagText(uiTextValue(value))}`.trimEnd());
      }
      for (const key of BOOLEAN_TAGS) {
        if (p[key] === true) tags.push(`@${key}`);
        else if (p[key] === false) tags.push(`@${key} false`);
      }
      if (typeof p.lineCount === 'number') tags.push(`@lineCount ${p.lineCount}`);
    }
    for (const c of p.enablingConditions ?? []) tags.push(`@enableWhen ${conditionTag(c)}`);
    if (p.enablingConditions && p.enablingConditions.length === 0)
      this.notes.add(
        'import/empty-list',
        where,
        'an empty enablingConditions list (the same as none): left out',
      );

    const doc = docComment([...lines, ...(lines.length && tags.length ? [''] : []), ...tags], indent);
    const name = p.name ?? '';
    if (!name)
      this.notes.add('import/no-name', where, 'a field without a name gets one, as TypeScript needs it');
    const key = propertyKey(name || `unnamed${where.replace(/\W+/g, '_')}`);
    return `${doc ? doc + '\n' : ''}${indent}${key}${optional ? '?' : ''}: ${tsType};`;
  }

  /** The row interface of a table, named after the table; returns its name. */
  private rowInterface(p: Parameter, where: string): string {
    const name = this.uniqueName(pascal(p.name ?? 'Table') + 'Row');
    const members: string[] = [];
    if (p.type === 'SIMPLE_TABLE') {
      for (const column of p.simpleTableColumns ?? []) {
        const c = column as unknown as Parameter;
        const cwhere = `${where}[${c.name}]`;
        // A simple table column always has a default (the editor writes "").
        const copy: Parameter = { ...c };
        if (copy.defaultValue === '') delete copy.defaultValue;
        if (copy.macrosInSelect === false) delete copy.macrosInSelect;
        if (copy.isUnique === false) delete copy.isUnique;
        for (const k of [
          'help',
          'alwaysInSummary',
          'simpleValueType',
          'subParams',
          'displayValue',
          'enablingConditions',
        ])
          if (k in copy) {
            this.notes.add(
              'import/dropped-key',
              cwhere,
              `'${k}' is not part of a simple table column: left out`,
            );
            delete copy[k];
          }
        members.push(this.member(copy, '  ', cwhere, 'simple-column'));
      }
    } else {
      for (const wrapper of p.paramTableColumns ?? []) {
        const c = wrapper.param;
        const cwhere = `${where}[${c?.name}]`;
        if (!c) continue;
        const text = this.member(
          c,
          '  ',
          cwhere,
          'param-column',
          undefined,
          wrapper.isUnique === true ? ['@unique'] : [],
        );
        members.push(text);
      }
    }
    const declaration = `/** A row of ${tagText(String(p.displayName ?? p.name))}. */\nexport interface ${name} {\n${members.join('\n')}\n}`;
    this.rowInterfaces.push(declaration);
    return name;
  }
}
