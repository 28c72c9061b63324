// Stage 4: the form. The project's form type (`export interface Fields`, JSDoc on each property) is
// read with the TypeScript checker into `___TEMPLATE_PARAMETERS___`, in declaration order (the
// vocabulary is in docs/template-project.md). typescript-json-schema turns the same type into a JSON
// Schema, flattened the way GTM flattens groups, which validates the `data` of test scenarios.
//
// Why the parameters are not read back from the JSON Schema: typescript-json-schema sorts the
// members of a string-literal union (a form must keep the declared order), keeps only the last of a
// repeated JSDoc tag (`@enableWhen` is repeatable), and loses which type was `Label`.

import ts from 'typescript';
import { createRequire } from 'node:module';
import type * as TJS from 'typescript-json-schema';

// Loaded on first use: the module takes ~0.4 s to import, and a build whose form is cached never needs it.
let tjsModule: typeof TJS | undefined;
function typescriptJsonSchema(): typeof TJS {
  tjsModule ??= createRequire(import.meta.url)('typescript-json-schema') as typeof TJS;
  return tjsModule;
}
import type { Diagnostic } from '../diagnostics.js';
import { isLocalisedText, type LocalisedText } from '../tpl/model.js';
import type { EnablingCondition, Parameter, SelectItem, ValueValidator } from '../tpl/model.js';
import { locate, type ProjectProgram } from './program.js';

/** GTM's practical limit on the number of fields in a form. */
export const FIELD_LIMIT = 100;
const FIELD_WARNING_AT = 90;

export interface FieldsResult {
  parameters: Parameter[];
  /** JSON Schema of `data` (groups flattened, labels left out), for test data. */
  dataSchema: Record<string, unknown>;
  /** Top-level `data` keys with the GTM field type that produces each. */
  dataKeys: Record<string, string>;
  diagnostics: Diagnostic[];
}

const KNOWN_TAGS = new Set([
  'title',
  'default',
  'checkboxText',
  'select',
  'radio',
  'labels',
  'options',
  'macros',
  'paramTable',
  'unique',
  'newRowButtonText',
  'newRowTitle',
  'editRowTitle',
  'groupStyle',
  'valueHint',
  'notSetText',
  'valueUnit',
  'alwaysInSummary',
  'canBeEmptyString',
  'lineCount',
  'clearOnCopy',
  'textAsList',
  'enableWhen',
  'pattern',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minimum',
  'exclusiveMinimum',
  'integer',
  'errorMessage',
  'validate',
  'help',
  'nestedIn',
  'optionHelp',
  'see',
  'example',
  'deprecated',
]);
const GROUP_STYLES = ['ZIPPY_CLOSED', 'ZIPPY_OPEN', 'ZIPPY_OPEN_ON_PARAM', 'NO_ZIPPY'];

export interface Tags {
  single: Map<string, string>;
  /** The text as written, before a JSON string is decoded: an empty `@title` is not `@title ""`. */
  raw: Map<string, string>;
  all: { name: string; text: string; node: ts.Node }[];
}

/**
 * The JSDoc of a declaration. TypeScript does not attach a doc comment written on the same line
 * as the `{` before it (`{ /** @title Key *\/ key: string; … }`), so such a comment is read from
 * the source text and parsed on its own.
 */
function jsDocOf(decl: ts.Node): ts.Node {
  if (ts.getJSDocCommentsAndTags(decl).length > 0) return decl;
  const file = decl.getSourceFile();
  const trivia = file.text.slice(decl.getFullStart(), decl.getStart(file));
  const doc = trivia.match(/\/\*\*[\s\S]*?\*\//g)?.pop();
  if (!doc) return decl;
  const standalone = ts.createSourceFile('doc.ts', `${doc}\nlet x: unknown;`, ts.ScriptTarget.ES2020, true);
  return standalone.statements[0] ?? decl;
}

/** Tags whose text keeps its JSON type (`@default 5`, `@enableWhen mode="1"`): never decoded. */
const TYPED_TAGS = new Set(['default', 'enableWhen']);

/**
 * A tag's text written as a JSON string (`@title "  Padded, \n and \u0040 signs"`) is that string: the
 * way to write text that a doc comment cannot hold as it is (edge spaces, line breaks, `*\/`, a word
 * starting with @). Anything else is the text as written.
 */
export function decodeTagText(text: string): string {
  if (!text.startsWith('"')) return text;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : text;
  } catch {
    return text;
  }
}

/**
 * A UI text tag's value: its text, or a localised text written as its JSON
 * (`@title {"text": "Key Name", "translations": [{"locale": "de", "text": "Schlüsselname"}]}`),
 * which GTM keeps in the field as that object. (Text that starts with `{` is written as a JSON
 * string, so only an object written as it is reads as localised.)
 */
export function uiText(tags: Tags, key: string): LocalisedText | undefined {
  const raw = tags.raw.get(key);
  return raw === undefined ? undefined : uiTextOf(raw);
}

/** A UI text as written in a tag (see `uiText`). */
function uiTextOf(raw: string): LocalisedText {
  if (raw.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(raw);
      if (isLocalisedText(value)) return value;
    } catch {
      // Not JSON: the text as written.
    }
  }
  return decodeTagText(raw);
}

