// `.tpl` text → `Template`. Never throws: whatever cannot be understood is kept verbatim in the
// layout (so it prints back unchanged) and reported in `syntaxErrors` for the checker.

import { ParseErrorCode, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import {
  type ContainerContext,
  type Layout,
  type RawSection,
  type SectionSyntaxError,
  type Template,
  type TemplateTests,
  KNOWN_SECTIONS,
  type KnownSectionName,
} from './model.js';
import { controlCharsInStrings, parseYamlLikeSnakeYaml } from './lenient.js';
import { lineColumnAt } from './position.js';
import { fingerprint, sectionValue } from './sections.js';

/** The body without surrounding blank lines, with LF endings, and the line it starts on. */
function contentOf(raw: string, firstLine: number): { content: string; line: number } {
  const lf = raw.replace(/\r\n/g, '\n');
  const leading = /^(?:[ \t]*\n)*/.exec(lf)![0];
  const skippedLines = leading.split('\n').length - 1;
  const content = lf.slice(leading.length).trimEnd();
  return { content, line: firstLine + skippedLines };
}

/**
 * A marker is three underscores, an upper-case name, three underscores, alone on its line (after
 * a line feed or at the start, before CRLF, LF or the end), found with one scan of the whole text.
 */
const MARKER_LINES = /(?<![^\n])___([A-Z][A-Z0-9_]*?)___[ \t]*(?=\r?\n|(?![\s\S]))/g;

function splitSections(text: string): { preamble: string; sections: RawSection[] } {
  const sections: RawSection[] = [];
  let current: { section: RawSection; rawStart: number } | undefined;
  const close = (end: number) => {
    if (!current) return;
    const raw = text.slice(current.rawStart, end);
    const { content, line } = contentOf(raw, current.section.markerLine + 1);
    current.section.raw = raw;
    current.section.content = content;
    current.section.contentLine = line;
  };
  // Find the marker lines with one native scan; count lines only up to each marker.
  let line = 1;
  let counted = 0;
  let preambleEnd = text.length;
  MARKER_LINES.lastIndex = 0;
  for (let m = MARKER_LINES.exec(text); m; m = MARKER_LINES.exec(text)) {
    const offset = m.index;
    for (let nl = text.indexOf('\n', counted); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
      line++;
      counted = nl + 1;
    }
    if (!current) preambleEnd = offset;
    close(offset);
    const markerText = m[0];
    const after = offset + markerText.length;
    const markerEol = text.startsWith('\r\n', after) ? '\r\n' : text[after] === '\n' ? '\n' : '';
    current = {
      section: {
        name: m[1]!,
        markerText,
        markerEol,
        raw: '',
        markerLine: line,
        contentLine: line + 1,
        content: '',
      },
      rawStart: after + markerEol.length,
    };
    sections.push(current.section);
  }
  close(text.length);
  return { preamble: text.slice(0, sections.length ? preambleEnd : text.length), sections };
}

/** jsonc-parser's error codes in words a template author reads. */
const JSON_ERROR_TEXT: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'unexpected character',
  [ParseErrorCode.InvalidNumberFormat]: 'invalid number',
  [ParseErrorCode.PropertyNameExpected]: 'expected a property name in double quotes',
  [ParseErrorCode.ValueExpected]: 'expected a value',
  [ParseErrorCode.ColonExpected]: "expected ':'",
  [ParseErrorCode.CommaExpected]: "expected ','",
  [ParseErrorCode.CloseBraceExpected]: "expected '}' (an object is not closed)",
  [ParseErrorCode.CloseBracketExpected]: "expected ']' (an array is not closed)",
  [ParseErrorCode.EndOfFileExpected]: 'unexpected text after the JSON value',
  [ParseErrorCode.InvalidCommentToken]: 'comments are not allowed in JSON',
  [ParseErrorCode.UnexpectedEndOfComment]: 'comments are not allowed in JSON',
  [ParseErrorCode.UnexpectedEndOfString]: 'a string is not closed',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'a number is cut off',
  [ParseErrorCode.InvalidUnicode]: 'invalid \\u escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'invalid escape in a string',
  [ParseErrorCode.InvalidCharacter]: 'a control character inside a string',
};

