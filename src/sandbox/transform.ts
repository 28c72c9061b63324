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
// 4. GTM accepts an arrow function as the right operand of a binary or logical operator
//    (`x || () => y`, see `src/js/parse.ts`); V8 does not, so such an arrow is put in parentheses.
// 5. GTM's sandbox has no temporal dead zone: gtm.js's interpreter adds a binding to its scope
//    when the declaration runs, and reading a name its scope chain does not hold yet gives
//    `undefined` (docs/runtime.md, "The language"). So each `let` or `const` statement of a block
//    is declared at the block's start (`let a, b;`, which also gives a fresh binding each time a
//    loop body's block runs) and assigns where it stood (`; a = 1, b = void 0`). A `const` whose
//    name the code assigns anywhere stays a `const` (with V8's dead zone), so that assigning it
//    still fails; so do the declarations of a `for` head and of a `switch` case.
//
// Insertions never add line breaks, so line numbers in messages stay those of the original code.

import type { AnyNode, ArrowFunctionExpression, Function as FunctionNode, Program } from 'acorn';
import { ancestor } from 'acorn-walk';
import { parseSandboxJs, parseSandboxJsShared } from '../js/parse.js';
import { programScopeNames } from '../js/scope.js';
import type { ContainerContext } from '../tpl/model.js';
import {
  ALWAYS_DEFINED,
  describeNode,
  undeclaredVariable,
  unsupportedConstruct,
  type SyntaxProblem,
} from './syntax.js';

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
 * One parse and one walk serve both.
 */
export function prepareCode(
  code: string,
  globals: readonly string[] = [],
  context?: ContainerContext,
): PreparedCode {
  const part = preparePart(code);
  if (!part.ok) return part;
  const joined = joinParts([part], globals, context);
  return joined.ok ? joined : { ok: false, problem: joined.problem };
}

/** Returns `code` with GTM's semantics made explicit for V8 (arrows and `arguments`), and ticks. */
export function adaptForV8(code: string): string {
  const part = preparePart(code);
  return part.ok ? (part.needsArrayOf ? ARRAY_OF_DECLARATION : '') + part.text : code;
}

/**
 * A piece of code checked and instrumented on its own, to be compiled joined with others (a
 * scenario's setup, prepared once, and each scenario's code), one line break apart.
 */
export type PreparedPart =
  | {
      ok: true;
      text: string;
      needsArrayOf: boolean;
      declared: ReadonlySet<string>;
      /** Names used as values, with their offsets in the part, in order. */
      used: readonly { name: string; at: number }[];
      /** Names bound in the part's own scope (`programScopeNames`), for scenario-code.ts. */
      scopeNames: ReadonlySet<string>;
      /** The part starts with a directive (`'use strict'`), which applies where it stands first. */
      leadingDirective: boolean;
      /** The part uses `arguments` outside its functions. */
      topLevelArguments: boolean;
      code: string;
    }
  | { ok: false; problem: SyntaxProblem };

/**
 * `remember: false` for code parsed once (a scenario's): it stays out of the few recent parses
 * kept for code read twice (a template's, for its permissions and then to compile it), which a
 * file's scenarios, prepared together, would otherwise push out.
 */
export function preparePart(code: string, { remember = true }: { remember?: boolean } = {}): PreparedPart {
  const parsed = remember ? parseSandboxJsShared(code) : parseSandboxJs(code, { locations: false });
  if (!parsed.ok) return { ok: false, problem: parsed.error };
  const facts = survey(parsed.program);
  if (facts.refused) {
    const { line, column } = positionAt(code, facts.refused.node.start);
    return { ok: false, problem: unsupportedConstruct(facts.refused.what, line, column) };
  }
  return {
    ok: true,
    text: instrument(code, facts),
    needsArrayOf: facts.argumentUses.size > 0,
    declared: facts.declared,
    used: facts.used.map((n) => ({ name: (n as unknown as { name: string }).name, at: n.start })),
    scopeNames: programScopeNames(parsed.program),
    leadingDirective: startsWithDirective(parsed.program),
    topLevelArguments: facts.topLevelArguments,
    code,
  };
}

function startsWithDirective(program: Program): boolean {
  const first = program.body[0] as AnyNode | undefined;
  return first?.type === 'ExpressionStatement' && 'directive' in first;
}

