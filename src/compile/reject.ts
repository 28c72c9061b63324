// Stage 3: what the sandbox cannot express, found on the TypeScript sources so that every error
// names the construct, has its own code, and points at the TypeScript file, line and column.
// (The checker's `checkSandboxJs` on the final output is the safety net behind this.)
//
// Syntax rules need only the tree; two rules need the type checker: a String/Array method outside
// the sandbox's whitelist (the receiver's type says whether `x.includes` is a string method), and a
// global the sandbox does not have (the symbol says whether `Date` is TypeScript's lib global).
// A file with `// @ts-nocheck` has opted out of its types, so the method rule skips it.

import ts from 'typescript';
import type { Diagnostic } from '../diagnostics.js';
import { ARRAY_METHODS, STRING_METHODS } from '../gtm/apis.js';
import { locate, type ProjectProgram } from './program.js';

/** Globals the compiler turns into `require` calls, with the members the sandbox's versions have. */
export const REQUIRED_GLOBALS: Readonly<Record<string, readonly string[]>> = {
  Math: ['abs', 'ceil', 'floor', 'max', 'min', 'pow', 'round', 'sqrt'],
  JSON: ['parse', 'stringify'],
  Object: ['keys', 'values', 'entries', 'freeze', 'delete'],
};

interface Rule {
  code: string;
  text: string;
}

const RULES = {
  class: {
    code: 'sandbox/class',
    text: 'classes are not available in sandboxed JavaScript: use plain objects and functions',
  },
  new: {
    code: 'sandbox/new',
    text: "'new' is not available in sandboxed JavaScript: use object literals and factory functions",
  },
  this: {
    code: 'sandbox/this',
    text: "'this' is not available in sandboxed JavaScript: pass the object as a parameter",
  },
  try: {
    code: 'sandbox/try',
    text: "'try'/'catch' is not available in sandboxed JavaScript: check values before using them (e.g. JSON.parse returns undefined on bad input)",
  },
  throw: {
    code: 'sandbox/throw',
    text: "'throw' is not available in sandboxed JavaScript: return early, or call data.gtmOnFailure()",
  },
  regex: {
    code: 'sandbox/regex',
    text: 'regular expression literals are not available in sandboxed JavaScript: String match/replace/search/split take the pattern as a string',
  },
  async: {
    code: 'sandbox/async',
    text: "'async'/'await' is not available in sandboxed JavaScript: use callbacks (in server templates, the promise's then/catch)",
  },
  generator: {
    code: 'sandbox/generator',
    text: 'generators are not available in sandboxed JavaScript: use arrays and loops',
  },
  accessor: {
    code: 'sandbox/accessor',
    text: 'getters and setters are not available in sandboxed JavaScript: use a function',
  },
  taggedTemplate: {
    code: 'sandbox/tagged-template',
    text: 'tagged templates are not available in sandboxed JavaScript (plain template literals are fine)',
  },
  spreadCall: {
    code: 'sandbox/spread-call',
    text: 'spread arguments in a call (f(...args)) are not available: the sandbox has no Function.prototype.apply; pass the array itself',
  },
  delete: {
    code: 'sandbox/delete',
    text: "the 'delete' operator is not available in sandboxed JavaScript: use Object.delete(obj, key) from require('Object')",
  },
  instanceof: {
    code: 'sandbox/instanceof',
    text: "'instanceof' is not available in sandboxed JavaScript: use getType(value) from require('getType')",
  },
  in: {
    code: 'sandbox/in-operator',
    text: "the 'in' operator is not available in sandboxed JavaScript: compare obj[key] with undefined, or use Object.keys",
  },
  bigint: { code: 'sandbox/bigint', text: 'BigInt literals are not available in sandboxed JavaScript' },
  dynamicImport: {
    code: 'sandbox/dynamic-import',
    text: 'dynamic import() is not available in sandboxed JavaScript: import statically',
  },
  labeled: {
    code: 'sandbox/label',
    text: 'labelled statements are not known to work in sandboxed JavaScript: restructure the loop',
  },
  debugger: { code: 'sandbox/debugger', text: "'debugger' is not available in sandboxed JavaScript" },
  void: {
    code: 'sandbox/void',
    text: "the 'void' operator is not known to work in sandboxed JavaScript: use undefined",
  },
  doWhile: {
    code: 'sandbox/do-while',
    text: "'do … while' is not known to work in sandboxed JavaScript: use 'while'",
  },
} satisfies Record<string, Rule>;

export const REJECTION_CODES = [
  ...Object.values(RULES).map((r) => r.code),
  'sandbox/method',
  'sandbox/global-member',
  'sandbox/unknown-global',
  'sandbox/namespace-object',
];

function isTypeOnly(node: ts.Node): boolean {
  return (
    (node.kind >= ts.SyntaxKind.FirstTypeNode && node.kind <= ts.SyntaxKind.LastTypeNode) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    (ts.isImportDeclaration(node) && !!node.importClause?.isTypeOnly) ||
    (ts.isExportDeclaration(node) && node.isTypeOnly) ||
    ts.isTypeParameterDeclaration(node) ||
    ts.isHeritageClause(node) ||
    !!(ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Ambient)
  );
}

