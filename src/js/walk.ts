// The generic AST traversal the checker's passes share: every child node of a node, in source
// order, whatever its type (so newer syntax is visited too, and then reported by name).
//
// Child keys come from a table per node type (ESTree, as acorn produces it), which is several
// times faster than looking at every property of every node; a type the table does not know
// falls back to scanning its properties, so nothing is ever skipped.

import type { AnyNode, Program } from 'acorn';

/** Keys that never hold child nodes (`value` does: a Property's value is a node). */
const LEAF_KEYS = new Set(['type', 'start', 'end', 'loc', 'range', 'raw', 'regex', 'bigint']);

/** The keys holding child nodes, per ESTree node type, in source order. */
const CHILD_KEYS: Readonly<Record<string, readonly string[]>> = {
  Program: ['body'],
  Identifier: [],
  Literal: [],
  PrivateIdentifier: [],
  Super: [],
  ThisExpression: [],
  EmptyStatement: [],
  DebuggerStatement: [],
  MetaProperty: ['meta', 'property'],
  ExpressionStatement: ['expression'],
  BlockStatement: ['body'],
  StaticBlock: ['body'],
  ReturnStatement: ['argument'],
  LabeledStatement: ['label', 'body'],
  BreakStatement: ['label'],
  ContinueStatement: ['label'],
  IfStatement: ['test', 'consequent', 'alternate'],
  SwitchStatement: ['discriminant', 'cases'],
  SwitchCase: ['test', 'consequent'],
  ThrowStatement: ['argument'],
  TryStatement: ['block', 'handler', 'finalizer'],
  CatchClause: ['param', 'body'],
  WhileStatement: ['test', 'body'],
  DoWhileStatement: ['body', 'test'],
  ForStatement: ['init', 'test', 'update', 'body'],
  ForInStatement: ['left', 'right', 'body'],
  ForOfStatement: ['left', 'right', 'body'],
  WithStatement: ['object', 'body'],
  FunctionDeclaration: ['id', 'params', 'body'],
  FunctionExpression: ['id', 'params', 'body'],
  ArrowFunctionExpression: ['params', 'body'],
  VariableDeclaration: ['declarations'],
  VariableDeclarator: ['id', 'init'],
  ClassDeclaration: ['id', 'superClass', 'body'],
  ClassExpression: ['id', 'superClass', 'body'],
  ClassBody: ['body'],
  MethodDefinition: ['key', 'value'],
  PropertyDefinition: ['key', 'value'],
  ArrayExpression: ['elements'],
  ObjectExpression: ['properties'],
  Property: ['key', 'value'],
  SpreadElement: ['argument'],
  UnaryExpression: ['argument'],
  UpdateExpression: ['argument'],
  BinaryExpression: ['left', 'right'],
  LogicalExpression: ['left', 'right'],
  AssignmentExpression: ['left', 'right'],
  ConditionalExpression: ['test', 'consequent', 'alternate'],
  CallExpression: ['callee', 'arguments'],
  NewExpression: ['callee', 'arguments'],
  MemberExpression: ['object', 'property'],
  ChainExpression: ['expression'],
  SequenceExpression: ['expressions'],
  YieldExpression: ['argument'],
  AwaitExpression: ['argument'],
  TemplateLiteral: ['quasis', 'expressions'],
  TaggedTemplateExpression: ['tag', 'quasi'],
  TemplateElement: [],
  ImportExpression: ['source', 'options'],
  ObjectPattern: ['properties'],
  ArrayPattern: ['elements'],
  RestElement: ['argument'],
  AssignmentPattern: ['left', 'right'],
  ParenthesizedExpression: ['expression'],
};

export function isNode(value: unknown): value is AnyNode {
  return !!value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string';
}

const childKeys = new Map<string, readonly string[]>(Object.entries(CHILD_KEYS));

/**
 * Calls `visit(child, context)` for each direct child node of `node`. The context is passed
 * through so a recursive walker needs no closure per node (the checker walks every node of every
 * template and scenario; those closures were a measurable share of its garbage).
 */
