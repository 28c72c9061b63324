// Writing text into TypeScript sources so that the compiler reads back exactly the same text:
// JSDoc tag values, doc comment descriptions, string literals and property names.

import ts from 'typescript';
import { descriptionOf, helpFromDescription } from '../compile/fields.js';
import type { LocalisedText } from '../tpl/model.js';

/**
 * Can `text` stand in a JSDoc tag as it is? Not when the compiler would read it differently: edge
 * spaces are trimmed, a line break ends the line, `*\/` ends the comment, an `@` after a space
 * starts a tag, a leading `"` is decoded as JSON, and a leading `{` may be read as a localised text.
 */
export function isPlainTagText(text: string): boolean {
  return (
    text === text.trim() &&
    !/[\n\r\u2028\u2029]/.test(text) &&
    !text.includes('*/') &&
    !/(^|\s)@/.test(text) &&
    !text.startsWith('"') &&
    !text.startsWith('{') &&
    !text.includes('{@')
  );
}

/** JSON that is safe inside a doc comment: `*\/` and `@` escaped (JSON.parse reads them back). */
export function docJson(value: unknown): string {
  return JSON.stringify(value).replace(/\*\//g, '*\\/').replace(/@/g, '\\u0040');
}

/**
 * A tag's text as written: the text itself when plain, else a JSON string the compiler decodes; a
 * localised text is written as its JSON object, which the compiler keeps as it is.
 */
export function tagText(text: LocalisedText): string {
  if (typeof text !== 'string') return docJson(text);
  return isPlainTagText(text) ? text : docJson(text);
}

/** Is this text read back as itself by `JSON.parse`-or-text (so it needs no quotes)? */
function readsAsText(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

/** A value for a tag whose text keeps its JSON type (`@default`, `@enableWhen x=…`). */
export function typedTagText(value: unknown): string {
  if (typeof value === 'string' && isPlainTagText(value) && readsAsText(value) && value !== '') return value;
  return docJson(value);
}

/** `name` as a property key of an interface: an identifier, else a quoted string. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A JavaScript string literal with single quotes. */
export function stringLiteral(text: string): string {
  return "'" + JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'") + "'";
}

/** Splits a paragraph into lines of about `width` characters, breaking at single spaces only. */
function wrap(paragraph: string, width: number): string[] {
  const lines: string[] = [];
  let rest = paragraph;
  while (rest.length > width) {
    let at = rest.lastIndexOf(' ', width);
    while (at > 0 && (rest[at - 1] === ' ' || rest[at + 1] === ' ')) at = rest.lastIndexOf(' ', at - 1);
    if (at <= 0) {
      at = rest.indexOf(' ', width);
      while (at !== -1 && (rest[at - 1] === ' ' || rest[at + 1] === ' ')) at = rest.indexOf(' ', at + 1);
      if (at === -1) break;
    }
    lines.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  lines.push(rest);
  return lines;
}

/** What the compiler reads as the help text of a property with this doc comment. */
function helpReadBack(comment: string): string {
  const file = ts.createSourceFile(
    'x.ts',
    `interface X {\n${comment}\n  x: string;\n}\n`,
    ts.ScriptTarget.ES2020,
    true,
  );
  const member = (file.statements[0] as ts.InterfaceDeclaration).members[0]!;
  return helpFromDescription(descriptionOf(member));
}

/**
 * The doc comment description lines for a help text, or undefined when a description cannot carry
 * it exactly (then `@help` holds it as JSON). Paragraphs (`<br><br>`) become blank lines.
 */
export function helpDescription(help: string, width = 96): string[] | undefined {
  const paragraphs = help.split('<br><br>');
  if (paragraphs.some((p) => p === '' || !isPlainTagText(p) || p.startsWith('@'))) return undefined;
  const lines: string[] = [];
  paragraphs.forEach((p, i) => {
    if (i > 0) lines.push('');
    lines.push(...wrap(p, width));
  });
  const comment = docComment(lines, '  ');
  return helpReadBack(comment) === help ? lines : undefined;
}

/** A JSDoc comment holding `lines`, indented by `indent`. */
export function docComment(lines: string[], indent: string): string {
  if (lines.length === 0) return '';
  if (lines.length === 1 && lines[0]!.length + indent.length < 96) return `${indent}/** ${lines[0]} */`;
  return [`${indent}/**`, ...lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`].join(
    '\n',
  );
}