export function readTags(decl: ts.Node): Tags {
  const single = new Map<string, string>();
  const rawTexts = new Map<string, string>();
  const all: Tags['all'] = [];
  for (const tag of ts.getJSDocTags(jsDocOf(decl))) {
    const name = tag.tagName.text;
    const raw = (ts.getTextOfJSDocComment(tag.comment) ?? '').trim();
    const text = TYPED_TAGS.has(name) ? raw : decodeTagText(raw);
    single.set(name, text);
    rawTexts.set(name, raw);
    all.push({ name, text, node: tag.getSourceFile() === decl.getSourceFile() ? tag : decl });
  }
  return { single, raw: rawTexts, all };
}

export function descriptionOf(decl: ts.Node): string {
  const node = jsDocOf(decl);
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  return docs
    .map((d) => ts.getTextOfJSDocComment(d.comment) ?? '')
    .join('\n')
    .trim();
}

/** A tag value in its JSON type when it is JSON (`true`, `3`, `"x"`), else the text. */
function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isLabelType(type: ts.Type): boolean {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  return (
    symbol?.getName() === 'Label' &&
    !!symbol.declarations?.some((d) => /[\\/]gtm-data\.d\.ts$/.test(d.getSourceFile().fileName))
  );
}

type SelectValue = string | number | boolean;

/** The value of a string, number or boolean literal type; undefined for any other type. */
function literalValue(t: ts.Type): SelectValue | undefined {
  if (t.isStringLiteral() || t.isNumberLiteral()) return t.value;
  if (t.flags & ts.TypeFlags.BooleanLiteral)
    return (t as ts.Type & { intrinsicName: string }).intrinsicName === 'true';
  return undefined;
}

/**
 * The literal members of a union of strings, numbers and booleans (GTM keeps select values in
 * their JSON type: `200`, `true`), in the order the source declares them (`boolean` as true, false).
 * A lone number is a number field, not a one-item select; `boolean` alone is a select only when
 * `choice` says so (it is a checkbox otherwise).
 */
function literalMembers(
  checker: ts.TypeChecker,
  type: ts.Type,
  typeNode: ts.TypeNode | undefined,
  choice: boolean,
): SelectValue[] | undefined {
  const members = (type.isUnion() ? type.types : [type]).filter(
    (t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)),
  );
  if (members.length === 0) return undefined;
  const values = members.map(literalValue);
  if (values.some((v) => v === undefined)) return undefined;
  if (values.length === 1 && typeof values[0] === 'number') return undefined;
  if (values.every((v) => typeof v === 'boolean') && !choice) return undefined;
  // Follow aliases to the declared union to read its order.
  let node = typeNode;
  for (let i = 0; i < 5 && node && ts.isTypeReferenceNode(node); i++) {
    const symbol = checker.getSymbolAtLocation(node.typeName);
    const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const alias = target?.declarations?.find(ts.isTypeAliasDeclaration);
    node = alias?.type;
  }
  if (node) {
    const ordered: SelectValue[] = [];
    const collect = (n: ts.TypeNode) => {
      if (ts.isUnionTypeNode(n)) n.types.forEach(collect);
      else if (ts.isLiteralTypeNode(n) && ts.isStringLiteral(n.literal)) ordered.push(n.literal.text);
      else if (ts.isLiteralTypeNode(n) && ts.isNumericLiteral(n.literal))
        ordered.push(Number(n.literal.text));
      else if (
        ts.isLiteralTypeNode(n) &&
        ts.isPrefixUnaryExpression(n.literal) &&
        n.literal.operator === ts.SyntaxKind.MinusToken &&
        ts.isNumericLiteral(n.literal.operand)
      )
        ordered.push(-Number(n.literal.operand.text));
      else if (ts.isLiteralTypeNode(n) && n.literal.kind === ts.SyntaxKind.TrueKeyword) ordered.push(true);
      else if (ts.isLiteralTypeNode(n) && n.literal.kind === ts.SyntaxKind.FalseKeyword) ordered.push(false);
      else if (n.kind === ts.SyntaxKind.BooleanKeyword) ordered.push(true, false);
      else if (ts.isParenthesizedTypeNode(n)) collect(n.type);
    };
    collect(node);
    if (ordered.length === values.length && ordered.every((v) => values.includes(v))) return ordered;
  }
  return values as SelectValue[];
}

interface Context {
  checker: ts.TypeChecker;
  file: ts.SourceFile;
  rel: string;
  diagnostics: Diagnostic[];
  /** Every field name with its parameter, for enabling conditions and uniqueness. */
  names: Map<string, Parameter>;
  pendingConditions: { param: { enablingConditions?: EnablingCondition[] }; node: ts.Node; text: string }[];
  dataKeys: Record<string, string>;
  count: number;
  /** Fields declared `@nestedIn parent[=value]`, moved into their parent by `nestFields`. */
  nested: Map<Parameter, { text: string; node: ts.Node }>;
}

function report(
  ctx: Context,
  node: ts.Node,
  code: string,
  text: string,
  severity: Diagnostic['severity'] = 'error',
) {
  ctx.diagnostics.push({
    code,
    severity,
    text,
    file: ctx.rel,
    section: ctx.rel,
    ...locate(ctx.file, node.getStart(ctx.file)),
  });
}

