// Stage 2: lower the bundle to the sandbox subset. TypeScript's ES5 emit does the syntax
// (template literals, destructuring, default and rest parameters, spread, shorthand properties and
// methods, computed keys, optional chaining, `??`, `**`, `for…of`); its helpers are replaced with
// sandbox-safe ones (no Object.assign, no Array.prototype), emitted only when used; `void 0` becomes
// `undefined`; the `fn.call(obj, …)` TypeScript writes for optional calls becomes `fn(…)` (the
// sandbox has no `this`, nor Function.prototype.call); and the globals Math, JSON and Object become
// `require` calls. simplify.ts then rewrites TypeScript's output into the shorter code a person
// would write (fewer temporaries, no copies where nothing can change, enums as object literals,
// main's body as the code's body), each rewrite only where it behaves the same.

import type { AnyNode, CallExpression, MemberExpression, Node, Program } from 'acorn';
import { full, fullAncestor } from 'acorn-walk';
import ts from 'typescript';
import type { Diagnostic } from '../diagnostics.js';
import { isParenthesized, parseSandboxJs } from '../js/parse.js';
import { DATA_STANDIN, REQUIRE_STANDIN } from './bundle.js';
import { REQUIRED_GLOBALS } from './reject.js';
import {
  dropUnusedTemps,
  flattenOptionalTemps,
  inlineMain,
  inlineSingleUse,
  simplifications,
  type Edit,
} from './simplify.js';

/**
 * Sandbox-safe versions of TypeScript's ES5 helpers: plain loops, no prototype methods. Arrows
 * where they do not need `arguments` (shorter, and the sandbox has them).
 */
const HELPERS: Record<string, string> = {
  __assign:
    'var __assign = function (to) {\n' +
    '  for (var i = 1; i < arguments.length; i++) {\n' +
    '    var from = arguments[i];\n' +
    '    for (var k in from) to[k] = from[k];\n' +
    '  }\n' +
    '  return to;\n' +
    '};',
  __spreadArray:
    'var __spreadArray = (to, from) => {\n' +
    '  for (var i = 0; i < from.length; i++) to.push(from[i]);\n' +
    '  return to;\n' +
    '};',
  __rest:
    'var __rest = (from, omit) => {\n' +
    '  var to = {};\n' +
    '  for (var k in from) if (omit.indexOf(k) < 0) to[k] = from[k];\n' +
    '  return to;\n' +
    '};',
};

/** TypeScript's ES5 object spread calls `__assign` with two arguments: `__assign(__assign({}, a), b)`. */
const ASSIGN_TWO = [
  'var __assign = (to, from) => {',
  '  for (var k in from) to[k] = from[k];',
  '  return to;',
  '};',
].join('\n');

export interface LowerOptions {
  /** A variable template returns the value of its last statement (`return main(data);`). */
  returnLast?: boolean;
  /** The input is TypeScript (scenario code): strip the types first. */
  typescript?: boolean;
}

export interface LowerResult {
  code: string;
  errors: Diagnostic[];
}

