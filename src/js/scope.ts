// Scope analysis for sandboxed JavaScript: which identifiers are used without a declaration.
// GTM compiles template code as the body of a function and refuses any free identifier that is not
// one of its globals ("Attempting to use undeclared variable X in function template."), in every
// branch, even unreachable ones. So this is a static, whole-program check.
//
// Rules (standard JavaScript scoping): `var` and function declarations belong to the enclosing
// function (hoisted); `let`, `const` and `class` to the enclosing block; parameters and a named
// function expression's own name to the function. Use before a `let` in the same block counts as
// declared: the sandbox reports undeclared names, not temporal-dead-zone errors.

import type { AnyNode, Node, Pattern, Program } from 'acorn';
import { nodePosition } from './parse.js';
import { forEachChild } from './walk.js';

export interface FreeIdentifier {
  name: string;
  /** 1-based line and column within the analysed code. */
  line: number;
  column: number;
}

export interface ScopeOptions {
  /** Names visible everywhere (e.g. `data`, `require`, `undefined`). */
  globals: ReadonlySet<string>;
}

class Scope {
  readonly names = new Set<string>();
  constructor(
    readonly parent: Scope | undefined,
    /** A non-arrow function scope: `var` lands here. */
    readonly isFunction: boolean,
    /** `arguments` exists: in every function, arrows included (GTM gives arrows their own). */
    readonly hasArguments: boolean,
  ) {}

  functionScope(): Scope {
    let s: Scope = this;
    while (!s.isFunction && s.parent) s = s.parent;
    return s;
  }

  has(name: string): boolean {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (s.names.has(name)) return true;
      if (name === 'arguments' && s.hasArguments) return true;
    }
    return false;
  }
}

/** Every identifier a pattern declares (`a`, `{a, b: [c]}`, `...rest`, `x = 1`). */
export function patternNames(pattern: Pattern | null | undefined, out: string[] = []): string[] {
  if (!pattern) return out;
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties) {
        if (p.type === 'RestElement') patternNames(p.argument, out);
        else patternNames(p.value, out);
      }
      break;
    case 'ArrayPattern':
      for (const e of pattern.elements) patternNames(e, out);
      break;
    case 'RestElement':
      patternNames(pattern.argument, out);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left, out);
      break;
    default:
      break;
  }
  return out;
}

/**
 * Adds to `into` the declarations hoisted to the function scope `node` belongs to: `var` and
 * function declarations anywhere in it, nested functions and classes excluded.
 */
function hoistDeclarations(node: AnyNode | null | undefined, into: Set<string>): void {
  if (!node) return;
  switch (node.type) {
    case 'VariableDeclaration':
      if (node.kind === 'var')
        for (const d of node.declarations) for (const n of patternNames(d.id)) into.add(n);
      return;
    case 'FunctionDeclaration':
      // Block-level function declarations are hoisted in sloppy mode too; count them everywhere.
      if (node.id) into.add(node.id.name);
      return;
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ClassDeclaration':
    case 'ClassExpression':
      return;
    default:
      break;
  }
  forEachChild(node, hoistDeclarations, into);
}

/**
 * The names bound in a program's own (function) scope: its top-level `let`, `const`, classes and
 * functions, and every `var` and function declaration outside its nested functions.
 */
export function programScopeNames(program: Program): Set<string> {
  const names = new Set<string>();
  hoistDeclarations(program as AnyNode, names);
  for (const name of topLevelDeclarations(program)) names.add(name);
  return names;
}

