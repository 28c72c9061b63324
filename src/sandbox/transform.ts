// Source adjustments that make V8 run sandboxed JavaScript with GTM's semantics where the two
// differ, plus the instrumentation the time limit needs. One parse serves the syntax check and
// every adjustment (`prepareCode`).
//
// 1. GTM's sandbox gives arrow functions their own `arguments` (its runtime compiles every function
//    the same way). Real tests GTM runs depend on it, e.g. stape-io's scenarios mock APIs with
//    `mock('callInWindow', () => { const key = arguments[0]; ... })`. In V8 that `arguments` would be
//    the enclosing function's, so such arrows become `function` expressions (the sandbox has no
//    `this` and no `new`, so nothing else about them changes).
// 2. `arguments` is an array in GTM's sandbox: real templates and tests call `arguments.slice(1)`
//    and `arguments.map(...)`. A function that mentions `arguments` gets an array copy of it, made
//    once on entry, and its own references read the copy.
// 3. Every loop iteration and every function entry calls the run's tick (the realm's `tick`,
//    passed in as the parameter `TICK_PARAM`), which ends a run that outlives its time limit. This
//    is far cheaper than arming a watchdog for every run, and works in realms that have none.
//
// Insertions never add line breaks, so line numbers in messages stay those of the original code.

import type { AnyNode, ArrowFunctionExpression, Function as FunctionNode, Program } from 'acorn';
import { ancestor } from 'acorn-walk';
import { parseSandboxJs } from '../js/parse.js';
import { unsupportedIn, type SyntaxProblem } from './syntax.js';

/** The parameter through which compiled code reaches the realm's tick. */
export const TICK_PARAM = '__gtmTick';
const ARGS = '__gtmArguments';
const ARRAY_OF = '__gtmArrayOf';
const ARRAY_OF_DECLARATION = `function ${ARRAY_OF}(a) { var o = []; for (var i = 0; i < a.length; i++) o.push(a[i]); return o; } `;
const TICK = `${TICK_PARAM}();`;

export type PreparedCode = { ok: true; source: string } | { ok: false; problem: SyntaxProblem };

/**
 * Checks `code` against what GTM's sandbox accepts (`globals`: names it may use undeclared) and,
 * when it is fine, returns the source to compile: GTM's semantics made explicit for V8, and ticks.
 */
export function prepareCode(code: string, globals: readonly string[] = []): PreparedCode {
  const parsed = parseSandboxJs(code);
  if (!parsed.ok) return { ok: false, problem: parsed.error };
  const problem = unsupportedIn(parsed.program, globals);
  if (problem) return { ok: false, problem };
  return { ok: true, source: instrument(code, parsed.program) };
}

/** Returns `code` with GTM's semantics made explicit for V8 (arrows and `arguments`), and ticks. */
export function adaptForV8(code: string): string {
  const parsed = parseSandboxJs(code);
  return parsed.ok ? instrument(code, parsed.program) : code;
}

interface Edit {
  at: number;
  text: string;
  /** Source text from `at` up to `to` is replaced. */
  to?: number;
  /** Order among edits at the same offset (lower first). */
  rank: number;
}

/** Replacements come after every insertion at their offset: the replaced token is innermost. */
const REPLACE = 2e9;

type Fn = FunctionNode & AnyNode;
const LOOPS = new Set([
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'WhileStatement',
  'DoWhileStatement',
]);

function isFunction(node: AnyNode): node is Fn {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression'
  );
}

/** The function whose `arguments` an identifier at the end of `ancestors` means (none at top level). */
function ownerOf(ancestors: readonly AnyNode[]): Fn | undefined {
  for (let i = ancestors.length - 2; i >= 0; i--) {
    const a = ancestors[i]!;
    if (isFunction(a)) return a;
  }
  return undefined;
}