/** Does a `@validate` tag of the field say NON_EMPTY (then the implicit one of a required field is not added)? */
function validatesNonEmpty(tags: Tags): boolean {
  return tags.all.some(
    (t) => t.name === 'validate' && /^(NON_EMPTY\b|\{.*"type"\s*:\s*"NON_EMPTY")/.test(t.text),
  );
}

function validatorsFor(
  ctx: Context,
  decl: ts.Node,
  tags: Tags,
  kind: 'text' | 'number' | 'table' | 'choice',
  required: boolean,
  hasDefault: boolean,
): ValueValidator[] {
  const v: ValueValidator[] = [];
  const num = (name: string): number | undefined => {
    const text = tags.single.get(name);
    if (text === undefined) return undefined;
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) {
      report(ctx, decl, 'fields/bad-tag', `@${name} needs a number (found '${text}')`);
      return undefined;
    }
    return n;
  };
  if (kind === 'table') {
    const min = num('minItems');
    const max = num('maxItems');
    if (min !== undefined || max !== undefined)
      v.push({ type: 'TABLE_ROW_COUNT', args: max !== undefined ? [min ?? 0, max] : [min!] });
  } else if (kind !== 'choice') {
    const minLength = num('minLength');
    const maxLength = num('maxLength');
    if (minLength === 1 || (required && !hasDefault && kind === 'text' && !validatesNonEmpty(tags)))
      v.push({ type: 'NON_EMPTY' });
    if ((minLength !== undefined && minLength > 1) || maxLength !== undefined) {
      v.push({
        type: 'STRING_LENGTH',
        args: maxLength !== undefined ? [minLength ?? 0, maxLength] : [minLength!],
      });
    }
    const pattern = tags.single.get('pattern');
    if (pattern !== undefined) {
      try {
        new RegExp(pattern);
        v.push({ type: 'REGEX', args: [pattern] });
      } catch (err) {
        report(
          ctx,
          decl,
          'fields/bad-tag',
          `@pattern is not a valid regular expression: ${(err as Error).message}`,
        );
      }
    }
    if (kind === 'number') {
      if (tags.single.has('integer')) v.push({ type: 'NUMBER' });
      const minimum = num('minimum');
      const exclusive = num('exclusiveMinimum');
      if (minimum === 0) v.push({ type: 'NON_NEGATIVE_NUMBER' });
      else if (minimum !== undefined)
        report(ctx, decl, 'fields/bad-tag', 'GTM can only express @minimum 0 (NON_NEGATIVE_NUMBER)');
      if (exclusive === 0) v.push({ type: 'POSITIVE_NUMBER' });
      else if (exclusive !== undefined)
        report(ctx, decl, 'fields/bad-tag', 'GTM can only express @exclusiveMinimum 0 (POSITIVE_NUMBER)');
    }
  }
  const message = tags.single.get('errorMessage');
  if (message) for (const item of v) item.errorMessage = uiText(tags, 'errorMessage');
  for (const tag of tags.all) {
    if (tag.name !== 'validate') continue;
    const validator = parseValidateTag(tag.text);
    if (typeof validator === 'string')
      report(ctx, tag.node, 'fields/bad-tag', `@validate ${tag.text}: ${validator}`);
    else v.push(validator);
  }
  return v;
}

/**
 * One `@validate` tag: `TYPE`, then optionally a JSON array of arguments, then optionally the error
 * message (as text, or as a JSON string); or GTM's own validator object as JSON, for what the short
 * form cannot say (enabling conditions). A string is the reason the tag is not understood.
 */
export function parseValidateTag(text: string): ValueValidator | string {
  if (text.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return `not valid JSON (${(err as Error).message})`;
    }
    const v = value as ValueValidator;
    if (!v || typeof v !== 'object' || typeof v.type !== 'string') return 'the object needs a "type"';
    return v;
  }
  const m = /^([A-Z][A-Z0-9_]*)\s*([\s\S]*)$/.exec(text);
  if (!m)
    return 'write @validate TYPE [JSON arguments] [error message], e.g. @validate STRING_LENGTH [1, 20]';
  const validator: ValueValidator = { type: m[1]! };
  let rest = m[2]!.trim();
  if (rest.startsWith('[')) {
    // The arguments: the first prefix of `rest` that parses as a JSON array.
    let found = false;
    for (let end = rest.indexOf(']'); end !== -1; end = rest.indexOf(']', end + 1)) {
      try {
        const args: unknown = JSON.parse(rest.slice(0, end + 1));
        if (Array.isArray(args)) {
          validator.args = args;
          rest = rest.slice(end + 1).trim();
          found = true;
          break;
        }
      } catch {
        // not yet the end of the array
      }
    }
    if (!found) return 'the arguments are not a JSON array';
  }
  if (rest) validator.errorMessage = uiTextOf(rest);
  return validator;
}

/**
 * The help text (HTML) a doc comment's description gives: a wrapped line is one paragraph, an
 * empty line starts a new one. `@help` gives the text exactly instead.
 */
export function helpFromDescription(description: string): string {
  return description
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' '))
    .join('<br><br>');
}

