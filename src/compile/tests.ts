// Stage 6: test scenarios. Each `scenario(name, fn)` in `tests/*.test.ts` becomes one ___TESTS___
// scenario whose code is `fn`'s body lowered to the sandbox subset; `setup(fn)` bodies become the
// setup (concatenated across files), preceded by what the scenarios share: `require` bindings for
// the file's 'gtm' imports and the file's module-level code (declarations, or any statement). The
// data each scenario passes to `runCode` is checked against the form's schema, so a test that
// drives a field that does not exist is pointed out (a warning: GTM runs a scenario whatever its
// data holds).

import { Ajv, type ValidateFunction } from 'ajv';
import ts from 'typescript';
import type { Diagnostic } from '../diagnostics.js';
import type { TemplateTests, TestScenario } from '../tpl/model.js';
import { lower, lowerMany } from './lower.js';
import { locate, type ProjectProgram } from './program.js';

export interface TestsResult {
  tests?: TemplateTests;
  diagnostics: Diagnostic[];
}

/** The project's test files, in name order. */
export function testFiles(files: Iterable<string>, testsDir: string | undefined): string[] {
  if (!testsDir) return [];
  const prefix = testsDir.replace(/^\.\//, '').replace(/\/?$/, '/');
  return [...files].filter((f) => f.startsWith(prefix) && f.endsWith('.test.ts')).sort();
}

/** A literal's value; `undefined` for anything not made of literals (then only its keys are checked). */
function staticValue(node: ts.Expression): { known: boolean; value?: unknown } {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    return { known: true, value: node.text };
  if (ts.isNumericLiteral(node)) return { known: true, value: Number(node.text) };
  if (node.kind === ts.SyntaxKind.TrueKeyword) return { known: true, value: true };
  if (node.kind === ts.SyntaxKind.FalseKeyword) return { known: true, value: false };
  if (node.kind === ts.SyntaxKind.NullKeyword) return { known: true, value: null };
  if (
    ts.isPrefixUnaryExpression(node) &&
    node.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(node.operand)
  )
    return { known: true, value: -Number(node.operand.text) };
  if (ts.isArrayLiteralExpression(node)) {
    const items = node.elements.map((e) => (ts.isSpreadElement(e) ? { known: false } : staticValue(e)));
    return items.every((i) => i.known) ? { known: true, value: items.map((i) => i.value) } : { known: false };
  }
  if (ts.isObjectLiteralExpression(node)) {
    const value: Record<string, unknown> = {};
    for (const prop of node.properties) {
      if (!ts.isPropertyAssignment(prop) || !(ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)))
        return { known: false };
      const v = staticValue(prop.initializer);
      if (!v.known) return { known: false };
      value[prop.name.text] = v.value;
    }
    return { known: true, value };
  }
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node))
    return staticValue(node.expression);
  return { known: false };
}

function unwrap(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node))
    node = node.expression;
  return node;
}

/** The function body of `scenario('x', () => {…})` / `setup(function () {…})`. */
function callbackBody(node: ts.Expression | undefined): ts.Block | undefined {
  if (!node) return undefined;
  node = unwrap(node);
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isBlock(node.body)) return node.body;
  return undefined;
}

/** The code between a block's braces, comments included (a scenario's code is kept word for word). */
function blockText(file: ts.SourceFile, block: ts.Block): string {
  return dedent(file.text.slice(block.getStart(file) + 1, block.getEnd() - 1));
}