function instrument(code: string, program: Program): string {
  // Which functions mention `arguments` themselves (arrows count: they become functions).
  const argumentUses = new Map<Fn, { node: AnyNode; shorthand: boolean }[]>();
  const loops: AnyNode[] = [];
  const functions: Fn[] = [];
  ancestor(program, {
    Identifier(node, _state, ancestors) {
      if ((node as { name: string }).name !== 'arguments') return;
      const owner = ownerOf(ancestors as AnyNode[]);
      if (!owner) return;
      const parent = ancestors[ancestors.length - 2] as AnyNode & { shorthand?: boolean };
      const uses = argumentUses.get(owner) ?? [];
      uses.push({ node: node as AnyNode, shorthand: parent.type === 'Property' && !!parent.shorthand });
      argumentUses.set(owner, uses);
    },
    Function(node) {
      functions.push(node as Fn);
    },
    Statement(node) {
      if (LOOPS.has(node.type)) loops.push(node as AnyNode);
    },
  });

  const edits: Edit[] = [];
  // At one offset: closing text before opening text; closings of inner nodes (later start) first,
  // openings of outer nodes (later end) first.
  const open = (at: number, text: string, node: AnyNode) => edits.push({ at, text, rank: 1e9 - node.end });
  const close = (at: number, text: string, node: AnyNode) =>
    edits.push({ at, text, rank: -1e9 - node.start });

  for (const loop of loops) {
    const body = (loop as unknown as { body: AnyNode }).body;
    if (body.type === 'BlockStatement') open(body.start + 1, TICK, body);
    else {
      open(body.start, `{ ${TICK} `, body);
      close(body.end, ' }', body);
    }
  }

  for (const fn of functions) {
    const uses = argumentUses.get(fn);
    const entry = uses ? `${TICK} var ${ARGS} = ${ARRAY_OF}(arguments);` : TICK;
    for (const use of uses ?? []) {
      edits.push({
        at: use.node.start,
        to: use.node.end,
        text: use.shorthand ? `arguments: ${ARGS}` : ARGS,
        rank: REPLACE,
      });
    }
    const body = fn.body as AnyNode;
    if (fn.type === 'ArrowFunctionExpression' && uses) {
      arrowToFunction(code, fn as ArrowFunctionExpression, entry, edits);
    } else if (body.type === 'BlockStatement') {
      open(afterDirectives(body), entry, body);
    } else {
      open(body.start, `(${TICK_PARAM}(), `, body);
      close(body.end, ')', body);
    }
  }

  if (edits.length === 0) return code;
  edits.sort((a, b) => a.at - b.at || a.rank - b.rank);
  let out = argumentUses.size > 0 ? ARRAY_OF_DECLARATION : '';
  let from = 0;
  for (const e of edits) {
    out += code.slice(from, e.at) + e.text;
    from = e.to ?? e.at;
  }
  return out + code.slice(from);
}

/** Where statements may be inserted in a function body: after its directive prologue. */
function afterDirectives(body: AnyNode): number {
  let at = body.start + 1;
  for (const statement of (body as unknown as { body: AnyNode[] }).body) {
    if (statement.type !== 'ExpressionStatement' || !('directive' in statement)) break;
    at = statement.end;
  }
  return at;
}

/** Rewrites an arrow into a `function` expression whose body starts with `entry`. */
function arrowToFunction(code: string, arrow: ArrowFunctionExpression, entry: string, edits: Edit[]): void {
  const body = arrow.body as AnyNode;
  const lastParam = arrow.params[arrow.params.length - 1] as AnyNode | undefined;
  const arrowAt = code.indexOf('=>', lastParam ? lastParam.end : arrow.start);
  const parenthesised = code.slice(arrow.start, arrowAt).trim().startsWith('(');
  edits.push({ at: arrow.start, text: parenthesised ? 'function ' : 'function (', rank: 1e9 - arrow.end });
  edits.push({ at: arrowAt, to: arrowAt + 2, text: parenthesised ? '' : ')', rank: REPLACE });
  if (arrow.expression) {
    edits.push({ at: body.start, text: `{ ${entry} return (`, rank: 1e9 - body.end });
    edits.push({ at: body.end, text: '); }', rank: -1e9 - body.start });
  } else {
    edits.push({ at: afterDirectives(body), text: entry, rank: 1e9 - body.end });
  }
}