function applyEdits(code: string, all: Edit[]): string {
  const covering = all.filter((e) => e.covers);
  const edits = all.filter((e) => e.covers || !covering.some((c) => e.start >= c.start && e.end <= c.end));
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = code;
  let limit = Infinity;
  for (const e of edits) {
    if (e.end > limit) continue; // overlapping (nested) edit: the outer one already covers it
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/**
 * Can the function expression `node` be written as an arrow where it stands? An arrow is an
 * assignment expression: it cannot be the operand of `||`, `+`, `!`, `?:`'s test, a member's object
 * or a callee (`cb || () => {}` does not parse) unless it is in parentheses.
 */
function arrowFits(node: Node, parent: AnyNode | undefined, text: string): boolean {
  if (isParenthesized(text, node.start, node.end)) return true;
  switch (parent?.type) {
    case 'CallExpression':
    case 'NewExpression':
      return parent.callee !== node;
    case 'ConditionalExpression':
      return parent.test !== node;
    case 'ArrayExpression':
    case 'Property':
    case 'VariableDeclarator':
    case 'AssignmentExpression':
    case 'AssignmentPattern':
    case 'ReturnStatement':
    case 'SequenceExpression':
    case 'ArrowFunctionExpression':
      return true;
    default:
      return false;
  }
}

/** Whether `body` refers to its function's own `arguments` (nested functions have their own). */
function usesArguments(body: Node): boolean {
  let found = false;
  const visit = (n: AnyNode): void => {
    if (found) return;
    if (n.type === 'Identifier' && n.name === 'arguments') found = true;
    if (n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration') return;
    for (const value of Object.values(n)) {
      if (Array.isArray(value)) value.forEach((v) => v && typeof v.type === 'string' && visit(v as AnyNode));
      else if (value && typeof (value as AnyNode).type === 'string') visit(value as AnyNode);
    }
  };
  (body as AnyNode & { body: AnyNode[] }).body.forEach(visit);
  return found;
}

/** `"lit".concat(…)` or a chain of `.concat(…)` calls on one: TypeScript's template literals. */
function isLiteralConcat(node: AnyNode | undefined): node is CallExpression {
  if (!node || node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return false;
  const callee = node.callee;
  if (callee.computed || callee.property.type !== 'Identifier' || callee.property.name !== 'concat')
    return false;
  if (node.arguments.some((a) => a.type === 'SpreadElement')) return false;
  const object = callee.object as AnyNode;
  return (object.type === 'Literal' && typeof object.value === 'string') || isLiteralConcat(object);
}

function literalRoot(node: CallExpression): AnyNode {
  let object = (node.callee as MemberExpression).object as AnyNode;
  while (object.type === 'CallExpression') object = (object.callee as MemberExpression).object as AnyNode;
  return object;
}

/**
 * TypeScript's `x === null || x === void 0` (and `!== … &&`) for `?.` and `??`, where both sides
 * test the same variable (or the first assigns it): the same test as `x == null`.
 */
function nullishCheck(
  node: AnyNode,
  code: string,
): { negated: boolean; operatorStart: number; nullStart: number; nullEnd: number } | undefined {
  if (node.type !== 'LogicalExpression') return undefined;
  const negated = node.operator === '&&';
  if (!negated && node.operator !== '||') return undefined;
  const op = negated ? '!==' : '===';
  const { left, right } = node;
  if (left.type !== 'BinaryExpression' || right.type !== 'BinaryExpression') return undefined;
  if (left.operator !== op || right.operator !== op) return undefined;
  if (left.right.type !== 'Literal' || left.right.value !== null) return undefined;
  const undefinedSide = right.right as AnyNode;
  const isUndefined =
    (undefinedSide.type === 'UnaryExpression' &&
      undefinedSide.operator === 'void' &&
      undefinedSide.argument.type === 'Literal') ||
    (undefinedSide.type === 'Identifier' && undefinedSide.name === 'undefined');
  if (!isUndefined || right.left.type !== 'Identifier') return undefined;
  const name = right.left.name;
  const tested = left.left as AnyNode;
  const same =
    (tested.type === 'Identifier' && tested.name === name) ||
    (tested.type === 'AssignmentExpression' &&
      tested.operator === '=' &&
      tested.left.type === 'Identifier' &&
      tested.left.name === name);
  if (!same) return undefined;
  // The operator itself (a parenthesised assignment ends before its closing parenthesis).
  const operatorStart = code.indexOf(op, left.left.end);
  return { negated, operatorStart, nullStart: left.right.start, nullEnd: left.right.end };
}

/** Every name the program declares anywhere (sandboxed code is flat; this is enough to tell free names). */
function declaredNames(program: Program): Set<string> {
  const names = new Set<string>();
  const addPattern = (p: AnyNode | null | undefined): void => {
    if (!p) return;
    if (p.type === 'Identifier') names.add(p.name);
    else if (p.type === 'ObjectPattern')
      p.properties.forEach((q) => addPattern(q.type === 'Property' ? q.value : q.argument));
    else if (p.type === 'ArrayPattern') p.elements.forEach((q) => addPattern(q));
    else if (p.type === 'AssignmentPattern') addPattern(p.left);
    else if (p.type === 'RestElement') addPattern(p.argument);
  };
  full(program, (n) => {
    const node = n as AnyNode;
    if (node.type === 'VariableDeclarator') addPattern(node.id);
    else if (
      node.type === 'FunctionDeclaration' ||
      node.type === 'FunctionExpression' ||
      node.type === 'ArrowFunctionExpression'
    ) {
      if ('id' in node && node.id) names.add(node.id.name);
      node.params.forEach((p) => addPattern(p));
    } else if (node.type === 'CatchClause') addPattern(node.param);
  });
  return names;
}

/** Identifiers used as values (not property names, not declarations). */
function referencedIdentifiers(program: Program): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  fullAncestor(program, (n, _state, ancestors) => {
    const node = n as AnyNode;
    if (node.type !== 'Identifier') return;
    const parent = ancestors[ancestors.length - 2] as AnyNode | undefined;
    if (parent?.type === 'MemberExpression' && parent.property === node && !parent.computed) return;
    if (parent?.type === 'Property' && parent.key === node && !parent.computed && !parent.shorthand) return;
    if (parent?.type === 'MethodDefinition' || parent?.type === 'LabeledStatement') return;
    if (parent?.type === 'BreakStatement' || parent?.type === 'ContinueStatement') return;
    out.push({ name: node.name, start: node.start, end: node.end });
  });
  return out;
}

/** A property name as the literal key it stands for (`'k'`, `0`), or undefined when not static. */
function staticKey(name: ts.PropertyName): string | undefined {
  const expr = ts.isComputedPropertyName(name) ? name.expression : name;
  if (ts.isIdentifier(expr) || ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr))
    return expr.text;
  if (ts.isNumericLiteral(expr)) return String(Number(expr.text));
  return undefined;
}

/**
 * Runs before TypeScript's ES5 transforms: `{ [0]: 'a', ['k']: 1 }` (esbuild inlines enum members
 * into computed keys) becomes `{ 0: 'a', k: 1 }`, the same object, so TypeScript does not build it
 * with a temporary and one assignment per key. A key that would repeat another is left computed
 * (duplicate keys in a literal are an error in ES5 strict code).
 */
const literalComputedKeys: ts.TransformerFactory<ts.SourceFile> = (context) => {
  const visit = (node: ts.Node): ts.Node => {
    node = ts.visitEachChild(node, visit, context);
    if (
      !ts.isObjectLiteralExpression(node) ||
      !node.properties.some((p) => p.name && ts.isComputedPropertyName(p.name))
    )
      return node;
    const seen = new Set<string>();
    for (const p of node.properties) {
      const key = p.name && staticKey(p.name);
      if (p.name && key === undefined) continue;
      if (key !== undefined && seen.has(key)) return node;
      if (key !== undefined) seen.add(key);
    }
    const properties = node.properties.map((p) => {
      if (!ts.isPropertyAssignment(p) || !ts.isComputedPropertyName(p.name)) return p;
      const expr = p.name.expression;
      if (ts.isStringLiteral(expr))
        return context.factory.updatePropertyAssignment(
          p,
          context.factory.createStringLiteral(expr.text),
          p.initializer,
        );
      if (ts.isNumericLiteral(expr))
        return context.factory.updatePropertyAssignment(
          p,
          context.factory.createNumericLiteral(expr.text),
          p.initializer,
        );
      return p;
    });
    // On one line, as for any short object (the printer wraps it when long).
    return context.factory.createObjectLiteralExpression(properties, false);
  };
  return (file) => ts.visitNode(file, visit) as ts.SourceFile;
};

function transpileToEs5(code: string, typescript: boolean | undefined): string {
  return ts.transpileModule(code, {
    transformers: { before: [literalComputedKeys] },
    compilerOptions: {
      target: ts.ScriptTarget.ES5,
      module: ts.ModuleKind.ESNext,
      noEmitHelpers: true,
      importHelpers: false,
      removeComments: true,
      alwaysStrict: false,
      newLine: ts.NewLineKind.LineFeed,
    },
    // TypeScript input (scenario code) has its types removed in the same pass.
    fileName: typescript ? 'scenario.ts' : 'template.js',
    reportDiagnostics: false,
  }).outputText;
}

/** Every name the input spells: a name TypeScript introduces (`_a`) is one not in this set. */
function namesIn(source: string): Set<string> {
  // A word inside a string only makes the set larger, which keeps the `.call` rewrite conservative.
  return new Set(source.match(/[A-Za-z_$][\w$]*/g) ?? []);
}

/**
 * Lowers ES2020 `code` (the bundle, or a scenario's code) to the sandbox subset. `errors` are only
 * internal faults (TypeScript could not transpile): user-facing rejections come from stage 3.
 */
export function lower(source: string, options: LowerOptions = {}): LowerResult {
  const result = finishLowering(transpileToEs5(source, options.typescript), namesIn(source), options);
  // Code that does not parse in the first place is not a fault of the lowering: the type check
  // reports its syntax errors, in the user's file and line.
  if (result.errors.length && hasSyntaxErrors(source, options.typescript)) return { ...result, errors: [] };
  return result;
}

function hasSyntaxErrors(code: string, typescript: boolean | undefined): boolean {
  const out = ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ES5 },
    fileName: typescript ? 'scenario.ts' : 'template.js',
    reportDiagnostics: true,
  });
  return (out.diagnostics ?? []).some((d) => d.category === ts.DiagnosticCategory.Error);
}