/**
 * The source of `parts` compiled as one function body, or the first name one of them uses that
 * none declares (GTM: "Attempting to use undeclared variable"), with the index of its part.
 * `context`: the container the code runs in, for the message's hint when the name is an API.
 */
export function joinParts(
  parts: readonly ReadyPart[],
  globals: readonly string[],
  context?: ContainerContext,
): { ok: true; source: string } | { ok: false; problem: SyntaxProblem; part: number } {
  const undeclared = firstUndeclared(parts, globals, context);
  if (undeclared) return { ok: false, ...undeclared };
  return { ok: true, source: joinedSource(parts) };
}

/** `parts` as one function body, one line break apart, after the helpers they rely on. */
export function joinedSource(parts: readonly ReadyPart[]): string {
  return helpersFor(parts) + parts.map((p) => p.text).join('\n');
}

/** A part that was prepared without a problem. */
export type ReadyPart = Extract<PreparedPart, { ok: true }>;

/** The first name one of `parts` uses that none of them declares, and that part's index. */
export function firstUndeclared(
  parts: readonly ReadyPart[],
  globals: readonly string[],
  context?: ContainerContext,
): { problem: SyntaxProblem; part: number } | undefined {
  const declared = new Set<string>([...ALWAYS_DEFINED, ...globals]);
  for (const part of parts) for (const name of part.declared) declared.add(name);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const undeclared = part.used.find((u) => !declared.has(u.name));
    if (undeclared) {
      const { line, column } = positionAt(part.code, undeclared.at);
      return { problem: undeclaredVariable(undeclared.name, line, column, context), part: i };
    }
  }
  return undefined;
}

/** The declarations that the instrumented text of `parts` relies on, to go before it. */
export function helpersFor(parts: readonly ReadyPart[]): string {
  return parts.some((p) => p.needsArrayOf) ? ARRAY_OF_DECLARATION : '';
}

/** Names the instrumentation itself declares or passes in (none of them a sandbox name). */
export const INSTRUMENTATION_NAMES: readonly string[] = [TICK_PARAM, ARGS, ARRAY_OF];

/** What one walk over the code finds. */
interface Survey {
  /** Functions whose own scope mentions `arguments` (arrows count: they become functions). */
  argumentUses: Map<Fn, { node: AnyNode; shorthand: boolean }[]>;
  loops: AnyNode[];
  functions: Fn[];
  /** Arrows that are the right operand of a binary or logical operator (parenthesised or not). */
  bareOperandArrows: AnyNode[];
  /** Names declared anywhere (variables, parameters, function names). */
  declared: Set<string>;
  /** Names used as values, in order. */
  used: AnyNode[];
  /** The first construct GTM refuses, in walk order. */
  refused?: { node: AnyNode; what: string };
  /** `let`/`const` statements directly in a block or the program, with that block (item 5 above). */
  blockDeclarations: { declaration: AnyNode; block: AnyNode }[];
  /** Names the code assigns (`x = …`, `x += …`, `x++`) anywhere. */
  assigned: Set<string>;
  /** `arguments` outside every function (the arguments of the function the code is compiled as). */
  topLevelArguments: boolean;
}