/** Options every field kind may carry, from JSDoc. */
function commonOptions(ctx: Context, param: Parameter, tags: Tags, decl: ts.Node, description: string) {
  const help = uiText(tags, 'help');
  if (help !== undefined) param.help = help;
  else if (description) param.help = helpFromDescription(description);
  for (const key of ['valueHint', 'notSetText', 'valueUnit'] as const) {
    const text = uiText(tags, key);
    if (text !== undefined) param[key] = text;
  }
  for (const key of ['alwaysInSummary', 'canBeEmptyString', 'clearOnCopy', 'textAsList'] as const) {
    const text = tags.single.get(key);
    if (text !== undefined) param[key] = text === '' ? true : text !== 'false';
  }
  const lineCount = tags.single.get('lineCount');
  if (lineCount !== undefined) param.lineCount = Number(lineCount);
  for (const tag of tags.all) {
    if (tag.name === 'enableWhen') ctx.pendingConditions.push({ param, node: tag.node, text: tag.text });
    else if (!KNOWN_TAGS.has(tag.name))
      report(
        ctx,
        tag.node,
        'fields/unknown-tag',
        `unknown JSDoc tag @${tag.name} on a form field (see docs/template-project.md for the vocabulary)`,
        'warning',
      );
  }
}

/** A tag holding a JSON object of texts by option value (`@labels`, `@optionHelp`), checked. */
function optionTexts(
  ctx: Context,
  decl: ts.Node,
  tags: Tags,
  name: 'labels' | 'optionHelp',
  values: SelectValue[],
): Record<string, LocalisedText> {
  const text = tags.single.get(name);
  if (text === undefined) return {};
  const parsed = jsonOrText(text);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    report(ctx, decl, 'fields/bad-tag', `@${name} needs a JSON object: {"value": "text", …}`);
    return {};
  }
  for (const key of Object.keys(parsed))
    if (!values.map(String).includes(key))
      report(
        ctx,
        decl,
        'fields/bad-tag',
        `@${name} names '${key}', which is not one of the values (${values.join(', ')})`,
      );
  return parsed as Record<string, LocalisedText>;
}

/**
 * `@options [{"value": …, "displayValue": "…"}, …]`: the options in order, as GTM's items, for a
 * list that names one value twice (GTM saves such a list; a union type holds each value once). Every
 * listed value is a member of the type, and every member is listed.
 */
function listedOptions(
  ctx: Context,
  decl: ts.Node,
  text: string,
  values: SelectValue[],
): SelectItem[] | undefined {
  const parsed = jsonOrText(text);
  const isItem = (x: unknown): x is Record<string, unknown> =>
    !!x && typeof x === 'object' && !Array.isArray(x) && 'value' in x;
  if (!Array.isArray(parsed) || !parsed.length || !parsed.every(isItem)) {
    report(
      ctx,
      decl,
      'fields/bad-tag',
      '@options needs a JSON array of options: [{"value": "a", "displayValue": "Label A"}, …]',
    );
    return undefined;
  }
  const items: SelectItem[] = [];
  for (const option of parsed) {
    const value = values.find((v) => v === option.value);
    if (value === undefined) {
      report(
        ctx,
        decl,
        'fields/bad-tag',
        `@options lists ${JSON.stringify(option.value)}, which is not one of the type's values (${values.join(', ')})`,
      );
      continue;
    }
    const label = option.displayValue;
    const item: SelectItem = {
      value,
      displayValue: typeof label === 'string' || isLocalisedText(label) ? label : String(value),
    };
    if (typeof option.help === 'string' || isLocalisedText(option.help)) item.help = option.help;
    for (const key of Object.keys(option))
      if (!['value', 'displayValue', 'help'].includes(key))
        report(
          ctx,
          decl,
          'fields/bad-tag',
          `@options: '${key}' is not part of an option (value, displayValue, help)`,
        );
    items.push(item);
  }
  for (const value of values)
    if (!items.some((i) => i.value === value))
      report(
        ctx,
        decl,
        'fields/bad-tag',
        `@options does not list the value ${JSON.stringify(value)} of the type`,
      );
  return items;
}

function selectItems(ctx: Context, decl: ts.Node, tags: Tags, values: SelectValue[]): SelectItem[] {
  const options = tags.single.get('options');
  if (options !== undefined) {
    for (const other of ['labels', 'optionHelp'])
      if (tags.single.has(other))
        report(
          ctx,
          decl,
          'fields/bad-tag',
          `@${other} with @options: @options gives each option's label and help itself`,
        );
    return listedOptions(ctx, decl, options, values) ?? [];
  }
  const labels = optionTexts(ctx, decl, tags, 'labels', values);
  const help = optionTexts(ctx, decl, tags, 'optionHelp', values);
  return values.map((value) => {
    const item: SelectItem = { value, displayValue: labels[String(value)] ?? String(value) };
    if (help[String(value)] !== undefined) item.help = help[String(value)];
    return item;
  });
}