/**
 * Lowers many independent pieces of code (test scenarios) with one TypeScript pass: each is
 * wrapped in its own function, and the function bodies are taken apart again afterwards.
 */
export function lowerMany(sources: string[], options: LowerOptions = {}): LowerResult[] {
  if (sources.length === 0) return [];
  const wrapper = (i: number) => `__gtmPiece${i}`;
  const joined = sources.map((s, i) => `function ${wrapper(i)}() {\n${s}\n}\n`).join('');
  const transpiled = transpileToEs5(joined, options.typescript);
  const parsed = parseSandboxJs(transpiled);
  if (!parsed.ok) return sources.map((s) => lower(s, options));
  const bodies = new Map<string, string>();
  for (const stmt of parsed.program.body) {
    if (stmt.type === 'FunctionDeclaration' && stmt.id) {
      bodies.set(stmt.id.name, transpiled.slice(stmt.body.start + 1, stmt.body.end - 1));
    }
  }
  return sources.map((s, i) => {
    const body = bodies.get(wrapper(i));
    return body === undefined ? lower(s, options) : finishLowering(dedentBlock(body), namesIn(s), options);
  });
}

function dedentBlock(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

function finishLowering(transpiled: string, originalNames: Set<string>, options: LowerOptions): LowerResult {
  const parsed = parseSandboxJs(transpiled);
  if (!parsed.ok) {
    return {
      code: transpiled,
      errors: [
        {
          code: 'lower/internal',
          severity: 'error',
          text: `lowering produced code that does not parse (${parsed.error.message}); please report this`,
          line: parsed.error.line,
          column: parsed.error.column,
        },
      ],
    };
  }
  const program = parsed.program;
  const declared = declaredNames(program);
  const rename = (name: string) =>
    name === REQUIRE_STANDIN ? 'require' : name === DATA_STANDIN ? 'data' : name;
  const edits: Edit[] = simplifications(transpiled, program, {
    isTemp: (name) => !originalNames.has(name),
    isHelper: (name) => !declared.has(name) && name in HELPERS,
    rename,
    isNullishTest: (node) => nullishCheck(node, transpiled) !== undefined,
  });
  // Ranges removed by the `== null` rewrite: edits inside them are dropped.
  const removed: [number, number][] = [];
  full(program, (n) => {
    const node = n as AnyNode;
    const check = nullishCheck(node, transpiled);
    if (check) {
      edits.push({ start: check.operatorStart, end: check.nullStart, text: check.negated ? '!= ' : '== ' });
      edits.push({ start: check.nullEnd, end: node.end, text: '' });
      removed.push([check.nullEnd, node.end]);
    }
  });
  const isRemoved = (at: number) => removed.some(([a, b]) => at >= a && at < b);
  fullAncestor(program, (n, _state, ancestors) => {
    const node = n as AnyNode;
    if (isRemoved(node.start)) return;
    // An object literal starts on the line of its `{`: the formatter then keeps it on one line
    // when it fits (it keeps an object expanded when its first key starts on a new line, and
    // TypeScript's printer breaks the lines of every object the bundle wrote over several).
    if (node.type === 'ObjectExpression' && node.properties.length) {
      const first = node.properties[0]!;
      if (!transpiled.slice(node.start + 1, first.start).trim())
        edits.push({ start: node.start + 1, end: first.start, text: ' ' });
    }
    // TypeScript's own loops (rest parameters, `_loop_1(i)` calls) get braces around their one
    // statement; `for (…) stmt;` is the same loop.
    if (node.type === 'ForStatement' && node.body.type === 'BlockStatement' && node.body.body.length === 1) {
      const only = node.body.body[0]!;
      const init = node.init?.type === 'VariableDeclaration' ? node.init.declarations[0] : undefined;
      const generated =
        (init?.id.type === 'Identifier' && !originalNames.has(init.id.name)) ||
        (only.type === 'ExpressionStatement' &&
          only.expression.type === 'CallExpression' &&
          only.expression.callee.type === 'Identifier' &&
          !originalNames.has(only.expression.callee.name));
      if (generated && only.type === 'ExpressionStatement') {
        edits.push({ start: node.body.start, end: only.start, text: '' });
        edits.push({ start: only.end, end: node.body.end, text: '' });
      }
    }
    // `void 0` → `undefined`
    if (node.type === 'UnaryExpression' && node.operator === 'void' && node.argument.type === 'Literal') {
      edits.push({ start: node.start, end: node.end, text: 'undefined' });
    }
    // TypeScript's ES5 output turns arrows into `function` expressions; the sandbox has arrows,
    // so an anonymous function that does not use `arguments` (nor `this`, rejected in stage 3)
    // goes back to one: `(n) => n * 2`.
    if (
      node.type === 'FunctionExpression' &&
      !node.id &&
      !node.generator &&
      !node.async &&
      !usesArguments(node.body) &&
      arrowFits(node, ancestors[ancestors.length - 2] as AnyNode | undefined, transpiled)
    ) {
      const open = transpiled.indexOf('(', node.start);
      const close = transpiled.lastIndexOf(')', node.body.start);
      edits.push({ start: node.start, end: open, text: '' });
      edits.push({ start: close + 1, end: node.body.start, text: ' => ' });
      const only = node.body.body.length === 1 ? node.body.body[0] : undefined;
      if (only?.type === 'ReturnStatement' && only.argument) {
        edits.push({ start: node.body.start, end: only.argument.start, text: '(' });
        edits.push({ start: only.argument.end, end: node.body.end, text: ')' });
      }
    }
    // `if (x === void 0) { x = 1; }` (TypeScript's default parameter) → `if (x === undefined) x = 1;`
    if (
      node.type === 'IfStatement' &&
      !node.alternate &&
      node.consequent.type === 'BlockStatement' &&
      node.consequent.body.length === 1 &&
      node.consequent.body[0]!.type === 'ExpressionStatement' &&
      node.test.type === 'BinaryExpression' &&
      node.test.operator === '===' &&
      node.test.right.type === 'UnaryExpression' &&
      node.test.right.operator === 'void'
    ) {
      const block = node.consequent;
      const only = block.body[0]!;
      edits.push({ start: block.start, end: only.start, text: '' });
      edits.push({ start: only.end, end: block.end, text: '' });
    }
    // `_tmp.call(obj, a)` (TypeScript's optional call on a member) → `_tmp(a)`
    if (
      node.type === 'CallExpression' &&
      node.callee.type === 'MemberExpression' &&
      !node.callee.computed &&
      node.callee.property.type === 'Identifier' &&
      node.callee.property.name === 'call' &&
      node.callee.object.type === 'Identifier' &&
      !originalNames.has(node.callee.object.name) &&
      node.arguments.length >= 1
    ) {
      // Replace `.call(thisArg, ` (or `.call(thisArg`) by `(`, leaving the arguments untouched.
      const second = node.arguments[1];
      const end = second ? second.start : node.arguments[0]!.end;
      edits.push({ start: node.callee.object.end, end, text: '(' });
    }
    // TypeScript writes a template literal as `"a".concat(x, "b")`: `('a' + x + 'b')` is the
    // same string (both convert with ToString) and what a person writes. Only the glue between
    // the arguments is edited, so edits inside the arguments still apply.
    if (isLiteralConcat(node)) {
      const parent = ancestors[ancestors.length - 2] as AnyNode | undefined;
      const outermost = !(
        parent?.type === 'MemberExpression' &&
        parent.object === node &&
        isLiteralConcat(ancestors[ancestors.length - 3] as AnyNode)
      );
      const callee = node.callee as MemberExpression;
      const args = node.arguments;
      const close = outermost ? '))' : ')';
      if (outermost) edits.push({ start: literalRoot(node).start, end: literalRoot(node).start, text: '(' });
      if (args.length === 0) {
        edits.push({ start: callee.object.end, end: node.end, text: outermost ? ')' : '' });
      } else {
        // `"" + a + "b"` is `a + "b"`: the empty start only matters before a second non-string.
        const root = callee.object as AnyNode;
        const droppable =
          root.type === 'Literal' &&
          root.value === '' &&
          args.length >= 2 &&
          args[1]!.type === 'Literal' &&
          typeof (args[1] as { value: unknown }).value === 'string';
        if (droppable) edits.push({ start: root.start, end: args[0]!.start, text: '(' });
        else edits.push({ start: callee.object.end, end: args[0]!.start, text: ' + (' });
        for (let i = 1; i < args.length; i++)
          edits.push({ start: args[i - 1]!.end, end: args[i]!.start, text: ') + (' });
        edits.push({ start: args[args.length - 1]!.end, end: node.end, text: close });
      }
    }
  });

  const used = new Set<string>();
  // Whether every `__assign` call has two arguments (then the shorter helper does).
  let assignTwo = true;
  full(program, (n) => {
    const node = n as AnyNode;
    if (
      node.type === 'CallExpression' &&
      node.callee.type === 'Identifier' &&
      node.callee.name === '__assign'
    )
      assignTwo &&= node.arguments.length === 2;
  });
  for (const ref of referencedIdentifiers(program)) {
    if (ref.name === REQUIRE_STANDIN) edits.push({ start: ref.start, end: ref.end, text: 'require' });
    else if (ref.name === DATA_STANDIN) edits.push({ start: ref.start, end: ref.end, text: 'data' });
    else if (!declared.has(ref.name)) used.add(ref.name);
  }

  if (options.returnLast) {
    const last = program.body[program.body.length - 1];
    if (last?.type === 'ExpressionStatement')
      edits.push({ start: last.start, end: last.start, text: 'return ' });
  }

  let body = dropUnusedTemps(applyEdits(transpiled, edits), (name) => !originalNames.has(name));
  body = inlineSingleUse(body, (name) => !originalNames.has(name));
  body = flattenOptionalTemps(body, (name) => !originalNames.has(name));
  body = inlineMain(body, options.returnLast ?? false);
  const prelude: string[] = [];
  for (const name of Object.keys(REQUIRED_GLOBALS)) {
    if (used.has(name)) prelude.push(`var ${name} = require('${name}');`);
  }
  for (const [name, source] of Object.entries(HELPERS)) {
    if (used.has(name)) prelude.push(name === '__assign' && assignTwo ? ASSIGN_TWO : source);
  }
  body = body.replace(/^\s+/, '');
  return { code: prelude.length ? prelude.join('\n') + '\n' + body : body, errors: [] };
}
