// The `Template` model: one `.tpl` file as data. Every part of the toolchain (checker, sandbox,
// compiler) reads and writes this shape; only the CLI touches files.
//
// A parsed template keeps the exact text it came from (`layout`), so that `print` can write an
// unchanged section back byte-for-byte and a changed one in the current editor style.

/** Section marker names as they appear between the underscores: `___INFO___` → `INFO`. */
export type KnownSectionName =
  | 'TERMS_OF_SERVICE'
  | 'INFO'
  | 'TEMPLATE_PARAMETERS'
  | 'SANDBOXED_JS_FOR_WEB_TEMPLATE'
  | 'SANDBOXED_JS_FOR_SERVER'
  | 'WEB_PERMISSIONS'
  | 'SERVER_PERMISSIONS'
  | 'TESTS'
  | 'NOTES';

/** Every section GTM knows, in the order its current template editor exports them (format notes §1.1). */
export const KNOWN_SECTIONS: readonly KnownSectionName[] = [
  'TERMS_OF_SERVICE',
  'INFO',
  'TEMPLATE_PARAMETERS',
  'SANDBOXED_JS_FOR_WEB_TEMPLATE',
  'SANDBOXED_JS_FOR_SERVER',
  'WEB_PERMISSIONS',
  'SERVER_PERMISSIONS',
  'TESTS',
  'NOTES',
];

/** The order `print` writes sections in: the editor's, which is the order of `KNOWN_SECTIONS`. */
export const EDITOR_SECTION_ORDER: readonly KnownSectionName[] = KNOWN_SECTIONS;

/** The Community Template Gallery notice the editor writes when the ToS box is ticked. */
export const TERMS_OF_SERVICE_TEXT =
  "By creating or modifying this file you agree to Google Tag Manager's Community\n" +
  'Template Gallery Developer Terms of Service available at\n' +
  'https://developers.google.com/tag-manager/gallery-tos (or such other URL as\n' +
  'Google may provide), as modified from time to time.';

/**
 * Text shown in GTM's UI: a string, or a localised text as some published templates carry it
 * (`{ "text": "Key Name", "translations": [{ "locale": "de", "text": "Schlüsselname" }] }`),
 * whose `text` is the default.
 */
export type LocalisedText = string | { text: string; translations?: { locale: string; text: string }[] };

/** The default text of a UI text (the string, or a localised text's `text`); else undefined. */
export function defaultText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isLocalisedText(value)) return value.text;
  return undefined;
}

/** `{ text, translations? }` with a string `text`. */
export function isLocalisedText(value: unknown): value is Exclude<LocalisedText, string> {
  return (
    !!value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as { text?: unknown }).text === 'string' &&
    ((value as { translations?: unknown }).translations === undefined ||
      Array.isArray((value as { translations?: unknown }).translations))
  );
}

export type TemplateType = 'TAG' | 'MACRO' | 'CLIENT';
/** Every value ___INFO___'s `type` may hold (a variable template is a MACRO). */
export const TEMPLATE_TYPES: readonly TemplateType[] = ['TAG', 'MACRO', 'CLIENT'];
export type ContainerContext = 'WEB' | 'SERVER';

export interface TemplateInfo {
  type?: TemplateType | string;
  id?: string;
  version?: number;
  securityGroups?: unknown[];
  displayName?: LocalisedText;
  description?: LocalisedText;
  categories?: string[];
  brand?: { id?: string; displayName?: string; thumbnail?: string; [key: string]: unknown };
  containerContexts?: (ContainerContext | string)[];
  [key: string]: unknown;
}

export type ParameterType =
  'TEXT' | 'SELECT' | 'CHECKBOX' | 'RADIO' | 'SIMPLE_TABLE' | 'PARAM_TABLE' | 'GROUP' | 'LABEL';

export interface EnablingCondition {
  paramName: string;
  paramValue?: unknown;
  type: 'EQUALS' | 'NOT_EQUALS' | 'PRESENT' | string;
}

export interface ValueValidator {
  type: string;
  args?: unknown[];
  errorMessage?: LocalisedText;
  enablingConditions?: EnablingCondition[];
}

export interface SelectItem {
  value: unknown;
  displayValue?: LocalisedText;
  help?: LocalisedText;
  subParams?: Parameter[];
}

export interface SimpleTableColumn {
  name: string;
  displayName?: LocalisedText;
  type: 'TEXT' | 'SELECT' | string;
  defaultValue?: unknown;
  isUnique?: boolean;
  valueHint?: LocalisedText;
  selectItems?: SelectItem[];
  macrosInSelect?: boolean;
  valueValidators?: ValueValidator[];
  [key: string]: unknown;
}

export interface ParamTableColumn {
  param: Parameter;
  isUnique?: boolean;
}