/** One property of the form type → one parameter (or undefined after reporting why not). */
function fieldOf(ctx: Context, symbol: ts.Symbol, inTable: boolean): Parameter | undefined {
  const { checker } = ctx;
  const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
  if (!decl) return undefined;
  const name = symbol.getName();
  const tags = readTags(decl);
  const description = descriptionOf(decl);
  const optional = !!(symbol.flags & ts.SymbolFlags.Optional);
  const typeNode = ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl) ? decl.type : undefined;
  const type = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(symbol, decl));
  const title = uiText(tags, 'title');
  const defaultText = tags.single.get('default');
  // An empty @title: a field without a display name (`@title ""` is an empty one).
  const noTitle = tags.raw.get('title') === '';
  const param: Parameter = { type: 'TEXT', name, displayName: title ?? name };
  if (noTitle) delete param.displayName;
  ctx.count++;
  const nestedIn = tags.all.find((t) => t.name === 'nestedIn');
  if (nestedIn) ctx.nested.set(param, nestedIn);

  if (isLabelType(type)) {
    const label: Parameter = { type: 'LABEL', name, displayName: title ?? '' };
    if (noTitle) delete label.displayName;
    if (nestedIn) ctx.nested.set(label, nestedIn);
    if (title === undefined)
      report(
        ctx,
        decl,
        'fields/label-without-title',
        `the label '${name}' needs a @title: it is the label's text`,
      );
    commonOptions(ctx, label, tags, decl, '');
    return label;
  }

  const choice = tags.single.has('select') || tags.single.has('radio');
  // `unknown` (or `string`) with @select: a drop-down without options of its own, for picking a
  // GTM variable (with @macros).
  // (NonNullable<unknown> is {}, so the declared type is what tells.)
  const declaredType = checker.getTypeOfSymbolAtLocation(symbol, decl);
  const picker =
    tags.single.has('select') &&
    !!(declaredType.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any) || type.flags & ts.TypeFlags.String);
  const literals = picker ? [] : literalMembers(checker, type, typeNode, choice);
  if (literals) {
    const radio = tags.single.has('radio');
    param.type = radio ? 'RADIO' : 'SELECT';
    if (!radio) {
      const macros = tags.single.get('macros');
      if (macros !== undefined) param.macrosInSelect = macros !== 'false';
      else param.macrosInSelect = false;
    }
    param[radio ? 'radioItems' : 'selectItems'] = selectItems(ctx, decl, tags, literals);
    const validators = validatorsFor(ctx, decl, tags, 'choice', false, false);
    if (validators.length) param.valueValidators = validators;
    param.simpleValueType = true;
    if (defaultText !== undefined) {
      const value = jsonOrText(defaultText);
      const match = literals.find((v) => v === value) ?? literals.find((v) => String(v) === String(value));
      // As in GTM, a default outside the options is saved (the field starts empty): a warning.
      // A drop-down with variables may default to one ({{Event}}), and '' is "not set".
      if (match === undefined && value !== '' && param.macrosInSelect !== true && literals.length > 0)
        report(
          ctx,
          decl,
          'fields/bad-default',
          `@default ${defaultText} is not one of ${literals.join(', ')}`,
          'warning',
        );
      param.defaultValue = match ?? value;
    }
    commonOptions(ctx, param, tags, decl, description);
    if (!inTable) ctx.dataKeys[name] = param.type;
    return param;
  }

  if (type.flags & ts.TypeFlags.BooleanLike) {
    param.type = 'CHECKBOX';
    // A checkbox shows its text beside the box and, above it, the display name: each as declared.
    // With neither, the field's name is the checkbox text, so the box is never unlabelled.
    const checkboxText = tags.single.get('checkboxText');
    if (title === undefined) delete param.displayName;
    if (checkboxText !== undefined && tags.raw.get('checkboxText') !== '')
      param.checkboxText = uiText(tags, 'checkboxText');
    else if (title === undefined && checkboxText === undefined) param.checkboxText = name;
    param.simpleValueType = true;
    if (defaultText !== undefined) param.defaultValue = defaultText === '' ? true : jsonOrText(defaultText);
    const validators = validatorsFor(ctx, decl, tags, 'choice', false, false);
    if (validators.length) param.valueValidators = validators;
    commonOptions(ctx, param, tags, decl, description);
    if (!inTable) ctx.dataKeys[name] = 'CHECKBOX';
    return param;
  }

  const primitives = type.isUnion() ? type.types : [type];
  if (
    primitives.every(
      (t) => t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike),
    ) &&
    primitives.some((t) => t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike))
  ) {
    // `string | number` (or `| boolean`): a text field whose default may be a number or true/false
    // (GTM keeps a default's JSON type).
    const hasNumber = primitives.some((t) => t.flags & ts.TypeFlags.NumberLike);
    const typedDefault = hasNumber || primitives.some((t) => t.flags & ts.TypeFlags.BooleanLike);
    const isNumber = hasNumber && !primitives.some((t) => t.flags & ts.TypeFlags.StringLike);
    param.simpleValueType = true;
    if (tags.single.get('macros') === 'false')
      report(
        ctx,
        decl,
        'fields/macros-on-text',
        '@macros false is not possible on a text field: GTM always lets a text field hold variables',
        'warning',
      );
    if (defaultText !== undefined)
      param.defaultValue = typedDefault ? jsonOrText(defaultText) : decodeTagText(defaultText);
    const validators = validatorsFor(
      ctx,
      decl,
      tags,
      isNumber ? 'number' : 'text',
      !optional && !inTable,
      defaultText !== undefined,
    );
    if (validators.length) param.valueValidators = validators;
    commonOptions(ctx, param, tags, decl, description);
    if (!inTable) ctx.dataKeys[name] = 'TEXT';
    return param;
  }

  if (checker.isArrayType(type)) {
    const element = checker.getNonNullableType((type as ts.TypeReference).typeArguments?.[0] ?? type);
    if (!(element.flags & ts.TypeFlags.Object) || checker.isArrayType(element)) {
      report(
        ctx,
        decl,
        'fields/unsupported-type',
        `'${name}': an array field must be an array of row objects (a table), e.g. { key: string; value: string }[]`,
      );
      return undefined;
    }
    const paramTable = tags.single.has('paramTable');
    param.type = paramTable ? 'PARAM_TABLE' : 'SIMPLE_TABLE';
    const columns: Parameter[] = [];
    const uniques: boolean[] = [];
    const untitled: boolean[] = [];
    for (const prop of checker.getPropertiesOfType(element)) {
      const pdecl = prop.valueDeclaration ?? prop.declarations?.[0];
      const column = fieldOf(ctx, prop, true);
      if (!column) continue;
      const columnTags = pdecl ? readTags(pdecl) : undefined;
      uniques.push(!!columnTags?.single.has('unique'));
      untitled.push(columnTags?.raw.get('title') === '');
      columns.push(column);
    }
    if (paramTable) {
      param.paramTableColumns = columns.map((c, i) => ({ param: c, isUnique: uniques[i]! }));
    } else {
      param.simpleTableColumns = columns.map((c, i) => {
        if (c.type !== 'TEXT' && c.type !== 'SELECT') {
          report(
            ctx,
            decl,
            'fields/bad-column',
            `column '${c.name}' of the simple table '${name}' must be a string or a string-literal union (or mark the table @paramTable)`,
          );
        }
        const column: Record<string, unknown> = {
          defaultValue: c.defaultValue ?? '',
          displayName: c.displayName ?? c.name,
          name: c.name,
          type: c.type,
        };
        // A column with an empty `@title` has no display name (GTM's editor saves such columns).
        if (untitled[i]) delete column.displayName;
        if (c.selectItems) column.selectItems = c.selectItems;
        if (c.macrosInSelect) column.macrosInSelect = true;
        if (c.valueHint !== undefined) column.valueHint = c.valueHint;
        if (c.valueValidators) column.valueValidators = c.valueValidators;
        if (uniques[i]) column.isUnique = true;
        return column as unknown as NonNullable<Parameter['simpleTableColumns']>[number];
      });
    }
    for (const key of ['newRowButtonText', 'newRowTitle', 'editRowTitle'] as const) {
      const text = uiText(tags, key);
      if (text !== undefined) param[key] = text;
    }
    const validators = validatorsFor(ctx, decl, tags, 'table', false, false);
    if (validators.length) param.valueValidators = validators;
    commonOptions(ctx, param, tags, decl, description);
    if (!inTable) ctx.dataKeys[name] = param.type;
    return param;
  }

  if (type.flags & ts.TypeFlags.Object && !inTable) {
    param.type = 'GROUP';
    // An empty @groupStyle: a group without a style, as some templates have.
    const style = tags.single.get('groupStyle') ?? 'ZIPPY_CLOSED';
    if (style !== '' && !GROUP_STYLES.includes(style))
      report(ctx, decl, 'fields/bad-tag', `@groupStyle must be one of ${GROUP_STYLES.join(', ')}`);
    if (style !== '') param.groupStyle = style;
    const children: Parameter[] = [];
    for (const prop of checker.getPropertiesOfType(type)) {
      const child = fieldOf(ctx, prop, false);
      if (child) {
        registerName(ctx, child, prop);
        children.push(child);
      }
    }
    param.subParams = nestFields(ctx, children);
    commonOptions(ctx, param, tags, decl, description);
    return param;
  }

  report(
    ctx,
    decl,
    'fields/unsupported-type',
    `'${name}' has type '${checker.typeToString(type)}', which no GTM field holds: use string, number, boolean, a string-literal union, an array of row objects, a nested object (group) or Label`,
  );
  return undefined;
}

