// Source adjustments that make V8 run sandboxed JavaScript with GTM's semantics where the two differ.
//
// GTM's sandbox gives arrow functions their own `arguments` (its runtime compiles every function the
// same way). Real tests GTM runs depend on it, e.g. stape-io's scenarios mock APIs with
// `mock('callInWindow', () => { const key = arguments[0]; ... })`. In V8 that `arguments` would be
// the enclosing function's, so such arrows are rewritten into `function` expressions (the sandbox
// has no `this` and no `new`, so nothing else about them changes).

import type { AnyNode, ArrowFunctionExpression } from 'acorn';
import { ancestor } from 'acorn-walk';
import { parseSandboxJs } from '../js/parse.js';

interface Insertion {
  at: number;
  text: string;
  /** Removes source text from `at` up to `to` before inserting. */
  to?: number;
}

/** Arrows whose own body (not nested ordinary functions) mentions `arguments`. */
function arrowsUsingArguments(code: string): ArrowFunctionExpression[] {
  const parsed = parseSandboxJs(code);
  if (!parsed.ok) return [];
  const found = new Set<ArrowFunctionExpression>();
  ancestor(parsed.program, {
    Identifier(node, _state, ancestors) {
      if ((node as { name: string }).name !== 'arguments') return;
      for (let i = ancestors.length - 2; i >= 0; i--) {
        const a = ancestors[i] as AnyNode;
        if (a.type === 'FunctionExpression' || a.type === 'FunctionDeclaration') return;
        if (a.type === 'ArrowFunctionExpression') {
          found.add(a);
          return;
        }
      }
    },
  });
  return [...found].sort((a, b) => a.start - b.start);
}

const cache = new Map<string, string>();

/** Returns `code` with GTM semantics made explicit for V8; unchanged when nothing applies. */
export function adaptForV8(code: string): string {
  if (!code.includes('arguments') || !code.includes('=>')) return code;
  const cached = cache.get(code);
  if (cached !== undefined) return cached;
  const out = rewriteArrows(code);
  if (cache.size > 200) cache.clear();
  cache.set(code, out);
  return out;
}

function rewriteArrows(code: string): string {
  const arrows = arrowsUsingArguments(code);
  if (arrows.length === 0) return code;
  const edits: Insertion[] = [];
  for (const arrow of arrows) {
    const body = arrow.body as AnyNode;
    const lastParam = arrow.params[arrow.params.length - 1] as AnyNode | undefined;
    const searchFrom = lastParam ? lastParam.end : arrow.start;
    const arrowAt = code.indexOf('=>', searchFrom);
    if (arrowAt < 0 || arrowAt > body.start) continue;
    const parenthesised = code.slice(arrow.start, arrowAt).trim().startsWith('(');
    if (arrow.async) continue;
    edits.push({ at: arrow.start, text: parenthesised ? 'function ' : 'function (' });
    edits.push({ at: arrowAt, to: arrowAt + 2, text: parenthesised ? '' : ')' });
    if (arrow.expression) {
      edits.push({ at: body.start, text: '{ return (' });
      edits.push({ at: body.end, text: '); }' });
    }
  }
  // Apply from the end so earlier offsets stay valid; at equal offsets keep insertion order.
  const ordered = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.at - a.at || b.i - a.i);
  let out = code;
  for (const e of ordered) out = out.slice(0, e.at) + e.text + out.slice(e.to ?? e.at);
  return out;
}