function survey(program: Program): Survey {
  const facts: Survey = {
    argumentUses: new Map(),
    loops: [],
    functions: [],
    bareOperandArrows: [],
    declared: new Set(),
    used: [],
    blockDeclarations: [],
    assigned: new Set(),
    topLevelArguments: false,
  };
  const refuse = (node: AnyNode) => {
    if (facts.refused) return;
    const what = describeNode(node);
    if (what) facts.refused = { node, what };
  };
  // acorn-walk reports declared names as the pseudo-type `VariablePattern`, and only value uses as
  // `Identifier` (property keys are skipped).
  ancestor(program, {
    VariablePattern(node: AnyNode) {
      facts.declared.add((node as { name: string }).name);
    },
    Identifier(node, _state, ancestors) {
      facts.used.push(node as AnyNode);
      if ((node as { name: string }).name !== 'arguments') return;
      const owner = ownerOf(ancestors as AnyNode[]);
      if (!owner) {
        facts.topLevelArguments = true;
        return;
      }
      const parent = ancestors[ancestors.length - 2] as AnyNode & { shorthand?: boolean };
      const uses = facts.argumentUses.get(owner) ?? [];
      uses.push({ node: node as AnyNode, shorthand: parent.type === 'Property' && !!parent.shorthand });
      facts.argumentUses.set(owner, uses);
    },
    Function(node, _state, ancestors) {
      facts.functions.push(node as Fn);
      const parent = ancestors[ancestors.length - 2] as (AnyNode & { right?: AnyNode }) | undefined;
      if (
        node.type === 'ArrowFunctionExpression' &&
        (parent?.type === 'BinaryExpression' || parent?.type === 'LogicalExpression') &&
        parent.right === node
      )
        facts.bareOperandArrows.push(node as AnyNode);
    },
    Statement(node) {
      if (LOOPS.has(node.type)) facts.loops.push(node as AnyNode);
    },
    VariableDeclaration(node, _state, ancestors) {
      const block = ancestors[ancestors.length - 2] as AnyNode | undefined;
      const declarators = (node as unknown as { declarations: { id: AnyNode }[] }).declarations;
      if (
        (node as { kind: string }).kind !== 'var' &&
        (block?.type === 'BlockStatement' || block?.type === 'Program') &&
        declarators.every((d) => d.id.type === 'Identifier')
      )
        facts.blockDeclarations.push({ declaration: node as AnyNode, block });
    },
    AssignmentExpression(node) {
      const target = (node as unknown as { left: AnyNode }).left;
      if (target.type === 'Identifier') facts.assigned.add(target.name);
    },
    UpdateExpression(node) {
      const target = (node as unknown as { argument: AnyNode }).argument;
      if (target.type === 'Identifier') facts.assigned.add(target.name);
    },
    NewExpression: refuse,
    ThisExpression: refuse,
    Literal: refuse,
    TemplateLiteral: refuse,
    TryStatement: refuse,
    ThrowStatement: refuse,
    ClassDeclaration: refuse,
    ClassExpression: refuse,
    FunctionDeclaration: refuse,
    FunctionExpression: refuse,
    ArrowFunctionExpression: refuse,
  } as Parameters<typeof ancestor>[1]);
  return facts;
}

/** 1-based line and column of `offset` in `code`. */
function positionAt(code: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = code.indexOf('\n'); i !== -1 && i < offset; i = code.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
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

function instrument(code: string, facts: Survey): string {
  const { argumentUses, loops, functions, bareOperandArrows, blockDeclarations, assigned } = facts;
  const edits: Edit[] = [];
  // At one offset: closing text before opening text; closings of inner nodes (later start) first,
  // openings of outer nodes (later end) first.
  const open = (at: number, text: string, node: AnyNode) => edits.push({ at, text, rank: 1e9 - node.end });
  const close = (at: number, text: string, node: AnyNode) =>
    edits.push({ at, text, rank: -1e9 - node.start });

  for (const arrow of bareOperandArrows) {
    open(arrow.start, '(', arrow);
    close(arrow.end, ')', arrow);
  }

  // Item 5: one `let` of all a block's names at its start; each statement assigns in its place.
  const namesOfBlock = new Map<AnyNode, string[]>();
  for (const { declaration, block } of blockDeclarations) {
    const { kind, declarations: declarators } = declaration as unknown as {
      kind: string;
      declarations: { id: AnyNode & { name: string }; init: AnyNode | null }[];
    };
    if (kind === 'const' && declarators.some((d) => assigned.has(d.id.name))) continue;
    const names = namesOfBlock.get(block) ?? [];
    namesOfBlock.set(block, names);
    edits.push({ at: declaration.start, to: declaration.start + kind.length, text: ';', rank: REPLACE });
    for (const { id, init } of declarators) {
      names.push(id.name);
      if (!init) close(id.end, ' = void 0', id);
    }
  }
  for (const [block, names] of namesOfBlock) {
    const at = block.type === 'Program' ? afterDirectives(block, 0) : afterDirectives(block);
    open(at, `let ${names.join(', ')};`, block);
  }

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
  let out = '';
  let from = 0;
  for (const e of edits) {
    out += code.slice(from, e.at) + e.text;
    from = e.to ?? e.at;
  }
  return out + code.slice(from);
}

/** Where statements may be inserted in a function body (or the program): after its directive prologue. */
function afterDirectives(body: AnyNode, start = body.start + 1): number {
  let at = start;
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
