// Which sandbox APIs a piece of sandboxed JavaScript requires, and what it passes to them.
// The checker compares this with the declared permissions; the compiler infers permissions from it.
//
// Scope handling is deliberately simple: a name counts as bound to `require('x')` (or to a constant
// string) when every declaration of that name in the program says so and it is never reassigned.
// Sandboxed code is small and flat; this is exact for the code GTM templates are made of.

import type { AnyNode, CallExpression, Expression, Node, Program, SpreadElement } from 'acorn';
import { nodePosition } from './parse.js';
import { postOrderNodes } from './walk.js';

export type ArgValue =
  | { kind: 'string'; value: string }
  /** Not constant, but starts with a constant string (`'https://host/' + id`). */
  | { kind: 'prefix'; prefix: string }
  | { kind: 'other' };

export interface ApiRequire {
  api: string;
  /** The variable the API was bound to, if any. */
  binding?: string;
  line: number;
  column: number;
}

export interface ApiCall {
  api: string;
  /** For object APIs (`localStorage.getItem`, `JSON.parse`): the method called. */
  method?: string;
  args: ArgValue[];
  line: number;
  column: number;
  node: CallExpression;
}

/**
 * What is known of an expression without running it: a constant string (or the constant start of
 * one), another constant, or an array or object literal with what is known of each part.
 */
export type StaticValue =
  | ArgValue
  | { kind: 'constant'; value: number | boolean | null }
  | { kind: 'array'; items: StaticValue[]; complete: boolean }
  /** `complete` is false when the literal has spread or computed keys: other properties may exist. */
  | { kind: 'object'; props: Record<string, StaticValue>; complete: boolean };

export interface ApiUsage {
  requires: ApiRequire[];
  calls: ApiCall[];
  /** `require` called with something other than a constant string: permissions cannot be inferred. */
  dynamicRequires: { line: number; column: number }[];
  /** What is known of an argument (a call's `node.arguments[i]`), following constant names. */
  evaluate(node: Expression | SpreadElement | undefined): StaticValue;
}

type Binding =
  | { kind: 'api'; api: string }
  | { kind: 'string'; node: Expression }
  /** An array or object literal bound to a name that is never reassigned nor written through. */
  | { kind: 'structure'; node: Expression }
  | { kind: 'other' };

/** Collects, per variable name, what it is bound to; conflicting or reassigned names become `other`. */
function collectBindings(program: Program): Map<string, Binding> {
  const bindings = new Map<string, Binding>();
  const writtenThrough = new Set<string>();
  const bind = (name: string, binding: Binding) => {
    const prev = bindings.get(name);
    if (!prev) bindings.set(name, binding);
    else if (!(prev.kind === 'api' && binding.kind === 'api' && prev.api === binding.api)) {
      bindings.set(name, { kind: 'other' });
    }
  };
  for (const node of postOrderNodes(program)) {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier') {
      const init = node.init;
      const api = init ? requiredApi(init) : undefined;
      if (api) bind(node.id.name, { kind: 'api', api });
      else if (init && (init.type === 'ObjectExpression' || init.type === 'ArrayExpression'))
        bind(node.id.name, { kind: 'structure', node: init });
      else if (
        init &&
        (init.type === 'Literal' || init.type === 'BinaryExpression' || init.type === 'Identifier')
      ) {
        bind(node.id.name, { kind: 'string', node: init });
      } else bind(node.id.name, { kind: 'other' });
    } else if (node.type === 'AssignmentExpression' || node.type === 'UpdateExpression') {
      // `x = …`, `x++`, and writes through a structure (`opts.path = …`): no longer constant.
      const target = node.type === 'AssignmentExpression' ? node.left : node.argument;
      if (target.type === 'Identifier') bindings.set(target.name, { kind: 'other' });
      else {
        const root = rootName(target);
        if (root) writtenThrough.add(root);
      }
    } else if (node.type === 'FunctionDeclaration' && node.id) {
      bindings.set(node.id.name, { kind: 'other' });
    } else if (
      node.type === 'FunctionDeclaration' ||
      node.type === 'FunctionExpression' ||
      node.type === 'ArrowFunctionExpression'
    ) {
      for (const param of node.params)
        if (param.type === 'Identifier') bindings.set(param.name, { kind: 'other' });
    }
  }
  for (const name of writtenThrough)
    if (bindings.get(name)?.kind === 'structure') bindings.set(name, { kind: 'other' });
  return bindings;
}

/** The variable at the root of an assignment target: `x` of `x`, `x.a.b` and `x[i]`. */
function rootName(n: Node): string | undefined {
  let node = n as AnyNode;
  while (node.type === 'MemberExpression') node = node.object as AnyNode;
  return node.type === 'Identifier' ? node.name : undefined;
}

/** `require('x')` → `'x'`. */
function requiredApi(n: Node): string | undefined {
  const node = n as AnyNode;
  if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== 'require')
    return undefined;
  const arg = node.arguments[0];
  return arg && arg.type === 'Literal' && typeof arg.value === 'string' ? arg.value : undefined;
}

export class ConstantStrings {
  constructor(private readonly bindings: Map<string, Binding>) {}

  /** The value of an expression made only of string literals, `+` and constant names. */
  value(n: Node, seen: Set<string> = new Set()): string | undefined {
    const node = n as AnyNode;
    if (node.type === 'Literal') return typeof node.value === 'string' ? node.value : undefined;
    if (node.type === 'TemplateLiteral' && node.expressions.length === 0)
      return node.quasis[0]?.value.cooked ?? undefined;
    if (node.type === 'BinaryExpression' && node.operator === '+') {
      const left = this.value(node.left, seen);
      const right = left === undefined ? undefined : this.value(node.right, seen);
      return left !== undefined && right !== undefined ? left + right : undefined;
    }
    if (node.type === 'Identifier') {
      const b = this.bindings.get(node.name);
      if (!b || b.kind !== 'string' || seen.has(node.name)) return undefined;
      seen.add(node.name);
      return this.value(b.node, seen);
    }
    return undefined;
  }