function jsonSection(
  section: RawSection,
  errors: SectionSyntaxError[],
  notes: SectionSyntaxError[],
): unknown {
  // Some 2019 exports leave TEMPLATE_PARAMETERS empty; GTM reads that as no fields (and an empty
  // permissions section as none). An empty ___INFO___ has nothing GTM needs.
  if (section.content === '') {
    if (section.name !== 'INFO') return [];
    errors.push({
      section: section.name,
      message: 'the section is empty',
      line: section.markerLine,
      column: 1,
    });
    return undefined;
  }
  try {
    return JSON.parse(section.content); // the common case, and the fastest
  } catch {
    // Below: what GTM's reader still accepts, or where the problem is.
  }
  const escaped = controlCharsInStrings(section.content, 'escape');
  if (escaped !== undefined) {
    try {
      const value: unknown = JSON.parse(escaped);
      const at = lineColumnAt(section.content, firstControlCharInString(section.content));
      notes.push({
        section: section.name,
        message:
          'a line break or other control character inside a string is not valid JSON; GTM reads it (Gson accepts it), but its editor writes it escaped (\\n)',
        line: section.contentLine + at.line - 1,
        column: at.column,
      });
      return value;
    } catch {
      // Not the only problem: report the first one as it is.
    }
  }
  const problems: ParseError[] = [];
  let tree: ReturnType<typeof parseTree>;
  try {
    tree = parseTree(section.content, problems, {
      allowTrailingComma: false,
      disallowComments: true,
      allowEmptyContent: false,
    });
  } catch {
    // jsonc-parser recurses per nesting level: absurdly deep input overflows the stack.
    errors.push({
      section: section.name,
      message: 'invalid JSON: nested too deeply',
      line: section.contentLine,
      column: 1,
    });
    return undefined;
  }
  if (problems.length > 0 || !tree) {
    const first = problems[0];
    const at = lineColumnAt(section.content, first?.offset ?? 0);
    errors.push({
      section: section.name,
      message: first ? `invalid JSON: ${jsonErrorText(section.content, first)}` : 'invalid JSON',
      line: section.contentLine + at.line - 1,
      column: at.column,
    });
    return undefined;
  }
  return JSON.parse(section.content);
}

/** A JSON syntax error in words, naming an unquoted property name where that is the problem. */
function jsonErrorText(content: string, problem: ParseError): string {
  if (
    problem.error === ParseErrorCode.InvalidSymbol ||
    problem.error === ParseErrorCode.PropertyNameExpected
  ) {
    const unquoted = /^[A-Za-z_$][\w$]*(?=\s*:)/.exec(content.slice(problem.offset));
    if (unquoted)
      return `the property name ${unquoted[0]} is not in double quotes (JSON needs "${unquoted[0]}")`;
  }
  return JSON_ERROR_TEXT[problem.error] ?? printParseErrorCode(problem.error);
}

/** Offset of the first control character inside a JSON string (for the note's position). */
function firstControlCharInString(text: string): number {
  const blanked = controlCharsInStrings(text, 'blank') ?? text;
  for (let i = 0; i < text.length; i++) if (text[i] !== blanked[i]) return i;
  return 0;
}

function yamlSection(section: RawSection, errors: SectionSyntaxError[]): TemplateTests | undefined {
  const { doc } = parseYamlLikeSnakeYaml(section.content);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const at = lineColumnAt(section.content, first.pos[0]);
    errors.push({
      section: section.name,
      message: `invalid YAML: ${first.message.split('\n')[0]}`,
      line: section.contentLine + at.line - 1,
      column: at.column,
    });
    return undefined;
  }
  const value = doc.toJS() as unknown;
  // An empty TESTS section means no scenarios; any other shape is kept for the checker to report.
  if (value === null || value === undefined) return { scenarios: [] };
  return value as TemplateTests;
}