/** One field of the template's form (`___TEMPLATE_PARAMETERS___`), as GTM stores it. */
export interface Parameter {
  type: ParameterType | string;
  name?: string;
  displayName?: LocalisedText;
  help?: LocalisedText;
  simpleValueType?: boolean;
  defaultValue?: unknown;
  notSetText?: LocalisedText;
  valueHint?: LocalisedText;
  valueUnit?: LocalisedText;
  alwaysInSummary?: boolean;
  canBeEmptyString?: boolean;
  clearOnCopy?: boolean;
  lineCount?: number;
  textAsList?: boolean;
  checkboxText?: LocalisedText;
  macrosInSelect?: boolean;
  selectItems?: SelectItem[];
  radioItems?: SelectItem[];
  subParams?: Parameter[];
  groupStyle?: 'ZIPPY_OPEN' | 'ZIPPY_CLOSED' | 'ZIPPY_OPEN_ON_PARAM' | 'NO_ZIPPY' | string;
  simpleTableColumns?: SimpleTableColumn[];
  paramTableColumns?: ParamTableColumn[];
  newRowButtonText?: LocalisedText;
  newRowTitle?: LocalisedText;
  editRowTitle?: LocalisedText;
  enablingConditions?: EnablingCondition[];
  valueValidators?: ValueValidator[];
  [key: string]: unknown;
}

/** A permission value in GTM's typed encoding (format notes §3.1). */
export type TypedValue =
  | { type: 1; string: string }
  | { type: 2; listItem: TypedValue[] }
  | { type: 3; mapKey: TypedValue[]; mapValue: TypedValue[] }
  | { type: 8; boolean: boolean };

export interface Permission {
  instance: {
    key: { publicId: string; versionId: string; [key: string]: unknown };
    param: { key: string; value: TypedValue }[];
  };
  clientAnnotations?: { isEditedByUser?: boolean; [key: string]: unknown };
  isRequired?: boolean;
  [key: string]: unknown;
}

export interface TestScenario {
  name: string;
  code: string;
}

export interface TemplateTests {
  scenarios: TestScenario[];
  setup?: string;
  /** Keys other than `scenarios`/`setup`: kept so nothing is dropped; the checker reports them. */
  [key: string]: unknown;
}

/** One marker and the exact text that followed it, up to the next marker. */
export interface RawSection {
  /** The marker name, e.g. `INFO` (unknown names such as `VENDOR_DETAILS` are kept too). */
  name: string;
  /** The marker line exactly as written, without its line ending. */
  markerText: string;
  /** The marker line's own line ending (`\n`, `\r\n`, or `` at end of file). */
  markerEol: string;
  /** Everything after the marker line up to the next marker line, verbatim. */
  raw: string;
  /** 1-based line of the marker in the file. */
  markerLine: number;
  /** 1-based line in the file where `content` (the trimmed body) starts. */
  contentLine: number;
  /** The body without the blank lines around it and with LF line endings. */
  content: string;
}

/** A syntax problem found while parsing a section body (bad JSON or YAML). */
export interface SectionSyntaxError {
  section: string;
  message: string;
  /** 1-based line and column in the file. */
  line: number;
  column: number;
}

export interface Layout {
  bom: boolean;
  /** Text before the first marker (Google's example has a licence comment), verbatim. */
  preamble: string;
  sections: RawSection[];
  /**
   * A fingerprint of each known section's parsed value at parse time. `print` compares the
   * current value against it to decide whether a section may be written back verbatim.
   */
  fingerprints: Partial<Record<string, string>>;
}

export interface Template {
  termsOfService?: string;
  info?: TemplateInfo;
  parameters?: Parameter[];
  /** Sandboxed JavaScript: the web or server code, whichever section the file has. */
  code?: string;
  /** Which code/permission sections the template uses: decided by the markers present, else by info. */
  context: ContainerContext;
  permissions?: Permission[];
  tests?: TemplateTests;
  notes?: string;
  /** Sections this toolchain does not know (e.g. `VENDOR_DETAILS`), by name, content verbatim. */
  unknownSections: Record<string, string>;
  /** Syntax errors met while parsing; the checker turns them into diagnostics. */
  syntaxErrors: SectionSyntaxError[];
  /**
   * Departures from strict JSON that GTM's reader accepts and that were read the same way (see
   * `src/tpl/lenient.ts`); the checker reports them as warnings. Absent when there are none.
   */
  syntaxNotes?: SectionSyntaxError[];
  /** The source text's shape, for byte-faithful printing. Absent on templates built in memory. */
  layout?: Layout;
}

export function codeSectionName(context: ContainerContext): KnownSectionName {
  return context === 'SERVER' ? 'SANDBOXED_JS_FOR_SERVER' : 'SANDBOXED_JS_FOR_WEB_TEMPLATE';
}

/** The code section `parse` read, if the template came from text: the first web or server one. */
export function rawCodeSection(template: Template): RawSection | undefined {
  return template.layout?.sections.find(
    (s) => s.name === 'SANDBOXED_JS_FOR_WEB_TEMPLATE' || s.name === 'SANDBOXED_JS_FOR_SERVER',
  );
}

export function permissionsSectionName(context: ContainerContext): KnownSectionName {
  return context === 'SERVER' ? 'SERVER_PERMISSIONS' : 'WEB_PERMISSIONS';
}

/** A fresh template with nothing in it, for builders that fill it in. */
export function emptyTemplate(context: ContainerContext = 'WEB'): Template {
  return { context, unknownSections: {}, syntaxErrors: [] };
}