  /** The constant start of a string concatenation, if it has one. */
  prefix(n: Node): string | undefined {
    const node = n as AnyNode;
    const whole = this.value(node);
    if (whole !== undefined) return whole;
    if (node.type === 'BinaryExpression' && node.operator === '+') {
      const left = this.prefix(node.left);
      if (left === undefined) return undefined;
      const leftWhole = this.value(node.left);
      if (leftWhole === undefined) return left;
      const right = this.prefix(node.right);
      return right === undefined ? leftWhole : leftWhole + right;
    }
    if (node.type === 'Identifier') {
      const b = this.bindings.get(node.name);
      return b && b.kind === 'string' ? this.prefix(b.node) : undefined;
    }
    return undefined;
  }

  arg(node: Expression | SpreadElement): ArgValue {
    if (node.type === 'SpreadElement') return { kind: 'other' };
    const value = this.value(node);
    if (value !== undefined) return { kind: 'string', value };
    const prefix = this.prefix(node);
    return prefix ? { kind: 'prefix', prefix } : { kind: 'other' };
  }

  /** What is known of `node`: strings as `arg` says, other literals, array and object literals. */
  evaluate(n: Node | undefined, seen: Set<string> = new Set()): StaticValue {
    if (!n) return { kind: 'other' };
    const node = n as AnyNode;
    if (node.type === 'SpreadElement') return { kind: 'other' };
    if (node.type === 'Literal' && typeof node.value !== 'string' && !('regex' in node && node.regex))
      return typeof node.value === 'number' || typeof node.value === 'boolean' || node.value === null
        ? { kind: 'constant', value: node.value }
        : { kind: 'other' };
    if (node.type === 'UnaryExpression' && node.operator === '!' && node.argument.type === 'Literal')
      return { kind: 'constant', value: !node.argument.value };
    if (node.type === 'UnaryExpression' && node.operator === '-' && node.argument.type === 'Literal') {
      const v = node.argument.value;
      return typeof v === 'number' ? { kind: 'constant', value: -v } : { kind: 'other' };
    }
    if (node.type === 'ArrayExpression') {
      const items = node.elements.map((e) =>
        e && e.type !== 'SpreadElement' ? this.evaluate(e, seen) : null,
      );
      return {
        kind: 'array',
        items: items.filter((i): i is StaticValue => i !== null),
        complete: items.every((i) => i !== null),
      };
    }
    if (node.type === 'ObjectExpression') {
      const props: Record<string, StaticValue> = {};
      let complete = true;
      for (const p of node.properties) {
        if (p.type !== 'Property' || p.kind !== 'init') {
          complete = false;
          continue;
        }
        const key =
          !p.computed && p.key.type === 'Identifier'
            ? p.key.name
            : p.key.type === 'Literal' && (typeof p.key.value === 'string' || typeof p.key.value === 'number')
              ? String(p.key.value)
              : undefined;
        if (key === undefined) complete = false;
        else props[key] = this.evaluate(p.value, seen);
      }
      return { kind: 'object', props, complete };
    }
    if (node.type === 'Identifier') {
      const b = this.bindings.get(node.name);
      if (b?.kind === 'structure' && !seen.has(node.name)) {
        seen.add(node.name);
        return this.evaluate(b.node, seen);
      }
    }
    return node.type === 'Identifier' ||
      node.type === 'Literal' ||
      node.type === 'BinaryExpression' ||
      node.type === 'TemplateLiteral'
      ? this.arg(node as Expression)
      : { kind: 'other' };
  }
}

export function findApiUsage(program: Program): ApiUsage {
  const bindings = collectBindings(program);
  const strings = new ConstantStrings(bindings);
  const usage: ApiUsage = {
    requires: [],
    calls: [],
    dynamicRequires: [],
    evaluate: (node) => strings.evaluate(node),
  };
  const apiOf = (n: Node): string | undefined => {
    const node = n as AnyNode;
    if (node.type === 'Identifier') {
      const b = bindings.get(node.name);
      return b?.kind === 'api' ? b.api : undefined;
    }
    return requiredApi(node);
  };

  const pos = (node: Node) => nodePosition(program, node);
  const nodes = postOrderNodes(program);
  const requireOf = new Map<Node, ApiRequire>();
  for (const node of nodes) {
    if (node.type !== 'CallExpression') continue;
    if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
      const api = requiredApi(node);
      if (api === undefined) usage.dynamicRequires.push(pos(node));
      else {
        const req: ApiRequire = { api, ...pos(node) };
        usage.requires.push(req);
        requireOf.set(node, req);
      }
      continue;
    }
    let api = apiOf(node.callee);
    let method: string | undefined;
    if (!api && node.callee.type === 'MemberExpression') {
      api = apiOf(node.callee.object);
      const prop = node.callee.property;
      method = !node.callee.computed && prop.type === 'Identifier' ? prop.name : strings.value(prop);
    }
    if (!api) continue;
    usage.calls.push({ api, method, args: node.arguments.map((a) => strings.arg(a)), ...pos(node), node });
  }

  // Attach the binding name of each require, for messages like "callInWindow (bound as `call`)".
  for (const node of nodes) {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init) {
      const req = requireOf.get(node.init);
      if (req) req.binding = node.id.name;
    }
  }
  return usage;
}
