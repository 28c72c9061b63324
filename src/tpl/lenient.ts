// What GTM's own readers accept beyond the strict grammars, so that a section GTM reads is read
// here too (docs/diagnostics.md, "How GTM reads sections"). GTM's server is Java: its JSON writer
// is Gson (the \u003d-style HTML-safe escapes of every export) and its YAML errors are SnakeYAML's
// ("while scanning a simple key"). Two departures are modelled, each seen in real files:
//
// - JSON: a raw control character (a line break) inside a string. Every Gson reading mode accepts
//   it except `Strictness.STRICT`, added in Gson 2.11 (google/gson#2323).
// - YAML: a continuation line of a quoted scalar indented less than its block. SnakeYAML, like
//   PyYAML it is ported from, does not check indentation inside quoted scalars ("Instead of
//   checking indentation, we check for document separators", scanFlowScalarBreaks), and its own
//   emitter writes such lines: GTM exports of double-quoted scenario code contain them.

import { parse as parseJsonLoosely } from 'jsonc-parser';
import { Lexer, parseDocument, type Document } from 'yaml';

/**
 * `text` with every control character (U+0000–U+001F) inside a JSON string replaced: by its
 * `\uXXXX` escape (`escape`, for reading the value) or by a space (`blank`, which keeps offsets,
 * for locating positions). `undefined` when no string holds one.
 */
export function controlCharsInStrings(text: string, mode: 'escape' | 'blank'): string | undefined {
  let out = '';
  let last = 0;
  let inString = false;
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!inString) {
      if (c === 0x22) inString = true;
      continue;
    }
    if (c === 0x5c) {
      i++; // the escaped character, whatever it is
    } else if (c === 0x22) {
      inString = false;
    } else if (c < 0x20) {
      found = true;
      out += text.slice(last, i) + (mode === 'blank' ? ' ' : `\\u${c.toString(16).padStart(4, '0')}`);
      last = i + 1;
    }
  }
  return found ? out + text.slice(last) : undefined;
}

/** The YAML of a section as SnakeYAML reads it, and the text the returned document was parsed from. */
export interface LenientYaml {
  doc: Document;
  /** `content`, or `content` with under-indented quoted-scalar lines indented (same lines). */
  text: string;
  /** 1-based lines (in `content`) that had to be indented. */
  reindented: number[];
}

const MAX_ROUNDS = 50;

/**
 * Parses YAML; when a quoted scalar is cut short by an under-indented continuation line (which
 * SnakeYAML reads), indents those lines and parses again. Indenting a continuation line of a
 * quoted scalar does not change its value: leading white space of such lines is folded away.
 */
export function parseYamlLikeSnakeYaml(content: string): LenientYaml {
  // `check(parse(text))` reads one TESTS section twice (its value, then positions): parse it once.
  if (last?.content === content) return last.result;
  const result = readYaml(content);
  last = { content, result };
  return result;
}

/** The last section read (the result is only ever read, never changed). */
let last: { content: string; result: LenientYaml } | undefined;

function readYaml(content: string): LenientYaml {
  const options = { uniqueKeys: true, prettyErrors: false } as const;
  let text = content;
  let doc = parseDocument(text, options);
  const reindented = new Set<number>();
  for (let round = 0; round < MAX_ROUNDS && doc.errors.length > 0; round++) {
    const next = indentQuotedContinuations(text, reindented);
    if (next === undefined) break;
    const attempt = parseDocument(next, options);
    // Keep a rewrite only if it gets further: the first error moves on or disappears.
    if (attempt.errors.length > 0 && attempt.errors[0]!.pos[0] <= doc.errors[0]!.pos[0]) break;
    text = next;
    doc = attempt;
  }
  if (doc.errors.length > 0 && text !== content) {
    // Nothing gained after all: report the file's own first problem.
    return { doc: parseDocument(content, options), text: content, reindented: [] };
  }
  return { doc, text, reindented: [...reindented].sort((a, b) => a - b) };
}

/** Indents the under-indented lines of the first quoted scalar the lexer cut short. */
function indentQuotedContinuations(text: string, reindented: Set<number>): string | undefined {
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    // The lexer interleaves control tokens that are not part of the source.
    if (token === '\x02' || token === '\x18' || token === '\x1f') continue;
    const start = offset;
    offset += token.length;
    const quote = token[0];
    if ((quote !== '"' && quote !== "'") || closingQuote(text, start, quote) < start + token.length) continue;
    const close = closingQuote(text, start, quote);
    if (close === -1) return undefined;
    // Continuation lines must be indented deeper than the line the scalar starts on.
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const need = /^ */.exec(text.slice(lineStart))![0].length + 1;
    let out = text.slice(0, start);
    let i = start;
    while (i < close) {
      const nl = text.indexOf('\n', i);
      if (nl === -1 || nl >= close) break;
      out += text.slice(i, nl + 1);
      i = nl + 1;
      const indent = /^[ \t]*/.exec(text.slice(i))![0].length;
      if (indent < need && text[i] !== '\n') {
        out += ' '.repeat(need - indent);
        reindented.add(lineNumberAt(text, i));
      }
    }
    return out + text.slice(i);
  }
  return undefined;
}

/** Offset of the quote closing the scalar opened at `start`, or -1. */
function closingQuote(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

function lineNumberAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * As much of a JSON section as can be read when it does not parse (jsonc-parser's error recovery:
 * a value is kept up to the fault, and reading resumes after it). For what is needed to run a
 * file's scenarios anyway (the template's type), never for what GTM would make of the file.
 */
export function bestEffortJson(text: string): unknown {
  return parseJsonLoosely(text, [], { allowTrailingComma: true, disallowComments: false });
}