/** Finds identifiers used but never declared, in source order. */
export function findFreeIdentifiers(program: Program, options: ScopeOptions): FreeIdentifier[] {
  const free: FreeIdentifier[] = [];
  const reference = (node: Node & { name: string }, scope: Scope) => {
    if (scope.has(node.name) || options.globals.has(node.name)) return;
    free.push({ name: node.name, ...nodePosition(program, node) });
  };

  /** `let`/`const`/`class` declared directly in a block's statement list. */
  const declareLexical = (statements: readonly AnyNode[], scope: Scope) => {
    for (const s of statements) {
      if (s.type === 'VariableDeclaration' && s.kind !== 'var') {
        for (const d of s.declarations) for (const n of patternNames(d.id)) scope.names.add(n);
      } else if (s.type === 'ClassDeclaration' && s.id) scope.names.add(s.id.name);
      else if (s.type === 'FunctionDeclaration' && s.id) scope.names.add(s.id.name);
    }
  };

  /** Visits the expressions inside a declaring pattern (defaults, computed keys), not its names. */
  const visitPattern = (pattern: Pattern | null | undefined, scope: Scope) => {
    if (!pattern) return;
    switch (pattern.type) {
      case 'Identifier':
        return;
      case 'ObjectPattern':
        for (const p of pattern.properties) {
          if (p.type === 'RestElement') visitPattern(p.argument, scope);
          else {
            if (p.computed) visit(p.key, scope);
            visitPattern(p.value, scope);
          }
        }
        return;
      case 'ArrayPattern':
        for (const e of pattern.elements) visitPattern(e, scope);
        return;
      case 'RestElement':
        visitPattern(pattern.argument, scope);
        return;
      case 'AssignmentPattern':
        visitPattern(pattern.left, scope);
        visit(pattern.right, scope);
        return;
      default:
        // A member expression as an assignment target (`[a.b] = x`).
        visit(pattern, scope);
    }
  };

  const visitFunction = (
    node: Extract<
      AnyNode,
      { type: 'FunctionDeclaration' | 'FunctionExpression' | 'ArrowFunctionExpression' }
    >,
    outer: Scope,
  ) => {
    const isArrow = node.type === 'ArrowFunctionExpression';
    let parent = outer;
    if (node.type === 'FunctionExpression' && node.id) {
      parent = new Scope(outer, false, false);
      parent.names.add(node.id.name);
    }
    // GTM's sandbox gives an arrow its own `arguments` (see docs/diagnostics.md, "Globals").
    const scope = new Scope(parent, !isArrow, true);
    for (const p of node.params) for (const n of patternNames(p)) scope.names.add(n);
    for (const p of node.params) visitPattern(p, scope);
    if (node.body.type === 'BlockStatement') {
      hoistDeclarations(node.body, scope.names);
      declareLexical(node.body.body, scope);
      for (const s of node.body.body) visit(s, scope);
    } else {
      visit(node.body, scope);
    }
  };

  const visitChildren = (node: AnyNode, scope: Scope) => {
    forEachChild(node, visit, scope);
  };

  const visit = (n: Node | null | undefined, scope: Scope): void => {
    if (!n) return;
    const node = n as AnyNode;
    switch (node.type) {
      case 'Identifier':
        reference(node, scope);
        return;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        visitFunction(node, scope);
        return;
      case 'BlockStatement':
      case 'StaticBlock': {
        const block = new Scope(scope, false, false);
        declareLexical(node.body, block);
        for (const s of node.body) visit(s, block);
        return;
      }
      case 'SwitchStatement': {
        visit(node.discriminant, scope);
        const block = new Scope(scope, false, false);
        declareLexical(
          node.cases.flatMap((c) => c.consequent),
          block,
        );
        for (const c of node.cases) {
          visit(c.test, block);
          for (const s of c.consequent) visit(s, block);
        }
        return;
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement': {
        const loop = new Scope(scope, false, false);
        const init = node.type === 'ForStatement' ? node.init : node.left;
        if (init && init.type === 'VariableDeclaration' && init.kind !== 'var') {
          for (const d of init.declarations) for (const name of patternNames(d.id)) loop.names.add(name);
        }
        visitChildren(node, loop);
        return;
      }
      case 'VariableDeclarator':
        visitPattern(node.id, scope);
        visit(node.init, scope);
        return;
      case 'CatchClause': {
        const block = new Scope(scope, false, false);
        for (const name of patternNames(node.param)) block.names.add(name);
        visitPattern(node.param, block);
        visit(node.body, block);
        return;
      }
      case 'ClassDeclaration':
      case 'ClassExpression': {
        const inner = new Scope(scope, false, false);
        if (node.id) inner.names.add(node.id.name);
        visit(node.superClass, scope);
        visit(node.body, inner);
        return;
      }
      case 'MemberExpression':
        visit(node.object, scope);
        if (node.computed) visit(node.property, scope);
        return;
      case 'Property':
      case 'MethodDefinition':
      case 'PropertyDefinition':
        if (node.computed) visit(node.key, scope);
        visit(node.value, scope);
        return;
      case 'LabeledStatement':
        visit(node.body, scope);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'MetaProperty':
      case 'PrivateIdentifier':
      case 'Literal':
      case 'ThisExpression':
      case 'Super':
        return;
      case 'AssignmentExpression':
        if (node.left.type === 'Identifier' || node.left.type === 'MemberExpression') visit(node.left, scope);
        else visitAssignmentTarget(node.left, scope);
        visit(node.right, scope);
        return;
      default:
        visitChildren(node, scope);
    }
  };

  /** A destructuring assignment target: its identifiers are references, not declarations. */
  const visitAssignmentTarget = (pattern: Pattern, scope: Scope): void => {
    switch (pattern.type) {
      case 'ObjectPattern':
        for (const p of pattern.properties) {
          if (p.type === 'RestElement') visitAssignmentTarget(p.argument, scope);
          else {
            if (p.computed) visit(p.key, scope);
            visitAssignmentTarget(p.value, scope);
          }
        }
        return;
      case 'ArrayPattern':
        for (const e of pattern.elements) if (e) visitAssignmentTarget(e, scope);
        return;
      case 'RestElement':
        visitAssignmentTarget(pattern.argument, scope);
        return;
      case 'AssignmentPattern':
        visitAssignmentTarget(pattern.left, scope);
        visit(pattern.right, scope);
        return;
      default:
        visit(pattern, scope);
    }
  };

  // The template is itself a function body, but GTM gives it no `arguments` (only `data`).
  const top = new Scope(undefined, true, false);
  hoistDeclarations(program, top.names);
  declareLexical(program.body as AnyNode[], top);
  for (const s of program.body) visit(s, top);
  return free;
}

/** Names a program declares at its top level (`var`, `let`, `const`, functions, classes). */
export function topLevelDeclarations(program: Program): string[] {
  const names: string[] = [];
  for (const s of program.body as AnyNode[]) {
    if (s.type === 'VariableDeclaration') for (const d of s.declarations) patternNames(d.id, names);
    else if ((s.type === 'FunctionDeclaration' || s.type === 'ClassDeclaration') && s.id)
      names.push(s.id.name);
  }
  return names;
}