/** An identifier that names something (a property, a declaration) rather than referring to a value. */
function isNameNotReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return true;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return true;
  if (
    (ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) &&
    p.name === id
  )
    return true;
  if (ts.isBindingElement(p) && p.propertyName === id) return true;
  if (ts.isEnumMember(p) || ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return true;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p))
    return true;
  if (
    (ts.isVariableDeclaration(p) ||
      ts.isFunctionDeclaration(p) ||
      ts.isParameter(p) ||
      ts.isFunctionExpression(p)) &&
    p.name === id
  )
    return true;
  return false;
}

function isLibDeclaration(program: ts.Program, decl: ts.Declaration): boolean {
  const file = decl.getSourceFile();
  return program.isSourceFileDefaultLibrary(file) || /[\\/]typescript[\\/]lib[\\/]lib\./.test(file.fileName);
}

function isArrayLike(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (type.isUnion()) return type.types.every((t) => isArrayLike(checker, t));
  return checker.isArrayType(type) || checker.isTupleType(type);
}

function isStringLike(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.every(isStringLike);
  return !!(type.flags & ts.TypeFlags.StringLike);
}

function isNumberOrBooleanLike(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.every(isNumberOrBooleanLike);
  return !!(type.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike));
}

function isFunctionType(type: ts.Type): boolean {
  return type.getCallSignatures().length > 0;
}

/** Every construct in the project's TypeScript files that the sandbox cannot express. */
/**
 * Does the file opt out of type checking (`// @ts-nocheck` among its leading comments)? Its types
 * are then not trusted either: the rules that need types skip it (the checker still sees the output).
 */
function noCheck(file: ts.SourceFile): boolean {
  return (ts.getLeadingCommentRanges(file.text, 0) ?? []).some((r) =>
    /^\/\/\s*@ts-nocheck\b/.test(file.text.slice(r.pos, r.end)),
  );
}

