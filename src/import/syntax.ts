// Sandboxed JavaScript that GTM accepts and standard JavaScript (so TypeScript) does not, made
// standard without changing what it does. Today one form: an arrow function as the right operand
// of a binary or logical operator (`x || () => y`, see src/js/parse.ts), which gets parentheses.

import type { AnyNode, Program } from 'acorn';
import { isParenthesized, parseSandboxJs } from '../js/parse.js';
import { forEachChild } from '../js/walk.js';

export interface StandardSyntax {
  code: string;
  /** How many arrows were put in parentheses. */
  parenthesized: number;
}

/** `code` with every arrow operand of a binary or logical operator in parentheses. */
export function standardSyntax(code: string, program?: Program): StandardSyntax {
  const parsed = program ? { ok: true as const, program } : parseSandboxJs(code);
  if (!parsed.ok) return { code, parenthesized: 0 };
  const arrows: [number, number][] = [];
  const visit = (node: AnyNode) => {
    if (
      (node.type === 'BinaryExpression' || node.type === 'LogicalExpression') &&
      node.right.type === 'ArrowFunctionExpression' &&
      !isParenthesized(code, node.right.start, node.right.end)
    )
      arrows.push([node.right.start, node.right.end]);
    forEachChild(node, visit);
  };
  visit(parsed.program as AnyNode);
  if (!arrows.length) return { code, parenthesized: 0 };
  // Insert from the end, so earlier offsets stay valid (nested arrows: the inner one first).
  const inserts = arrows.flatMap(([s, e]) => [
    { at: e, text: ')' },
    { at: s, text: '(' },
  ]);
  inserts.sort((a, b) => b.at - a.at || (a.text === ')' ? -1 : 1));
  let out = code;
  for (const { at, text } of inserts) out = out.slice(0, at) + text + out.slice(at);
  return { code: out, parenthesized: arrows.length };
}

/** The import note for `count` arrows put in parentheses. */
export function arrowNote(count: number): string {
  return `${count} arrow function${count === 1 ? '' : 's'} written as the operand of an operator (\`x || () => y\`, which GTM accepts) put in parentheses, as TypeScript requires: the same code`;
}