/**
 * Moves each `@nestedIn parent` field into `parent.subParams`, and each `@nestedIn parent=value`
 * field into the subParams of that option of a select or radio parent (GTM shows nested fields
 * under their parent and keeps their values top-level keys of `data`). The parent is a field
 * declared beside it; nested fields keep their declared order.
 */
function nestFields(ctx: Context, list: Parameter[]): Parameter[] {
  const byName = new Map(list.filter((p) => p.name).map((p) => [p.name!, p]));
  const parentOf = new Map<Parameter, Parameter>();
  const out: Parameter[] = [];
  for (const p of list) {
    const nest = ctx.nested.get(p);
    if (!nest) {
      out.push(p);
      continue;
    }
    const m = /^([^=\s]+)\s*(?:=\s*([\s\S]*))?$/.exec(nest.text);
    const parent = m ? byName.get(m[1]!) : undefined;
    if (!m || !parent || parent === p || parent.type === 'SIMPLE_TABLE' || parent.type === 'PARAM_TABLE') {
      report(
        ctx,
        nest.node,
        'fields/bad-nested-in',
        `@nestedIn ${nest.text}: name a field declared beside this one (and optionally one of its values: field=value)`,
      );
      out.push(p);
      continue;
    }
    let chain: Parameter | undefined = parent;
    for (let i = 0; chain && i <= list.length; i++) chain = parentOf.get(chain);
    if (chain) {
      report(
        ctx,
        nest.node,
        'fields/bad-nested-in',
        `@nestedIn ${nest.text}: fields cannot nest in each other in a circle`,
      );
      out.push(p);
      continue;
    }
    parentOf.set(p, parent);
    if (m[2] === undefined) {
      (parent.subParams ??= []).push(p);
      continue;
    }
    const wanted = jsonOrText(m[2].trim());
    const items = parent.selectItems ?? parent.radioItems ?? [];
    const item =
      items.find((i) => i.value === wanted) ?? items.find((i) => String(i.value) === String(wanted));
    if (!item) {
      report(
        ctx,
        nest.node,
        'fields/bad-nested-in',
        `@nestedIn ${nest.text}: '${m[2].trim()}' is not one of the values of '${m[1]}'${items.length ? ` (${items.map((i) => String(i.value)).join(', ')})` : ''}`,
      );
      out.push(p);
      continue;
    }
    (item.subParams ??= []).push(p);
  }
  return out;
}

