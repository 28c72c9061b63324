// Part of stage 2 (lower.ts): rewrites of TypeScript's ES5 output into the shorter code a person
// would write, each one only where it provably behaves the same. They work on the parsed output and
// return text edits; an edit with `covers` replaces its whole range, and edits inside it are dropped.
//
// "Simple" expressions (a name, or member reads on one with a name or literal key) may be evaluated
// twice: reading them has no side effect in the sandbox (no getters: accessors are rejected, and
// GTM's objects are plain data), and nothing runs between the two reads.

import type { AnyNode, AssignmentExpression, Node, Program } from 'acorn';
import { full, fullAncestor } from 'acorn-walk';
import { parseSandboxJs } from '../js/parse.js';
import { findFreeIdentifiers, topLevelDeclarations } from '../js/scope.js';

export interface Edit {
  start: number;
  end: number;
  text: string;
  /** The edit replaces everything in its range: other edits inside it are dropped. */
  covers?: boolean;
}

/** The text of a simple expression, with names passed through `rename`; undefined if not simple. */
function simpleText(node: AnyNode, rename: (name: string) => string): string | undefined {
  if (node.type === 'Identifier') return rename(node.name);
  if (node.type !== 'MemberExpression' || node.optional) return undefined;
  const object = simpleText(node.object as AnyNode, rename);
  if (object === undefined) return undefined;
  const property = node.property as AnyNode;
  if (!node.computed && property.type === 'Identifier') return `${object}.${property.name}`;
  if (node.computed && property.type === 'Literal' && typeof property.value !== 'object')
    return `${object}[${property.raw}]`;
  if (node.computed && property.type === 'Identifier') return `${object}[${rename(property.name)}]`;
  return undefined;
}

/** How often each name is assigned after its declaration (`=`, `+=`, `++`, `for … in`). */
function assignmentCounts(program: Program): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  full(program, (n) => {
    const node = n as AnyNode;
    if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier') add(node.left.name);
    else if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier') add(node.argument.name);
    else if (node.type === 'ForInStatement' || node.type === 'ForOfStatement') {
      const left = node.left as AnyNode;
      if (left.type === 'Identifier') add(left.name);
      else if (left.type === 'VariableDeclaration' && left.declarations[0]?.id.type === 'Identifier')
        add(left.declarations[0].id.name);
    }
  });
  return counts;
}

/** How many declarators each name has, and how many of them give it a value. */
function declaratorCounts(program: Program): { all: Map<string, number>; withValue: Map<string, number> } {
  const all = new Map<string, number>();
  const withValue = new Map<string, number>();
  full(program, (n) => {
    const node = n as AnyNode;
    if (node.type !== 'VariableDeclarator' || node.id.type !== 'Identifier') return;
    all.set(node.id.name, (all.get(node.id.name) ?? 0) + 1);
    if (node.init) withValue.set(node.id.name, (withValue.get(node.id.name) ?? 0) + 1);
  });
  return { all, withValue };
}

/** Occurrences of `name` in `scope` (nested functions included: they may read it). */
function occurrences(scope: Node, name: string): number {
  let count = 0;
  full(scope, (m) => {
    if ((m as AnyNode).type === 'Identifier' && (m as AnyNode & { name: string }).name === name) count++;
  });
  return count;
}

/** The function a `var` among `ancestors` belongs to (or the program). */
function functionScope(ancestors: Node[], program: Program): Node {
  const kinds = ['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'];
  return [...ancestors].reverse().find((a) => kinds.includes(a.type)) ?? program;
}

/** The longest simple expression worth writing twice instead of keeping a temporary. */
const MAX_REPEATED = 16;

/** `_a = <expr>` where `_a` is one of TypeScript's temporaries: the assignment and the temporary's name. */
function tempAssignment(
  node: AnyNode,
  isTemp: (name: string) => boolean,
): { assign: AssignmentExpression; temp: string } | undefined {
  if (node.type !== 'AssignmentExpression' || node.operator !== '=' || node.left.type !== 'Identifier')
    return undefined;
  return isTemp(node.left.name) ? { assign: node, temp: node.left.name } : undefined;
}

/**
 * `(_a = x.y) != null ? _a : z` (TypeScript's `??`, and its `?.` alike) → `x.y != null ? x.y : z`
 * when `x.y` is simple: the temporary only saved a second read. Its `var _a` goes in `dropUnusedTemps`.
 */