function dedent(text: string): string {
  const lines = text.replace(/^\s*\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines
    .map((l) => l.slice(Number.isFinite(indent) ? indent : 0))
    .join('\n')
    .trim();
}

interface TestContext {
  project: ProjectProgram;
  validate: ValidateFunction;
  dataKeys: Record<string, string>;
  diagnostics: Diagnostic[];
}

/**
 * The object literal a `runCode(x)` argument stands for: the literal itself, or the initializer of
 * the variable `x` names in that scope (resolved by the type checker, so a scenario's own
 * `const mockData` is the one checked, not another scenario's).
 */
function dataLiteral(ctx: TestContext, arg: ts.Expression): ts.ObjectLiteralExpression | undefined {
  arg = unwrap(arg);
  if (ts.isIdentifier(arg)) {
    const symbol = ctx.project.checker.getSymbolAtLocation(arg);
    const decl = symbol?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
    arg = unwrap(decl.initializer);
  }
  return ts.isObjectLiteralExpression(arg) ? arg : undefined;
}

/** Finds the `runCode(x)` calls in `body` and checks each one's data object. */
function checkRunCodeData(ctx: TestContext, rel: string, file: ts.SourceFile, body: ts.Node) {
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'runCode' &&
      node.arguments[0]
    ) {
      const literal = dataLiteral(ctx, node.arguments[0]);
      if (literal) checkData(ctx, rel, file, literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
}

function checkData(ctx: TestContext, rel: string, file: ts.SourceFile, literal: ts.ObjectLiteralExpression) {
  const known: Record<string, unknown> = {};
  const nodes = new Map<string, ts.Node>();
  for (const prop of literal.properties) {
    const name =
      prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) ? prop.name.text : undefined;
    if (!name) continue;
    nodes.set(name, prop);
    if (!Object.prototype.hasOwnProperty.call(ctx.dataKeys, name)) {
      const keys = Object.keys(ctx.dataKeys);
      ctx.diagnostics.push({
        code: 'tests/unknown-field',
        severity: 'warning',
        text: `test data has '${name}', which is not a field of the form (fields: ${keys.join(', ') || 'none'})`,
        file: rel,
        section: rel,
        ...locate(file, prop.getStart(file)),
      });
      continue;
    }
    if (ts.isPropertyAssignment(prop)) {
      const v = staticValue(prop.initializer);
      if (v.known) known[name] = v.value;
    }
  }
  if (!ctx.validate(known)) {
    for (const e of ctx.validate.errors ?? []) {
      const key = e.instancePath.split('/')[1];
      if (!key) continue;
      const node = nodes.get(key) ?? literal;
      ctx.diagnostics.push({
        code: 'tests/bad-field-value',
        severity: 'warning',
        text: `test data '${e.instancePath.slice(1).replace(/\//g, '.')}' ${e.message} (the form's type for '${key}')`,
        file: rel,
        section: rel,
        ...locate(file, node.getStart(file)),
      });
    }
  }
}

/** Compiles the scenarios of `files` (project-relative test files). */
export function compileTests(
  project: ProjectProgram,
  files: string[],
  dataSchema: Record<string, unknown>,
  dataKeys: Record<string, string>,
): TestsResult {
  const diagnostics: Diagnostic[] = [];
  if (files.length === 0) return { diagnostics };
  const ctx: TestContext = {
    project,
    validate: new Ajv({ allErrors: true, strict: false }).compile(dataSchema),
    dataKeys,
    diagnostics,
  };
  const scenarios: TestScenario[] = [];
  const setupParts: string[] = [];
  const names = new Set<string>();

  for (const rel of files) {
    const file = project.sourceFile(rel);
    if (!file) continue;
    const shared: string[] = [];
    const setups: string[] = [];
    const moduleStatements: ts.Statement[] = [];
    const report = (node: ts.Node, code: string, text: string) =>
      diagnostics.push({
        code,
        severity: 'error',
        text,
        file: rel,
        section: rel,
        ...locate(file, node.getStart(file)),
      });

    for (const stmt of file.statements) {
      if (ts.isImportDeclaration(stmt)) {
        const from = (stmt.moduleSpecifier as ts.StringLiteral).text;
        if (from === 'gtm/test' || stmt.importClause?.isTypeOnly) continue;
        if (from === 'gtm') {
          const bindings = stmt.importClause?.namedBindings;
          if (bindings && ts.isNamedImports(bindings)) {
            for (const el of bindings.elements) {
              if (el.isTypeOnly) continue;
              const api = (el.propertyName ?? el.name).text;
              shared.push(`const ${el.name.text} = require('${api}');`);
            }
          }
          continue;
        }
        report(
          stmt,
          'tests/unsupported-import',
          `test files can import only from 'gtm' and 'gtm/test' (found '${from}'): GTM runs each scenario as standalone code`,
        );
        continue;
      }
      if (
        ts.isExpressionStatement(stmt) &&
        ts.isCallExpression(stmt.expression) &&
        ts.isIdentifier(stmt.expression.expression)
      ) {
        const call = stmt.expression;
        const callee = (call.expression as ts.Identifier).text;
        if (callee === 'scenario') {
          const nameArg = call.arguments[0];
          const body = callbackBody(call.arguments[1]);
          if (
            !nameArg ||
            !(ts.isStringLiteral(nameArg) || ts.isNoSubstitutionTemplateLiteral(nameArg)) ||
            !body
          ) {
            report(call, 'tests/bad-scenario', "write scenario('a constant name', () => { … })");
            continue;
          }
          if (names.has(nameArg.text))
            report(
              nameArg,
              'tests/duplicate-scenario',
              `two scenarios are named '${nameArg.text}': GTM needs unique names`,
            );
          names.add(nameArg.text);
          checkRunCodeData(ctx, rel, file, body);
          scenarios.push({ name: nameArg.text, code: blockText(file, body) });
          continue;
        }
        if (callee === 'setup') {
          const body = callbackBody(call.arguments[0]);
          if (!body) {
            report(call, 'tests/bad-setup', 'write setup(() => { … })');
            continue;
          }
          checkRunCodeData(ctx, rel, file, body);
          setups.push(blockText(file, body));
          continue;
        }
      }
      if (ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt)) continue;
      if (ts.isExportAssignment(stmt) || ts.isExportDeclaration(stmt)) {
        report(
          stmt,
          'tests/unsupported-statement',
          'a test file exports nothing: GTM runs its code as one setup',
        );
        continue;
      }
      // Any other module-level statement is setup code, in file order (as in GTM's one setup).
      moduleStatements.push(stmt);
    }
    const declarations = moduleStatements.map((s) => dedent(file.text.slice(s.getStart(file), s.getEnd())));
    const parts = [...shared, ...declarations, ...setups];
    if (parts.length) setupParts.push(parts.join('\n'));
  }

  // All scenarios are lowered in one TypeScript pass (a project may have dozens).
  lowerMany(
    scenarios.map((sc) => sc.code),
    { typescript: true },
  ).forEach((lowered, i) => {
    diagnostics.push(...lowered.errors);
    scenarios[i]!.code = lowered.code.trim();
  });
  const tests: TemplateTests = { scenarios };
  if (setupParts.length) {
    const lowered = lower(setupParts.join('\n'), { typescript: true });
    diagnostics.push(...lowered.errors);
    tests.setup = lowered.code.trim();
  }
  return { tests, diagnostics };
}
