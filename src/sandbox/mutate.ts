// A small, generic mutation generator over any sandboxed JavaScript (acorn-based): the faults a
// template's own tests should catch. Used to measure whether the test runner notices them.
//
// Mutant kinds:
// - `drop-gtmOnSuccess`: a statement calling `….gtmOnSuccess()` is removed.
// - `api-literal`: a string literal passed to a required API (directly, or inside a `+`
//   concatenation) is changed.
// - `flip-condition`: the test of an `if`, `?:`, `while`, `do…while` or `for` is negated.

import type { AnyNode, Expression, Node } from 'acorn';
import { ancestor } from 'acorn-walk';
import { findApiUsage } from '../js/api-usage.js';
import { parseSandboxJs } from '../js/parse.js';

export type MutantKind = 'drop-gtmOnSuccess' | 'api-literal' | 'flip-condition';

export interface Mutant {
  kind: MutantKind;
  /** What changed, for reports. */
  description: string;
  /** 1-based line of the change in the original code. */
  line: number;
  code: string;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function apply(code: string, edits: Edit[]): string {
  let out = code;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function line(node: Node): number {
  return node.loc?.start.line ?? 1;
}

function isGtmOnSuccessCall(node: AnyNode): boolean {
  if (node.type !== 'CallExpression') return false;
  const callee = node.callee;
  return (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 'gtmOnSuccess'
  );
}

/** String literals that make up an argument: itself, or operands of `+`, `?:`, `||`/`&&`. */
function literalParts(expr: Expression | AnyNode): AnyNode[] {
  if (expr.type === 'Literal' && typeof expr.value === 'string') return [expr];
  if (expr.type === 'BinaryExpression' && expr.operator === '+') {
    return [...literalParts(expr.left as AnyNode), ...literalParts(expr.right as AnyNode)];
  }
  if (expr.type === 'ConditionalExpression') {
    return [...literalParts(expr.consequent as AnyNode), ...literalParts(expr.alternate as AnyNode)];
  }
  if (expr.type === 'LogicalExpression') {
    return [...literalParts(expr.left as AnyNode), ...literalParts(expr.right as AnyNode)];
  }
  return [];
}

/** A different string of the same kind: empty strings get content, others get a suffix. */
function mutatedString(value: string): string {
  return value === '' ? 'mutated' : value + '_mutated';
}

/** Every mutant of `code`, in source order of kind. Unparsable code has none. */
export function generateMutants(code: string): Mutant[] {
  const parsed = parseSandboxJs(code);
  if (!parsed.ok) return [];
  const program = parsed.program;
  const mutants: Mutant[] = [];

  ancestor(program, {
    ExpressionStatement(node) {
      const stmt = node as AnyNode & { type: 'ExpressionStatement' };
      let expr = stmt.expression as AnyNode;
      if (expr.type === 'UnaryExpression' && expr.operator === 'void') expr = expr.argument as AnyNode;
      if (isGtmOnSuccessCall(expr)) {
        mutants.push({
          kind: 'drop-gtmOnSuccess',
          description: `removed \`${code.slice(stmt.start, stmt.end).trim()}\``,
          line: line(stmt),
          code: apply(code, [{ start: stmt.start, end: stmt.end, text: ';' }]),
        });
      }
    },
    ReturnStatement(node) {
      // `return data.gtmOnSuccess();` is the same fault written differently.
      const arg = (node as AnyNode & { type: 'ReturnStatement' }).argument as AnyNode | null;
      if (arg && isGtmOnSuccessCall(arg)) {
        mutants.push({
          kind: 'drop-gtmOnSuccess',
          description: `removed the call in \`${code.slice(node.start, node.end).trim()}\``,
          line: line(node),
          code: apply(code, [{ start: arg.start, end: arg.end, text: 'undefined' }]),
        });
      }
    },
  });

  const seenLiterals = new Set<number>();
  for (const call of findApiUsage(program).calls) {
    for (const arg of call.node.arguments) {
      for (const lit of literalParts(arg as AnyNode)) {
        if (seenLiterals.has(lit.start)) continue;
        seenLiterals.add(lit.start);
        const value = (lit as { value: string }).value;
        const label = call.method ? `${call.api}.${call.method}` : call.api;
        mutants.push({
          kind: 'api-literal',
          description: `${label}: '${value}' → '${mutatedString(value)}'`,
          line: line(lit),
          code: apply(code, [{ start: lit.start, end: lit.end, text: JSON.stringify(mutatedString(value)) }]),
        });
      }
    }
  }

  const flip = (test: AnyNode | null | undefined, what: string) => {
    if (!test) return;
    mutants.push({
      kind: 'flip-condition',
      description: `negated ${what} condition \`${code.slice(test.start, test.end).slice(0, 60)}\``,
      line: line(test),
      code: apply(code, [
        { start: test.start, end: test.end, text: `!(${code.slice(test.start, test.end)})` },
      ]),
    });
  };
  ancestor(program, {
    IfStatement: (n) => flip((n as AnyNode & { type: 'IfStatement' }).test as AnyNode, 'if'),
    ConditionalExpression: (n) =>
      flip((n as AnyNode & { type: 'ConditionalExpression' }).test as AnyNode, '?:'),
    WhileStatement: (n) => flip((n as AnyNode & { type: 'WhileStatement' }).test as AnyNode, 'while'),
    DoWhileStatement: (n) => flip((n as AnyNode & { type: 'DoWhileStatement' }).test as AnyNode, 'do-while'),
    ForStatement: (n) => flip((n as AnyNode & { type: 'ForStatement' }).test as AnyNode | null, 'for'),
  });

  return mutants;
}