function registerName(ctx: Context, param: Parameter, symbol: ts.Symbol) {
  if (!param.name) return;
  if (ctx.names.has(param.name)) {
    const decl = symbol.valueDeclaration ?? symbol.declarations![0]!;
    report(
      ctx,
      decl,
      'fields/duplicate-name',
      `the field name '${param.name}' is used twice: GTM flattens groups, so names must be unique across the whole form`,
    );
  }
  ctx.names.set(param.name, param);
}

function resolveConditions(ctx: Context) {
  // GTM saves a condition that can never hold (a renamed field, a value that is not an option):
  // the field then stays hidden. Those are warnings, as in the checker; a tag it cannot read is an error.
  const never = (node: ts.Node, text: string) => report(ctx, node, 'fields/bad-enable-when', text, 'warning');
  for (const { param, node, text } of ctx.pendingConditions) {
    // GTM's own condition object, for what field=value cannot say (other types such as GREATER_THAN).
    if (text.startsWith('{')) {
      const value = jsonOrText(text) as EnablingCondition;
      if (
        !value ||
        typeof value !== 'object' ||
        typeof value.paramName !== 'string' ||
        typeof value.type !== 'string'
      ) {
        report(
          ctx,
          node,
          'fields/bad-enable-when',
          `@enableWhen ${text}: a JSON condition needs "paramName" and "type"`,
        );
        continue;
      }
      if (!ctx.names.has(value.paramName))
        never(
          node,
          `@enableWhen names '${value.paramName}', which is not a field of the form: the field is never shown`,
        );
      (param.enablingConditions ??= []).push(value);
      continue;
    }
    const m = /^([A-Za-z_$][\w$]*)\s*(?:(!?=)\s*(.*))?$/.exec(text);
    if (!m) {
      report(
        ctx,
        node,
        'fields/bad-enable-when',
        `@enableWhen ${text}: write field=value, field!=value or field`,
      );
      continue;
    }
    const [, target, op, rawValue] = m;
    const condition: EnablingCondition = !op
      ? { paramName: target!, paramValue: '', type: 'PRESENT' }
      : {
          paramName: target!,
          paramValue: jsonOrText(rawValue!.trim()),
          type: op === '=' ? 'EQUALS' : 'NOT_EQUALS',
        };
    (param.enablingConditions ??= []).push(condition);
    const targetParam = ctx.names.get(target!);
    if (!targetParam) {
      never(
        node,
        `@enableWhen names '${target}', which is not a field of the form: the field is never shown`,
      );
      continue;
    }
    // A select that accepts variables can hold any value, so any value may be compared.
    const items = targetParam.macrosInSelect
      ? undefined
      : (targetParam.selectItems ?? targetParam.radioItems);
    if (op && items && !items.some((i) => i.value === condition.paramValue))
      never(
        node,
        `@enableWhen ${text}: '${rawValue}' is not one of the values of '${target}' (${items.map((i) => i.value).join(', ')})`,
      );
    if (op && targetParam.type === 'CHECKBOX' && typeof condition.paramValue !== 'boolean')
      never(node, `@enableWhen ${text}: '${target}' is a checkbox, so the value must be true or false`);
  }
}