function inlineSimpleTemps(code: string, program: Program, context: Context, edits: Edit[]): void {
  const { isTemp, rename } = context;
  full(program, (n) => {
    const node = n as AnyNode;
    if (node.type !== 'ConditionalExpression' || node.test.type !== 'LogicalExpression') return;
    // Only a test lower.ts turns into `x == null`: its second half, `_a !== void 0`, goes away.
    if (!context.isNullishTest(node.test)) return;
    const first = node.test.left as AnyNode;
    if (first.type !== 'BinaryExpression') return;
    const found = tempAssignment(first.left as AnyNode, isTemp);
    if (!found) return;
    const { assign, temp } = found;
    let text = simpleText(assign.right as AnyNode, rename);
    let tested = text;
    // `(_a = x == null ? undefined : x.y) == null ? undefined : _a.z` (`x?.y?.z`) →
    // `x == null || x.y == null ? undefined : x.y.z` (and with `!=`/`&&` under `??`).
    const inner = assign.right as AnyNode;
    if (
      text === undefined &&
      inner.type === 'ConditionalExpression' &&
      inner.test.type === 'LogicalExpression' &&
      inner.test.operator === '||' &&
      context.isNullishTest(inner.test) &&
      inner.consequent.type === 'UnaryExpression' &&
      inner.consequent.operator === 'void'
    ) {
      // The inner test reads `x` itself (not through another temporary).
      const object = simpleText((inner.test.left as AnyNode & { left: AnyNode }).left, rename);
      text = simpleText(inner.alternate as AnyNode, rename);
      const negated = node.test.operator === '&&';
      if (object !== undefined && text !== undefined)
        tested = negated ? `${object} != null && ${text}` : `${object} == null || ${text}`;
    }
    // A long expression written twice is longer than the temporary: keep that.
    if (text === undefined || tested === undefined || text.length > MAX_REPEATED) return;
    // `(_a = x.y)`, parenthesised: from the test's start up to the assignment's end and its `)`.
    const close = code.indexOf(')', assign.end);
    if (close < 0 || code.slice(assign.end, close).trim()) return;
    edits.push({ start: first.start, end: close + 1, text: tested, covers: true });
    for (const branch of [node.consequent, node.alternate])
      full(branch as Node, (m) => {
        if ((m as AnyNode).type === 'Identifier' && (m as AnyNode & { name: string }).name === temp)
          edits.push({ start: m.start, end: m.end, text });
      });
  });
}

/**
 * `var _c = o.kind, kind = _c === void 0 ? 'plain' : _c` (TypeScript's destructuring default) →
 * `var kind = o.kind === undefined ? 'plain' : o.kind` when `o.kind` is simple and short.
 */
function inlineDefaultTemps(program: Program, context: Context, edits: Edit[]): void {
  const { isTemp, rename } = context;
  fullAncestor(program, (n, _state, ancestors) => {
    const node = n as AnyNode;
    if (node.type !== 'VariableDeclaration') return;
    const scope = functionScope(ancestors, program);
    const list = node.declarations;
    for (let i = 0; i + 1 < list.length; i++) {
      const temp = list[i]!;
      const target = list[i + 1]!;
      if (temp.id.type !== 'Identifier' || !isTemp(temp.id.name) || !temp.init) continue;
      const name = temp.id.name;
      const text = simpleText(temp.init as AnyNode, rename);
      if (text === undefined || text.length > MAX_REPEATED) continue;
      const init = target.init as AnyNode | null;
      if (init?.type !== 'ConditionalExpression' || init.test.type !== 'BinaryExpression') continue;
      const { test, alternate } = init;
      const isTempRef = (e: AnyNode) => e.type === 'Identifier' && e.name === name;
      const isVoid = (e: AnyNode) => e.type === 'UnaryExpression' && e.operator === 'void';
      if (test.operator !== '===' || !isTempRef(test.left as AnyNode) || !isVoid(test.right as AnyNode))
        continue;
      if (!isTempRef(alternate as AnyNode)) continue;
      // The temporary must not be read anywhere else in its function (nor in nested ones).
      if (occurrences(scope, name) !== 3) continue;
      edits.push({ start: temp.start, end: target.start, text: '' });
      edits.push({ start: test.left.start, end: test.left.end, text, covers: true });
      edits.push({ start: alternate.start, end: alternate.end, text, covers: true });
      i++;
    }
  });
}

/**
 * `for (var _i = 0, xs_1 = xs; _i < xs_1.length; _i++)` (TypeScript's `for…of`) → `for (var _i =
 * 0; _i < xs.length; _i++)` when nothing ever assigns `xs`: the copy only guarded against that.
 */