export function forEachChild<C>(node: AnyNode, visit: (child: AnyNode, context: C) => void, context: C): void;
export function forEachChild(node: AnyNode, visit: (child: AnyNode) => void): void;
export function forEachChild<C>(
  node: AnyNode,
  visit: (child: AnyNode, context: C | undefined) => void,
  context?: C,
): void {
  const record = node as unknown as Record<string, unknown>;
  const keys = childKeys.get(node.type);
  if (keys) {
    for (let k = 0; k < keys.length; k++) {
      const value = record[keys[k]!];
      if (value === null || value === undefined) continue;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (isNode(value[i])) visit(value[i], context);
      } else if (isNode(value)) visit(value, context);
    }
    return;
  }
  for (const key in node) {
    if (LEAF_KEYS.has(key)) continue;
    const value = record[key];
    if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) visit(v, context);
    } else if (isNode(value)) visit(value, context);
  }
}

/** Every node of a program once, in source (pre-)order, with its parent and nesting depth. */
export interface NodeList {
  nodes: AnyNode[];
  /** `parents[i]` is the parent of `nodes[i]` (undefined for the program). */
  parents: (AnyNode | undefined)[];
  /** `depths[i]` is how deeply `nodes[i]` nests (0 for the program). */
  depths: number[];
  /** The deepest nesting seen. */
  depth: number;
}

const lists = new WeakMap<Program, NodeList>();

/**
 * The nodes of `program` in pre-order, computed once per program and shared by the passes that
 * only need each node and its parent (iterative: deep code cannot overflow the stack).
 */
export function nodeList(program: Program): NodeList {
  const cached = lists.get(program);
  if (cached) return cached;
  const nodes: AnyNode[] = [];
  const parents: (AnyNode | undefined)[] = [];
  const depths: number[] = [];
  let deepest = 0;
  const stack: AnyNode[] = [program as AnyNode];
  const stackParents: (AnyNode | undefined)[] = [undefined];
  const stackDepths: number[] = [0];
  const children: AnyNode[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const parent = stackParents.pop();
    const depth = stackDepths.pop()!;
    if (depth > deepest) deepest = depth;
    nodes.push(node);
    parents.push(parent);
    depths.push(depth);
    const keys = childKeys.get(node.type);
    // Children go on the stack last first, so they come off in source order. Pushed here rather
    // than through forEachChild's callback: this loop meets every node of every program, and the
    // callback and its array made it ~30% slower in a cold run.
    if (keys) {
      const record = node as unknown as Record<string, unknown>;
      for (let k = keys.length - 1; k >= 0; k--) {
        const value = record[keys[k]!];
        if (value === null || value === undefined) continue;
        if (Array.isArray(value)) {
          for (let i = value.length - 1; i >= 0; i--) {
            const child: unknown = value[i];
            if (isNode(child)) {
              stack.push(child);
              stackParents.push(node);
              stackDepths.push(depth + 1);
            }
          }
        } else if (isNode(value)) {
          stack.push(value);
          stackParents.push(node);
          stackDepths.push(depth + 1);
        }
      }
      continue;
    }
    children.length = 0;
    forEachChild(node, collectChild, children);
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push(children[i]!);
      stackParents.push(node);
      stackDepths.push(depth + 1);
    }
  }
  const list = { nodes, parents, depths, depth: deepest };
  lists.set(program, list);
  return list;
}

function collectChild(child: AnyNode, into: AnyNode[]): void {
  into.push(child);
}

const postOrders = new WeakMap<Program, AnyNode[]>();

/**
 * The nodes of `program` children-first (post-order, children in source order), computed once.
 * Derived from `nodeList`, which the checker's passes share, rather than walked again: in
 * pre-order, a node's subtree ends at the next node that nests no deeper than it.
 */
export function postOrderNodes(program: Program): AnyNode[] {
  const cached = postOrders.get(program);
  if (cached) return cached;
  const { nodes, depths } = nodeList(program);
  const out: AnyNode[] = [];
  const open: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const depth = depths[i]!;
    while (open.length > 0 && depths[open[open.length - 1]!]! >= depth) out.push(nodes[open.pop()!]!);
    open.push(i);
  }
  while (open.length > 0) out.push(nodes[open.pop()!]!);
  postOrders.set(program, out);
  return out;
}
