// A main module in script style: code at the top level with `data` in scope, as GTM itself runs a
// template (the body of a function whose parameter is `data`), instead of `export default function
// main(data)`. A script-style main declares `data` for the type checker, e.g.
// `declare const data: TagData<Fields>;`, may `return` at the top level, and exports nothing.
// For esbuild the module is wrapped into that function (its imports and declarations stay outside),
// and for the type checker into a function of its own (wrapForTypeCheck), with positions mapped back.

import ts from 'typescript';

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return (ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : []).some((m) => m.kind === kind);
}

/** A statement with no run-time effect that must stay at the top level (imports, `declare`, types). */
function staysOutside(stmt: ts.Statement): boolean {
  return (
    ts.isImportDeclaration(stmt) ||
    ts.isImportEqualsDeclaration(stmt) ||
    hasModifier(stmt, ts.SyntaxKind.DeclareKeyword) ||
    (hasModifier(stmt, ts.SyntaxKind.ExportKeyword) &&
      (ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt))) ||
    (ts.isExportDeclaration(stmt) && stmt.isTypeOnly)
  );
}

/** Does this module export a value (then it is not script style)? Type-only exports do not count. */
function exportsValues(file: ts.SourceFile): boolean {
  return file.statements.some(
    (stmt) =>
      ts.isExportAssignment(stmt) ||
      (ts.isExportDeclaration(stmt) && !stmt.isTypeOnly) ||
      (hasModifier(stmt, ts.SyntaxKind.ExportKeyword) &&
        !ts.isInterfaceDeclaration(stmt) &&
        !ts.isTypeAliasDeclaration(stmt) &&
        !hasModifier(stmt, ts.SyntaxKind.DeclareKeyword)),
  );
}

/** Is the main module written in script style (it exports no value, so no `main` either)? */
export function isScriptMain(text: string, fileName = 'main.ts'): boolean {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ESNext, true);
  return !exportsValues(file);
}

/** Replaces every character but line breaks with a space, so positions in the file stay the same. */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

/**
 * The script-style module as the body of `export default function main(data)`, for the bundler:
 * its imports, `declare`s and exported types are moved after the function (imports are hoisted
 * anyway). Lines keep their numbers.
 */
export function wrapScriptMain(text: string, fileName = 'main.ts'): string {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ESNext, true);
  let body = text;
  const outside: string[] = [];
  for (const stmt of file.statements) {
    if (!staysOutside(stmt)) continue;
    const start = stmt.getStart(file);
    outside.push(text.slice(start, stmt.end));
    body = body.slice(0, start) + blank(text.slice(start, stmt.end)) + body.slice(stmt.end);
  }
  return `export default function main(data) {${body}\n}\n${outside.join('\n')}\n`;
}

/** The wrapped text a script-style main is type-checked as, and the way back to original offsets. */
export interface CheckedScript {
  text: string;
  /** An offset in `text` → the offset in the original text. */
  original(pos: number): number;
}

/**
 * The script-style module as the type checker sees it: the code from its first statement on is the
 * body of a function, so that TypeScript checks what a top-level `return` returns (it does not
 * check the expression of a `return` outside a function) and reports no misplaced `return`. The
 * imports and declarations before the code stay where they are; any after it move behind the function.
 */
export function wrapForTypeCheck(text: string, fileName = 'main.ts'): CheckedScript {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ESNext, true);
  const first = file.statements.find((s) => !staysOutside(s));
  if (!first) return { text, original: (pos) => pos };
  const start = first.getStart(file);
  const prefix = 'function __gtmScript() {';
  let rest = text.slice(start);
  const moved: { from: number; text: string }[] = [];
  for (const stmt of file.statements) {
    if (stmt.pos < start || !staysOutside(stmt)) continue;
    const s = stmt.getStart(file);
    moved.push({ from: s, text: text.slice(s, stmt.end) });
    rest = rest.slice(0, s - start) + blank(text.slice(s, stmt.end)) + rest.slice(stmt.end - start);
  }
  const bodyStart = start + prefix.length;
  const tailStart = bodyStart + rest.length + '\n}\n'.length;
  const segments: { at: number; from: number; length: number }[] = [];
  let at = tailStart;
  for (const m of moved) {
    segments.push({ at, from: m.from, length: m.text.length });
    at += m.text.length + 1;
  }
  return {
    text: text.slice(0, start) + prefix + rest + '\n}\n' + moved.map((m) => m.text + '\n').join(''),
    original(pos) {
      if (pos < start) return pos;
      if (pos < bodyStart) return start;
      if (pos < tailStart) return Math.min(pos - prefix.length, text.length);
      const segment = segments.find((s) => pos >= s.at && pos <= s.at + s.length);
      return segment ? segment.from + (pos - segment.at) : text.length;
    },
  };
}
