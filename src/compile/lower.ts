// Stage 2: lower the bundle to the sandbox subset. TypeScript's ES5 emit does the syntax
// (template literals, destructuring, default and rest parameters, spread, shorthand properties and
// methods, computed keys, optional chaining, `??`, `**`, `for…of`); its helpers are replaced with
// sandbox-safe ones (no Object.assign, no Array.prototype), emitted only when used; `void 0` becomes
// `undefined`; the `fn.call(obj, …)` TypeScript writes for optional calls becomes `fn(…)` (the
// sandbox has no `this`, nor Function.prototype.call); and the globals Math, JSON and Object become
// `require` calls.

import type { AnyNode, Node, Program } from 'acorn';
import { full, fullAncestor } from 'acorn-walk';
import ts from 'typescript';
import type { Diagnostic } from '../diagnostics.js';
import { parseSandboxJs } from '../js/parse.js';
import { DATA_STANDIN, REQUIRE_STANDIN } from './bundle.js';
import { REQUIRED_GLOBALS } from './reject.js';

/** Sandbox-safe versions of TypeScript's ES5 helpers: plain loops, no prototype methods. */
const HELPERS: Record<string, string> = {
  __assign:
    'var __assign = function (target) {\n' +
    '  for (var i = 1; i < arguments.length; i++) {\n' +
    '    var source = arguments[i];\n' +
    '    for (var key in source) target[key] = source[key];\n' +
    '  }\n' +
    '  return target;\n' +
    '};',
  __spreadArray:
    'var __spreadArray = function (to, from) {\n' +
    '  for (var i = 0; i < from.length; i++) to.push(from[i]);\n' +
    '  return to;\n' +
    '};',
  __rest:
    'var __rest = function (source, excluded) {\n' +
    '  var result = {};\n' +
    '  for (var key in source) if (excluded.indexOf(key) < 0) result[key] = source[key];\n' +
    '  return result;\n' +
    '};',
};

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

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(code: string, edits: Edit[]): string {
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

function transpileToEs5(code: string, typescript: boolean | undefined): string {
  return ts.transpileModule(code, {
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
  return finishLowering(transpileToEs5(source, options.typescript), namesIn(source), options);
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
  const edits: Edit[] = [];
  full(program, (n) => {
    const node = n as AnyNode;
    // `void 0` → `undefined`
    if (node.type === 'UnaryExpression' && node.operator === 'void' && node.argument.type === 'Literal') {
      edits.push({ start: node.start, end: node.end, text: 'undefined' });
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
  });

  const declared = declaredNames(program);
  const used = new Set<string>();
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

  let body = applyEdits(transpiled, edits);
  const prelude: string[] = [];
  for (const name of Object.keys(REQUIRED_GLOBALS)) {
    if (used.has(name)) prelude.push(`var ${name} = require('${name}');`);
  }
  for (const [name, source] of Object.entries(HELPERS)) {
    if (used.has(name)) prelude.push(source);
  }
  body = body.replace(/^\s+/, '');
  return { code: prelude.length ? prelude.join('\n') + '\n' + body : body, errors: [] };
}