function contextOf(sections: RawSection[], info: Template['info']): ContainerContext {
  const names = new Set(sections.map((s) => s.name));
  if (names.has('SANDBOXED_JS_FOR_SERVER') || names.has('SERVER_PERMISSIONS')) {
    if (!names.has('SANDBOXED_JS_FOR_WEB_TEMPLATE') && !names.has('WEB_PERMISSIONS')) return 'SERVER';
  }
  if (names.has('SANDBOXED_JS_FOR_WEB_TEMPLATE') || names.has('WEB_PERMISSIONS')) return 'WEB';
  const contexts = info && Array.isArray(info.containerContexts) ? info.containerContexts : [];
  return contexts.includes('SERVER') && !contexts.includes('WEB') ? 'SERVER' : 'WEB';
}

/**
 * Only the `___TESTS___` section of `.tpl` text, read as `parse` reads it (the first such section;
 * `tests` undefined when there is none), and how many sections the text has. For a caller that
 * needs no other section, such as a test run of a file without scenarios: the form and the
 * permissions, often most of a file's bytes, are not read. A section longer than `maxChars` is
 * left unread (`tooLong`), for a caller that reads the whole file anyway when it has scenarios.
 * Never throws.
 */
export function parseTestsSection(
  text: string,
  { maxChars = Infinity }: { maxChars?: number } = {},
): {
  sectionCount: number;
  tests: TemplateTests | undefined;
  syntaxErrors: SectionSyntaxError[];
  tooLong: boolean;
} {
  const { sections } = splitSections(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const syntaxErrors: SectionSyntaxError[] = [];
  const section = sections.find((s) => s.name === 'TESTS');
  const tooLong = section !== undefined && section.content.length > maxChars;
  const tests = section && !tooLong ? yamlSection(section, syntaxErrors) : undefined;
  return { sectionCount: sections.length, tests, syntaxErrors, tooLong };
}

/** Parses `.tpl` text. Never throws. */
export function parse(text: string): Template {
  const bom = text.startsWith('\uFEFF');
  const body = bom ? text.slice(1) : text;
  const { preamble, sections } = splitSections(body);
  const syntaxErrors: SectionSyntaxError[] = [];
  const syntaxNotes: SectionSyntaxError[] = [];
  const template: Template = { context: 'WEB', unknownSections: {}, syntaxErrors };
  const seen = new Set<string>();

  for (const section of sections) {
    // The first of duplicated sections is the one read; the checker reports the rest.
    if (seen.has(section.name)) continue;
    seen.add(section.name);
    if (!(KNOWN_SECTIONS as readonly string[]).includes(section.name)) {
      template.unknownSections[section.name] = section.content;
      continue;
    }
    switch (section.name as KnownSectionName) {
      case 'TERMS_OF_SERVICE':
        template.termsOfService = section.content;
        break;
      case 'INFO':
        template.info = jsonSection(section, syntaxErrors, syntaxNotes) as Template['info'];
        break;
      case 'TEMPLATE_PARAMETERS':
        template.parameters = jsonSection(section, syntaxErrors, syntaxNotes) as Template['parameters'];
        break;
      case 'SANDBOXED_JS_FOR_WEB_TEMPLATE':
      case 'SANDBOXED_JS_FOR_SERVER':
        if (template.code === undefined) template.code = section.content;
        break;
      case 'WEB_PERMISSIONS':
      case 'SERVER_PERMISSIONS':
        if (template.permissions === undefined) {
          template.permissions = jsonSection(section, syntaxErrors, syntaxNotes) as Template['permissions'];
        }
        break;
      case 'TESTS':
        template.tests = yamlSection(section, syntaxErrors);
        break;
      case 'NOTES':
        template.notes = section.content;
        break;
    }
  }
  template.context = contextOf(sections, template.info);
  if (syntaxNotes.length > 0) template.syntaxNotes = syntaxNotes;

  const names = new Set(sections.map((s) => s.name));
  let fingerprints: Layout['fingerprints'] | undefined;
  template.layout = {
    bom,
    preamble,
    sections,
    // Taken when `print` first asks, from a fresh parse of the same text: the values as parsed,
    // whatever the caller changed since. Most callers (check, test) never print, and taking them
    // costs as much as parsing.
    get fingerprints() {
      if (!fingerprints) {
        const parsed = parse(text);
        fingerprints = {};
        for (const name of names) fingerprints[name] = fingerprint(sectionValue(parsed, name));
      }
      return fingerprints;
    },
  };
  return template;
}