function forOfWithoutCopy(program: Program, context: Context, edits: Edit[]): void {
  const { isTemp, rename } = context;
  const assigned = assignmentCounts(program);
  const declared = declaratorCounts(program).withValue;
  full(program, (n) => {
    const node = n as AnyNode;
    if (node.type !== 'ForStatement' || node.init?.type !== 'VariableDeclaration') return;
    const [index, copy, extra] = node.init.declarations;
    if (!index || !copy || extra || copy.id.type !== 'Identifier' || copy.init?.type !== 'Identifier') return;
    const temp = copy.id.name;
    const array = copy.init.name;
    // (`arguments` is whose-ever function reads it: it keeps its copy.)
    if (!isTemp(temp) || array === 'arguments' || assigned.has(array) || (declared.get(array) ?? 0) > 1)
      return;
    // The one value allowed is `xs`'s own declarator, which must not be inside the loop.
    let declaredInside = false;
    full(node, (m) => {
      const d = m as AnyNode;
      if (d.type === 'VariableDeclarator' && d.id.type === 'Identifier' && d.id.name === array)
        declaredInside = true;
    });
    if (declaredInside) return;
    edits.push({ start: index.end, end: copy.end, text: '' });
    full(node, (m) => {
      if (
        (m as AnyNode).type === 'Identifier' &&
        (m as AnyNode & { name: string }).name === temp &&
        m.start > copy.end
      )
        edits.push({ start: m.start, end: m.end, text: rename(array) });
    });
  });
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const ARRAY_INDEX = /^(0|[1-9]\d*)$/;

function literalValue(node: AnyNode): number | string | undefined {
  if (node.type === 'Literal' && (typeof node.value === 'number' || typeof node.value === 'string'))
    return node.value;
  if (
    node.type === 'UnaryExpression' &&
    node.operator === '-' &&
    node.argument.type === 'Literal' &&
    typeof node.argument.value === 'number'
  )
    return -node.argument.value;
  return undefined;
}

function stringKey(node: AnyNode): string | undefined {
  return node.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined;
}

/**
 * esbuild's enum, `var E = ((E2) => { E2[E2["A"] = 0] = "A"; E2["S"] = "s"; return E2; })(E || {})`,
 * → the object it builds, `{ A: 0, 0: 'A', S: 's' }`, when every member is a literal and `E` is
 * declared once (no merging with another declaration). Keys go in the same order.
 */
function enumObjects(program: Program, edits: Edit[]): void {
  const declarators = declaratorCounts(program).all;
  full(program, (n) => {
    const node = n as AnyNode;
    if (
      node.type !== 'VariableDeclarator' ||
      node.id.type !== 'Identifier' ||
      node.init?.type !== 'CallExpression'
    )
      return;
    const name = node.id.name;
    const call = node.init;
    const fn = call.callee as AnyNode;
    const arg = call.arguments[0] as AnyNode | undefined;
    if (declarators.get(name) !== 1 || call.arguments.length !== 1 || arg?.type !== 'LogicalExpression')
      return;
    if (arg.operator !== '||' || arg.left.type !== 'Identifier' || arg.left.name !== name) return;
    if (arg.right.type !== 'ObjectExpression' || arg.right.properties.length) return;
    if (fn.type !== 'FunctionExpression' && fn.type !== 'ArrowFunctionExpression') return;
    if (fn.params.length !== 1 || fn.params[0]!.type !== 'Identifier' || fn.body.type !== 'BlockStatement')
      return;
    const param = fn.params[0]!.name;
    const statements = fn.body.body;
    const last = statements[statements.length - 1];
    if (
      last?.type !== 'ReturnStatement' ||
      last.argument?.type !== 'Identifier' ||
      last.argument.name !== param
    )
      return;
    const isParamMember = (e: AnyNode): e is AnyNode & { type: 'MemberExpression' } =>
      e.type === 'MemberExpression' &&
      e.computed &&
      e.object.type === 'Identifier' &&
      e.object.name === param;
    const entries: [string, number | string][] = [];
    for (const s of statements.slice(0, -1)) {
      if (s.type !== 'ExpressionStatement' || s.expression.type !== 'AssignmentExpression') return;
      const outer = s.expression;
      if (outer.operator !== '=' || !isParamMember(outer.left as AnyNode)) return;
      const key = (outer.left as AnyNode & { property: AnyNode }).property;
      if (key.type === 'AssignmentExpression') {
        // `E2[E2["A"] = 0] = "A"`: the member and its reverse mapping.
        const inner = key.left as AnyNode;
        const member = isParamMember(inner) ? stringKey(inner.property as AnyNode) : undefined;
        const value = literalValue(key.right as AnyNode);
        if (key.operator !== '=' || member === undefined || typeof value !== 'number') return;
        if (stringKey(outer.right as AnyNode) !== member) return;
        entries.push([member, value], [String(value), member]);
      } else {
        // `E2["S"] = "s"`: a string member has no reverse mapping.
        const member = stringKey(key);
        const value = literalValue(outer.right as AnyNode);
        if (member === undefined || value === undefined) return;
        entries.push([member, value]);
      }
    }
    const keys = entries.map(([k]) => k);
    if (new Set(keys).size !== keys.length) return;
    const text = entries
      .map(
        ([k, v]) =>
          `${IDENTIFIER.test(k) || ARRAY_INDEX.test(k) ? k : JSON.stringify(k)}: ${JSON.stringify(v)}`,
      )
      .join(', ');
    edits.push({ start: call.start, end: call.end, text: `{ ${text} }`, covers: true });
  });
}

/**
 * Our `__spreadArray` has no third parameter: `__spreadArray(a, b, true)` → `__spreadArray(a, b)`.
 * With an array literal to append, `__spreadArray(a, [x, y], false)` → `a.concat([x, y])`: `a`
 * is always a new array there (TypeScript's first argument is `[]`, a literal or another
 * `__spreadArray`), and `concat` adds the literal's elements as they are.
 */
function spreadArrayCalls(program: Program, isHelper: (name: string) => boolean, edits: Edit[]): void {
  full(program, (n) => {
    const node = n as AnyNode;
    if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier') return;
    if (node.callee.name !== '__spreadArray' || !isHelper('__spreadArray') || node.arguments.length !== 3)
      return;
    const [to, from, flag] = node.arguments as AnyNode[];
    if (flag!.type !== 'Literal' || typeof flag!.value !== 'boolean') return;
    const fresh =
      to!.type === 'ArrayExpression' ||
      (to!.type === 'CallExpression' &&
        to!.callee.type === 'Identifier' &&
        to!.callee.name === '__spreadArray');
    if (
      fresh &&
      from!.type === 'ArrayExpression' &&
      from!.elements.every((e) => e && e.type !== 'SpreadElement')
    ) {
      edits.push({ start: node.start, end: to!.start, text: '' });
      edits.push({ start: to!.end, end: from!.start, text: '.concat(' });
      edits.push({ start: from!.end, end: node.end, text: ')' });
      return;
    }
    edits.push({ start: from!.end, end: flag!.end, text: '' });
  });
}

/**
 * TypeScript's rest parameter, `var rest = []; for (var _i = 1; _i < arguments.length; _i++)
 * rest[_i - 1] = arguments[_i];`: the indexes run from 0 up, so `rest.push(arguments[_i])`.
 */
function restPush(program: Program, context: Context, edits: Edit[]): void {
  full(program, (n) => {
    const node = n as AnyNode;
    if (node.type !== 'ForStatement' || node.init?.type !== 'VariableDeclaration') return;
    const counter = node.init.declarations[0];
    if (
      node.init.declarations.length !== 1 ||
      counter?.id.type !== 'Identifier' ||
      !context.isTemp(counter.id.name)
    )
      return;
    const from = counter.init as AnyNode | null;
    if (from?.type !== 'Literal' || typeof from.value !== 'number') return;
    const body =
      node.body.type === 'BlockStatement' && node.body.body.length === 1 ? node.body.body[0]! : node.body;
    if (body.type !== 'ExpressionStatement' || body.expression.type !== 'AssignmentExpression') return;
    const { left, right, operator } = body.expression;
    const i = counter.id.name;
    const isCounter = (e: AnyNode) => e.type === 'Identifier' && e.name === i;
    if (
      operator !== '=' ||
      left.type !== 'MemberExpression' ||
      !left.computed ||
      left.object.type !== 'Identifier'
    )
      return;
    const index = left.property as AnyNode;
    const offset =
      (from.value === 0 && isCounter(index)) ||
      (index.type === 'BinaryExpression' &&
        index.operator === '-' &&
        isCounter(index.left as AnyNode) &&
        index.right.type === 'Literal' &&
        index.right.value === from.value);
    const isArgument =
      right.type === 'MemberExpression' &&
      right.computed &&
      right.object.type === 'Identifier' &&
      right.object.name === 'arguments' &&
      isCounter(right.property as AnyNode);
    const test = node.test as AnyNode | null;
    const upToLength =
      test?.type === 'BinaryExpression' &&
      test.operator === '<' &&
      isCounter(test.left as AnyNode) &&
      test.right.type === 'MemberExpression' &&
      test.right.object.type === 'Identifier' &&
      test.right.object.name === 'arguments';
    if (!offset || !isArgument || !upToLength) return;
    edits.push({ start: left.object.end, end: right.start, text: '.push(' });
    edits.push({ start: right.end, end: right.end, text: ')' });
  });
}

export interface Context {
  /** A name TypeScript introduced (not in the input). */
  isTemp(name: string): boolean;
  /** A helper name the output uses without declaring it (`__spreadArray`). */
  isHelper(name: string): boolean;
  /** The name as it will be written (the bundle's stand-ins for `require` and `data`). */
  rename(name: string): string;
  /** A `x === null || x === void 0` test that lower.ts rewrites to `x == null`. */
  isNullishTest(node: AnyNode): boolean;
}

/**
 * `var o = (_a = { a: 1 }, _a[k] = 2, _a.b = 3, _a);` (TypeScript's object literal with a computed
 * key) → `var o = { a: 1 }; o[k] = 2; o.b = 3;` when the sequence does not mention `o` itself (it
 * would read `undefined` there before): the same object, built in the same order.
 */
function objectSequences(code: string, program: Program, context: Context, edits: Edit[]): void {
  fullAncestor(program, (n, _state, ancestors) => {
    const node = n as AnyNode;
    const parent = ancestors[ancestors.length - 2] as AnyNode | undefined;
    if (node.type !== 'VariableDeclaration' || node.declarations.length !== 1) return;
    if (parent?.type !== 'Program' && parent?.type !== 'BlockStatement') return;
    const d = node.declarations[0]!;
    const sequence = d.init as AnyNode | null;
    if (d.id.type !== 'Identifier' || sequence?.type !== 'SequenceExpression') return;
    const name = d.id.name;
    const parts = sequence.expressions as AnyNode[];
    const first = parts[0]!;
    const last = parts[parts.length - 1]!;
    if (first.type !== 'AssignmentExpression' || first.operator !== '=' || first.left.type !== 'Identifier')
      return;
    const temp = first.left.name;
    if (!context.isTemp(temp) || first.right.type !== 'ObjectExpression') return;
    if (last.type !== 'Identifier' || last.name !== temp) return;
    const middle = parts.slice(1, -1);
    const ok = middle.every(
      (e) =>
        e.type === 'AssignmentExpression' &&
        e.operator === '=' &&
        e.left.type === 'MemberExpression' &&
        e.left.object.type === 'Identifier' &&
        e.left.object.name === temp,
    );
    if (!ok || occurrences(sequence, name) !== 0 || occurrences(sequence, temp) !== middle.length + 2) return;
    const open = code.lastIndexOf('(', sequence.start);
    const close = code.indexOf(')', last.end);
    if (open < d.id.end || close < 0 || code.slice(open + 1, sequence.start).trim()) return;
    // Only commas between the parts (no parentheses of their own).
    const between = [first.right as AnyNode, ...middle].map((e, i) =>
      code.slice(e.end, parts[i + 1]!.start).trim(),
    );
    if (between.some((t) => t !== ',')) return;
    edits.push({ start: open, end: first.right.start, text: '' });
    let previous = first.right.end;
    for (const e of middle as (AnyNode & {
      type: 'AssignmentExpression';
      left: AnyNode & { object: AnyNode };
    })[]) {
      edits.push({ start: previous, end: e.start, text: ';\n' });
      edits.push({ start: e.left.object.start, end: e.left.object.end, text: name });
      previous = e.end;
    }
    edits.push({ start: previous, end: close + 1, text: '' });
  });
}

/** All the rewrites above, as edits on `code` (whose parse is `program`). */
export function simplifications(code: string, program: Program, context: Context): Edit[] {
  const edits: Edit[] = [];
  inlineSimpleTemps(code, program, context, edits);
  inlineDefaultTemps(program, context, edits);
  forOfWithoutCopy(program, context, edits);
  enumObjects(program, edits);
  objectSequences(code, program, context, edits);
  spreadArrayCalls(program, context.isHelper, edits);
  restPush(program, context, edits);
  return edits;
}

/**
 * Removes `var _a, _b;` declarations (no value) of temporaries nothing refers to any more, after
 * the rewrites above made them unused. Names are counted over the whole code, so a temporary
 * used anywhere is kept.
 */
export function dropUnusedTemps(code: string, isTemp: (name: string) => boolean): string {
  const parsed = parseSandboxJs(code);
  if (!parsed.ok) return code;
  const edits: Edit[] = [];
  fullAncestor(parsed.program, (n, _state, ancestors) => {
    const node = n as AnyNode;
    const parent = ancestors[ancestors.length - 2] as AnyNode | undefined;
    if (node.type !== 'VariableDeclaration' || node.kind !== 'var') return;
    if (parent?.type !== 'Program' && parent?.type !== 'BlockStatement') return;
    const scope = functionScope(ancestors, parsed.program);
    const unused = (d: (typeof node.declarations)[number]) =>
      !d.init && d.id.type === 'Identifier' && isTemp(d.id.name) && occurrences(scope, d.id.name) === 1;
    const kept = node.declarations.filter((d) => !unused(d));
    if (kept.length === node.declarations.length) return;
    let end = node.end;
    if (!kept.length) while (code[end] === ' ' || code[end] === '\n') end++;
    const text = kept.length ? `var ${kept.map((d) => code.slice(d.start, d.end)).join(', ')};` : '';
    edits.push({ start: node.start, end, text });
  });
  return applyTextEdits(code, edits);
}

/**
 * `function main(data) { … }` … `main(data);` as the last statement → `…` in its place: GTM runs
 * the template code as a function body, so main's body can be that body (a `return` in it ends
 * the code just as it ended main, which was the last thing the code did). Only when main is
 * used nowhere else, does not use `arguments`, returns no value in a tag (a variable's code
 * returns main's value either way), and none of its own names (parameter, `var`s, functions)
 * is a name the rest of the code declares at the top level or uses as a global.
 */
export function inlineMain(code: string, returnLast: boolean): string {
  const parsed = parseSandboxJs(code);
  if (!parsed.ok) return code;
  const program = parsed.program;
  const last = program.body[program.body.length - 1] as AnyNode | undefined;
  const call =
    last?.type === 'ExpressionStatement' && !returnLast
      ? last.expression
      : last?.type === 'ReturnStatement' && returnLast
        ? last.argument
        : undefined;
  if (call?.type !== 'CallExpression' || call.callee.type !== 'Identifier' || call.arguments.length > 1)
    return code;
  const arg = call.arguments[0] as AnyNode | undefined;
  if (arg && (arg.type !== 'Identifier' || arg.name !== 'data')) return code;
  const name = call.callee.name;
  const main = (program.body as AnyNode[]).find(
    (s) => s.type === 'FunctionDeclaration' && s.id?.name === name,
  ) as (AnyNode & { type: 'FunctionDeclaration' }) | undefined;
  if (!main || main.generator || main.async || main.params.length > 1 || occurrences(program, name) !== 2)
    return code;
  const param = main.params[0] as AnyNode | undefined;
  if (param && param.type !== 'Identifier') return code;
  if (param && !arg) return code;

  // main's own names, and whether it uses `arguments` or returns a value.
  // (A parameter named `data` is the global `data` once inlined.)
  const own = new Set<string>(param && param.name !== 'data' ? [param.name] : []);
  let unsafe = false;
  fullAncestor(main.body, (n, _state, ancestors) => {
    const node = n as AnyNode;
    const outer = ancestors.slice(0, -1);
    const inMain = !outer.some((a) =>
      ['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'].includes(a.type),
    );
    if (!inMain) return;
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier') own.add(node.id.name);
    else if (node.type === 'FunctionDeclaration' && node.id) own.add(node.id.name);
    else if (node.type === 'Identifier' && node.name === 'arguments') unsafe = true;
    else if (node.type === 'ReturnStatement' && node.argument && !returnLast) unsafe = true;
    else if (node.type === 'VariableDeclarator') unsafe = true; // a pattern (not lowered): leave it
  });
  if (unsafe) return code;
  // The rest of the code: its top-level names, and the globals it uses.
  const blank = (s: string, from: number, to: number) =>
    s.slice(0, from) + ' '.repeat(to - from) + s.slice(to);
  const rest = parseSandboxJs(blank(blank(code, last!.start, last!.end), main.start, main.end));
  if (!rest.ok) return code;
  const taken = new Set([
    ...topLevelDeclarations(rest.program),
    ...findFreeIdentifiers(rest.program, { globals: new Set() }).map((f) => f.name),
  ]);
  if ([...own].some((n) => taken.has(n))) return code;

  const body = code.slice(main.body.start + 1, main.body.end - 1);
  const alias = param && param.name !== 'data' ? `var ${param.name} = data;\n` : '';
  let end = main.end;
  while (code[end] === '\n') end++;
  return (
    code.slice(0, main.start) +
    code.slice(end, last!.start) +
    alias +
    body.trim() +
    '\n' +
    code.slice(last!.end)
  );
}

/** Collects groups of edits, each taken whole or not at all (when it overlaps one taken before). */
class EditGroups {
  readonly edits: Edit[] = [];
  add(...group: Edit[]): void {
    const clash = (a: Edit, b: Edit) =>
      a.start < b.end && b.start < a.end
        ? true
        : a.start === a.end
          ? b.start < a.start && a.start < b.end
          : b.start === b.end && a.start < b.start && b.start < a.end;
    if (group.some((e) => this.edits.some((t) => clash(e, t)))) return;
    this.edits.push(...group);
  }
}

function applyTextEdits(code: string, edits: Edit[]): string {
  edits.sort((a, b) => b.start - a.start);
  let out = code;
  let limit = Infinity;
  for (const e of edits) {
    if (e.end > limit) continue; // overlaps one already applied: leave it for correctness
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/** Whether `node` is an ordinary or arrow function (a `var` scope). */
function isFunction(node: AnyNode): boolean {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression'
  );
}

/**
 * Rewrites on the finished code, where moving text is safe (no edits pending inside it):
 * - TypeScript's `var _loop_1 = (i) => { … }; for (…) _loop_1(i);` (a closure per iteration, so
 *   that closures in the body keep their own `let i`) → `for (…) ((i) => { … })(i);`, the same
 *   closure per iteration written in place, when the loop calls it once and nothing else does;
 * - `var x = e; return x;` → `return e;` when `x` is used nowhere else in its function;
 * - `(_c = (_b = a) != null ? _b : b) != null ? _c : c` (`a ?? b ?? c`, grouped to the left) →
 *   `(_b = a) != null ? _b : (_c = b) != null ? _c : c` (grouped to the right: `??` is
 *   associative, and the chain reads flat).
 */
export function inlineSingleUse(code: string, isTemp: (name: string) => boolean): string {
  const parsed = parseSandboxJs(code);
  if (!parsed.ok) return code;
  const groups = new EditGroups();
  fullAncestor(parsed.program, (n, _state, ancestors) => {
    const node = n as AnyNode;
    if (node.type !== 'BlockStatement' && node.type !== 'Program') return;
    const scope = isFunction((ancestors[ancestors.length - 2] ?? node) as AnyNode)
      ? (ancestors[ancestors.length - 2] as Node)
      : functionScope(ancestors, parsed.program);
    const body = node.body as AnyNode[];
    for (let i = 0; i + 1 < body.length; i++) {
      const decl = body[i]!;
      const next = body[i + 1]!;
      if (decl.type !== 'VariableDeclaration' || decl.declarations.length !== 1) continue;
      const d = decl.declarations[0]!;
      if (d.id.type !== 'Identifier' || !d.init) continue;
      const name = d.id.name;
      if (occurrences(scope, name) !== 2) continue;
      const init = d.init as AnyNode;
      if (
        next.type === 'ReturnStatement' &&
        next.argument?.type === 'Identifier' &&
        next.argument.name === name
      ) {
        groups.add({ start: decl.start, end: next.end, text: `return ${code.slice(init.start, init.end)};` });
        i++;
        continue;
      }
      // The loop function: a temporary holding a function, called as the loop's body statement.
      if (!isTemp(name) || (init.type !== 'ArrowFunctionExpression' && init.type !== 'FunctionExpression'))
        continue;
      if (init.type === 'FunctionExpression' && init.id) continue;
      if (next.type !== 'ForStatement' && next.type !== 'ForInStatement') continue;
      const loopBody = next.body as AnyNode;
      const statement =
        loopBody.type === 'BlockStatement' && loopBody.body.length === 1 ? loopBody.body[0]! : loopBody;
      if (statement.type !== 'ExpressionStatement' || statement.expression.type !== 'CallExpression')
        continue;
      const callee = statement.expression.callee as AnyNode;
      if (callee.type !== 'Identifier' || callee.name !== name) continue;
      let fn = code.slice(init.start, init.end);
      // `(i) => { f(i); }` → `(i) => f(i)`: the call's value is not used.
      const only =
        init.body.type === 'BlockStatement' && init.body.body.length === 1 ? init.body.body[0]! : undefined;
      if (init.type === 'ArrowFunctionExpression' && only?.type === 'ExpressionStatement') {
        const expr = code.slice(only.expression.start, only.expression.end);
        const wrapped =
          only.expression.type === 'ObjectExpression' || only.expression.type === 'SequenceExpression';
        fn = code.slice(init.start, init.body.start) + (wrapped ? `(${expr})` : expr);
      }
      let end = decl.end;
      while (code[end] === ' ' || code[end] === '\n') end++;
      groups.add(
        { start: decl.start, end, text: '' },
        { start: callee.start, end: callee.end, text: `(${fn})` },
      );
      i++;
    }
  });
  full(parsed.program, (n) => {
    const node = n as AnyNode;
    const tempTest = (e: AnyNode) => {
      if (
        e.type !== 'ConditionalExpression' ||
        e.test.type !== 'BinaryExpression' ||
        e.test.operator !== '!='
      )
        return undefined;
      const assign = e.test.left as AnyNode;
      const right = e.test.right as AnyNode;
      if (right.type !== 'Literal' || right.value !== null || assign.type !== 'AssignmentExpression')
        return undefined;
      if (assign.operator !== '=' || assign.left.type !== 'Identifier' || !isTemp(assign.left.name))
        return undefined;
      const consequent = e.consequent as AnyNode;
      if (consequent.type !== 'Identifier' || consequent.name !== assign.left.name) return undefined;
      return assign;
    };
    const outer = tempTest(node);
    const inner = outer && (outer.right as AnyNode);
    if (!outer || !inner || !tempTest(inner) || inner.type !== 'ConditionalExpression') return;
    const open = code.lastIndexOf('(', outer.start);
    if (open < 0 || code.slice(open + 1, outer.start).trim()) return;
    const alternate = inner.alternate as AnyNode;
    groups.add(
      { start: open, end: inner.start, text: '' },
      { start: alternate.start, end: alternate.start, text: `(${(outer.left as { name: string }).name} = ` },
    );
  });
  return applyTextEdits(code, groups.edits);
}

/**
 * On the finished code: `(_a = x == null ? undefined : x.f(…)) != null ? _a : z` (`x?.f(…) ?? z`)
 * → `x != null && (_a = x.f(…)) != null ? _a : z`, and `… == null ? undefined : _a.y` (`x?.f(…)
 * ?.y`) → `x == null || (_a = x.f(…)) == null ? undefined : _a.y`: the same tests, in the same
 * order, without the inner `?:`. The branch taken when `x` is null must not read `_a` (it is
 * not assigned there any more).
 */
export function flattenOptionalTemps(code: string, isTemp: (name: string) => boolean): string {
  const parsed = parseSandboxJs(code);
  if (!parsed.ok) return code;
  const groups = new EditGroups();
  full(parsed.program, (n) => {
    const node = n as AnyNode;
    if (node.type !== 'ConditionalExpression' || node.test.type !== 'BinaryExpression') return;
    const { operator, left, right } = node.test;
    if ((operator !== '!=' && operator !== '==') || right.type !== 'Literal' || right.value !== null) return;
    const found = tempAssignment(left as AnyNode, isTemp);
    if (!found) return;
    const { assign, temp } = found;
    const inner = assign.right as AnyNode;
    if (inner.type !== 'ConditionalExpression' || inner.test.type !== 'BinaryExpression') return;
    const x = inner.test.left as AnyNode;
    const isNull = inner.test.right.type === 'Literal' && inner.test.right.value === null;
    const isUndefined = inner.consequent.type === 'Identifier' && inner.consequent.name === 'undefined';
    if (inner.test.operator !== '==' || !isNull || !isUndefined) return;
    const object = simpleText(x, (name) => name);
    const whenNull = (operator === '!=' ? node.alternate : node.consequent) as Node;
    if (object === undefined || occurrences(whenNull, temp) !== 0) return;
    const open = code.lastIndexOf('(', assign.start);
    if (open < 0 || code.slice(open + 1, assign.start).trim()) return;
    const join = operator === '!=' ? `${object} != null &&` : `${object} == null ||`;
    groups.add(
      { start: open, end: open, text: `${join} ` },
      { start: inner.start, end: inner.alternate.start, text: '' },
    );
  });
  return applyTextEdits(code, groups.edits);
}