export function findRejections(project: ProjectProgram, files: string[]): Diagnostic[] {
  const { program, checker } = project;
  const out: Diagnostic[] = [];
  for (const rel of files) {
    const file = project.sourceFile(rel);
    if (!file) continue;
    const typesTrusted = !noCheck(file);
    const report = (node: ts.Node, rule: Rule, detail?: string) =>
      out.push({
        code: rule.code,
        severity: 'error',
        text: detail ? `${detail}: ${rule.text}` : rule.text,
        file: rel,
        section: rel,
        ...locate(file, node.getStart(file)),
      });
    /** The keyword token of `node` (`class`, `function`), so errors point past `export`. */
    const token = (node: ts.Node, kind: ts.SyntaxKind): ts.Node =>
      node.getChildren(file).find((c) => c.kind === kind) ?? node;

    const visit = (node: ts.Node): void => {
      if (isTypeOnly(node)) return;
      switch (node.kind) {
        case ts.SyntaxKind.ClassDeclaration:
        case ts.SyntaxKind.ClassExpression:
          report(token(node, ts.SyntaxKind.ClassKeyword), RULES.class);
          return;
        case ts.SyntaxKind.NewExpression:
          report(node, RULES.new);
          break;
        case ts.SyntaxKind.ThisKeyword:
          report(node, RULES.this);
          break;
        case ts.SyntaxKind.TryStatement:
          report(node, RULES.try);
          break;
        case ts.SyntaxKind.ThrowStatement:
          report(node, RULES.throw);
          break;
        case ts.SyntaxKind.RegularExpressionLiteral:
          report(node, RULES.regex);
          break;
        case ts.SyntaxKind.AwaitExpression:
          break; // reported on the async function itself
        case ts.SyntaxKind.YieldExpression:
          break; // reported on the generator itself
        case ts.SyntaxKind.GetAccessor:
        case ts.SyntaxKind.SetAccessor:
          report(node, RULES.accessor);
          return;
        case ts.SyntaxKind.TaggedTemplateExpression:
          report(node, RULES.taggedTemplate);
          break;
        case ts.SyntaxKind.DeleteExpression:
          report(node, RULES.delete);
          break;
        case ts.SyntaxKind.VoidExpression:
          report(node, RULES.void);
          break;
        case ts.SyntaxKind.BigIntLiteral:
          report(node, RULES.bigint);
          break;
        case ts.SyntaxKind.LabeledStatement:
          report(node, RULES.labeled);
          break;
        case ts.SyntaxKind.DebuggerStatement:
          report(node, RULES.debugger);
          break;
        case ts.SyntaxKind.DoStatement:
          report(node, RULES.doWhile);
          break;
      }
      if (ts.isFunctionLike(node)) {
        const asyncModifier = ts.canHaveModifiers(node)
          ? ts.getModifiers(node)?.find((m) => m.kind === ts.SyntaxKind.AsyncKeyword)
          : undefined;
        if (asyncModifier) report(asyncModifier, RULES.async);
        const star = (node as ts.FunctionLikeDeclarationBase).asteriskToken;
        if (star)
          report(
            ts.isMethodDeclaration(node) ? star : token(node, ts.SyntaxKind.FunctionKeyword),
            RULES.generator,
          );
      }
      if (ts.isBinaryExpression(node)) {
        if (node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword)
          report(node.operatorToken, RULES.instanceof);
        if (node.operatorToken.kind === ts.SyntaxKind.InKeyword) report(node.operatorToken, RULES.in);
      }
      if (ts.isCallExpression(node)) {
        if (node.expression.kind === ts.SyntaxKind.ImportKeyword) report(node, RULES.dynamicImport);
        for (const arg of node.arguments) if (ts.isSpreadElement(arg)) report(arg, RULES.spreadCall);
      }
      if (ts.isPropertyAccessExpression(node)) checkMember(node);
      if (ts.isIdentifier(node)) checkGlobal(node);
      ts.forEachChild(node, visit);
    };

    const checkMember = (node: ts.PropertyAccessExpression) => {
      const name = node.name.text;
      const object = node.expression;
      // `Math.random`, `Object.assign`: the sandbox's Math/JSON/Object have fewer members.
      if (ts.isIdentifier(object) && Object.prototype.hasOwnProperty.call(REQUIRED_GLOBALS, object.text)) {
        const symbol = checker.getSymbolAtLocation(object);
        if (symbol?.declarations?.some((d) => isLibDeclaration(program, d))) {
          const members = REQUIRED_GLOBALS[object.text]!;
          if (!members.includes(name)) {
            out.push({
              code: 'sandbox/global-member',
              severity: 'error',
              text: `${object.text}.${name} does not exist in the sandbox: require('${object.text}') has only ${members.join(', ')}`,
              file: rel,
              section: rel,
              ...locate(file, node.name.getStart(file)),
            });
          }
          return;
        }
      }
      if (name === 'length' || !typesTrusted) return;
      const type = checker.getNonNullableType(checker.getTypeAtLocation(object));
      let allowed: readonly string[] | undefined;
      let kind = '';
      if (isStringLike(type)) [allowed, kind] = [STRING_METHODS, 'String'];
      else if (isArrayLike(checker, type)) [allowed, kind] = [ARRAY_METHODS, 'Array'];
      else if (isNumberOrBooleanLike(type)) [allowed, kind] = [['toString'], 'Number/Boolean'];
      else if (['call', 'apply', 'bind'].includes(name) && isFunctionType(type))
        [allowed, kind] = [[], 'Function'];
      if (allowed && !allowed.includes(name)) {
        out.push({
          code: 'sandbox/method',
          severity: 'error',
          text:
            `${kind} method '${name}' is not available in sandboxed JavaScript` +
            (allowed.length ? `: the sandbox keeps only ${allowed.join(', ')}` : ''),
          file: rel,
          section: rel,
          ...locate(file, node.name.getStart(file)),
        });
      }
    };

    const checkGlobal = (id: ts.Identifier) => {
      if (isNameNotReference(id)) return;
      checkNamespaceUse(id);
      if (id.text === 'undefined' || Object.prototype.hasOwnProperty.call(REQUIRED_GLOBALS, id.text)) return;
      const symbol = checker.getSymbolAtLocation(id);
      const decls = symbol?.declarations;
      if (!decls || decls.length === 0 || !decls.every((d) => isLibDeclaration(program, d))) return;
      out.push({
        code: 'sandbox/unknown-global',
        severity: 'error',
        text:
          `'${id.text}' is not available in sandboxed JavaScript: the only globals are data and require ` +
          `(Math, JSON and Object become require calls); look for a sandbox API ('gtm' module) that does the job`,
        file: rel,
        section: rel,
        ...locate(file, id.getStart(file)),
      });
    };

    // `import * as ns` is fine for `ns.name`; as a value, esbuild builds a namespace object with
    // Object.defineProperty getters, which the sandbox does not have.
    const checkNamespaceUse = (id: ts.Identifier) => {
      const p = id.parent;
      if (ts.isNamespaceImport(p) || (ts.isPropertyAccessExpression(p) && p.expression === id)) return;
      const symbol = checker.getSymbolAtLocation(id);
      if (!symbol?.declarations?.some((d) => ts.isNamespaceImport(d) || ts.isNamespaceExport(d))) return;
      out.push({
        code: 'sandbox/namespace-object',
        severity: 'error',
        text: `'${id.text}' (import * as ${id.text}) is used as a value: the bundle would need a namespace object with getters, which the sandbox cannot build; use ${id.text}.name, or import the names you need`,
        file: rel,
        section: rel,
        ...locate(file, id.getStart(file)),
      });
    };

    visit(file);
  }
  return out;
}