/** Finds the exported form type `typeName` in `rel` and turns it into parameters. */
export function extractFields(project: ProjectProgram, rel: string, typeName: string): FieldsResult {
  const diagnostics: Diagnostic[] = [];
  const empty = { parameters: [], dataSchema: { type: 'object' }, dataKeys: {}, diagnostics };
  const file = project.sourceFile(rel);
  if (!file) {
    diagnostics.push({
      code: 'fields/no-file',
      severity: 'error',
      text: `the form file '${rel}' is not part of the program`,
      file: rel,
      line: 1,
      column: 1,
    });
    return empty;
  }
  const { checker } = project;
  const decl = file.statements.find(
    (s): s is ts.InterfaceDeclaration | ts.TypeAliasDeclaration =>
      (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === typeName,
  );
  if (!decl) {
    diagnostics.push({
      code: 'fields/no-type',
      severity: 'error',
      text: `'${rel}' has no interface or type named '${typeName}' (template.json fields.type)`,
      file: rel,
      section: rel,
      line: 1,
      column: 1,
    });
    return empty;
  }
  const ctx: Context = {
    checker,
    file,
    rel,
    diagnostics,
    names: new Map(),
    pendingConditions: [],
    dataKeys: {},
    count: 0,
    nested: new Map(),
  };
  const type = checker.getTypeAtLocation(decl.name);
  const declared: Parameter[] = [];
  for (const prop of checker.getPropertiesOfType(type)) {
    const param = fieldOf(ctx, prop, false);
    if (!param) continue;
    registerName(ctx, param, prop);
    declared.push(param);
  }
  const parameters = nestFields(ctx, declared);
  resolveConditions(ctx);
  if (ctx.count >= FIELD_WARNING_AT) {
    diagnostics.push({
      code: 'fields/near-limit',
      severity: 'warning',
      text: `the form has ${ctx.count} fields; GTM accepts about ${FIELD_LIMIT}: consider tables or fewer options`,
      file: rel,
      section: rel,
      ...locate(file, decl.getStart(file)),
    });
  }
  const dataSchema = dataSchemaOf(project, rel, typeName, parameters, diagnostics);
  return { parameters, dataSchema, dataKeys: ctx.dataKeys, diagnostics };
}

/** A field that accepts GTM variables can hold any type at run time (a variable returns what it returns). */
function acceptsVariables(p: Parameter): boolean {
  return p.type === 'TEXT' || (p.type === 'SELECT' && p.macrosInSelect === true);
}

/**
 * The schema of one field's value in `data`: as typescript-json-schema wrote it, except that a
 * field (or table column) that accepts variables takes any value, as it can in GTM.
 */
function loosen(p: Parameter, def: TJS.Definition): TJS.Definition {
  if (acceptsVariables(p)) return {};
  const columns = [
    ...(p.simpleTableColumns ?? []).map((c) => c as unknown as Parameter),
    ...(p.paramTableColumns ?? []).map((c) => c.param),
  ];
  const items = def.items;
  if (!columns.length || !items || typeof items !== 'object' || Array.isArray(items) || !items.properties)
    return def;
  const properties = { ...items.properties };
  for (const column of columns) if (column.name && acceptsVariables(column)) properties[column.name] = {};
  return { ...def, items: { ...items, properties } };
}

/**
 * typescript-json-schema's schema of the form type, reshaped into the schema of `data`: group
 * properties hoisted to the top level, labels removed, no required keys (GTM leaves empty fields
 * out of `data`), and no other keys allowed (a test whose data names a missing field fails).
 */
function dataSchemaOf(
  project: ProjectProgram,
  rel: string,
  typeName: string,
  parameters: Parameter[],
  diagnostics: Diagnostic[],
): Record<string, unknown> {
  let schema: TJS.Definition | undefined;
  try {
    const generator = typescriptJsonSchema().buildGenerator(
      project.program,
      { ignoreErrors: true, ref: false, required: true, noExtraProps: true },
      [project.program.getSourceFile(rel)!.fileName],
    );
    schema = generator?.getSchemaForSymbol(typeName) as TJS.Definition | undefined;
  } catch (err) {
    // typescript-json-schema gives up on some types; the form itself does not depend on it.
    diagnostics.push({
      code: 'fields/no-schema',
      severity: 'warning',
      text: `typescript-json-schema could not read ${typeName} (${(err as Error).message}); test data is checked for its keys only`,
      file: rel,
      line: 1,
      column: 1,
    });
  }
  const properties: Record<string, unknown> = {};
  const hoist = (params: Parameter[], props: Record<string, TJS.DefinitionOrBoolean> | undefined) => {
    for (const p of params) {
      if (!p.name) continue;
      const def = props?.[p.name];
      if (p.type === 'LABEL') continue;
      if (p.type === 'GROUP') {
        hoist(p.subParams ?? [], typeof def === 'object' ? def.properties : undefined);
        continue;
      }
      properties[p.name] = typeof def === 'object' ? loosen(p, def) : {};
      // Nested fields are declared beside their parent, so they are read from the same properties.
      hoist(p.subParams ?? [], props);
      for (const item of [...(p.selectItems ?? []), ...(p.radioItems ?? [])])
        hoist(item.subParams ?? [], props);
    }
  };
  if (!schema && !diagnostics.some((d) => d.code === 'fields/no-schema')) {
    diagnostics.push({
      code: 'fields/no-schema',
      severity: 'warning',
      text: `typescript-json-schema gave no schema for ${typeName}; test data is not validated`,
      file: rel,
      line: 1,
      column: 1,
    });
  }
  hoist(parameters, schema?.properties);
  return { type: 'object', properties, additionalProperties: false };
}
