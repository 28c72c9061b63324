// Which properties of each imported JSON file the project's code reads, so the bundle inlines only
// those. `import pkg from '../package.json'; pkg.version` must not carry the whole package.json
// (its scripts and devDependencies) into the template. esbuild drops unused top-level keys only for
// named imports; a default or namespace import keeps the whole object.
//
// The scan is syntactic and conservative: every occurrence of an import's local name counts, and
// one that is not a chain of constant property reads (passed on, spread, indexed by a variable)
// keeps the whole file.

import path from 'node:path';
import ts from 'typescript';
import type { ProjectSources } from './project.js';

/** Per absolute JSON path: the property paths read, or 'all'. */
export type JsonReads = Map<string, Set<string> | 'all'>;

const PATH_SEPARATOR = '\0';

function propertyName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (
    ts.isElementAccessExpression(node) &&
    (ts.isStringLiteral(node.argumentExpression) || ts.isNumericLiteral(node.argumentExpression))
  )
    return node.argumentExpression.text;
  return undefined;
}

/** The property path read from `id` (`pkg.a.b` → ['a', 'b']), or undefined for any other use. */
function readPath(id: ts.Identifier): string[] | undefined {
  const keys: string[] = [];
  let node: ts.Node = id;
  while (
    node.parent &&
    (ts.isPropertyAccessExpression(node.parent) || ts.isElementAccessExpression(node.parent))
  ) {
    if (node.parent.expression !== node) break;
    const name = propertyName(node.parent);
    if (name === undefined) return keys.length ? keys : undefined;
    keys.push(name);
    node = node.parent;
  }
  return keys.length ? keys : undefined;
}

/** Is this identifier a name being declared or a property key, not a use of a binding? */
function isNotAReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (!parent) return true;
  if ((ts.isPropertyAccessExpression(parent) && parent.name === id) || ts.isQualifiedName(parent))
    return true;
  if (
    (ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent)) &&
    parent.name === id
  )
    return true;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return true;
  if (ts.isTypeReferenceNode(parent) || ts.isTypeQueryNode(parent)) return true;
  return false;
}

/** Scans every TypeScript file of the project for the JSON properties it reads. */
export function findJsonReads(sources: ProjectSources): JsonReads {
  const reads: JsonReads = new Map();
  const add = (file: string, keys: string[] | 'all') => {
    const current = reads.get(file);
    if (current === 'all') return;
    if (keys === 'all') {
      reads.set(file, 'all');
      return;
    }
    const set = current ?? new Set<string>();
    set.add(keys.join(PATH_SEPARATOR));
    reads.set(file, set);
  };
  for (const [rel, text] of sources.files) {
    if (typeof text !== 'string' || !/\.m?ts$/.test(rel) || /\.d\.m?ts$/.test(rel)) continue;
    if (!/\.json['"]/.test(text)) continue;
    const file = ts.createSourceFile(rel, text, ts.ScriptTarget.ESNext, true);
    const locals = new Map<string, string>();
    for (const stmt of file.statements) {
      const spec =
        (ts.isImportDeclaration(stmt) || ts.isExportDeclaration(stmt)) &&
        stmt.moduleSpecifier &&
        ts.isStringLiteral(stmt.moduleSpecifier)
          ? stmt.moduleSpecifier.text
          : undefined;
      if (!spec || !spec.endsWith('.json') || !/^\.\.?\//.test(spec)) continue;
      const target = path.resolve(sources.root, path.dirname(rel), spec);
      if (!ts.isImportDeclaration(stmt)) {
        add(target, 'all'); // re-exported: whoever imports it may read anything
        continue;
      }
      const clause = stmt.importClause;
      if (!clause || clause.isTypeOnly) continue;
      if (clause.name) locals.set(clause.name.text, target);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) locals.set(bindings.name.text, target);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) {
          if (el.isTypeOnly) continue;
          const imported = (el.propertyName ?? el.name).text;
          if (imported === 'default') locals.set(el.name.text, target);
          else add(target, [imported]);
        }
      }
      if (!clause.name && !bindings) add(target, 'all');
    }
    if (locals.size === 0) continue;
    const visit = (node: ts.Node) => {
      if (ts.isIdentifier(node) && locals.has(node.text) && !isNotAReference(node)) {
        const target = locals.get(node.text)!;
        add(target, readPath(node) ?? 'all');
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return reads;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `value` with only the read paths kept: each path is followed while it names keys of objects, and
 * the deepest value it reaches is kept whole (`pkg.version.split` keeps `version`).
 */
export function pruneJson(value: unknown, reads: Set<string>): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  const keep = (source: Record<string, unknown>, target: Record<string, unknown>, keys: string[]) => {
    const [key, ...rest] = keys;
    if (key === undefined || !Object.prototype.hasOwnProperty.call(source, key)) return;
    const child = source[key];
    if (
      rest.length === 0 ||
      !isPlainObject(child) ||
      !Object.prototype.hasOwnProperty.call(child, rest[0]!)
    ) {
      target[key] = child;
      return;
    }
    const existing = target[key];
    if (existing === child) return;
    const next = isPlainObject(existing) ? existing : (target[key] = {} as Record<string, unknown>);
    keep(child, next as Record<string, unknown>, rest);
  };
  for (const read of [...reads].sort()) keep(value, out, read.split(PATH_SEPARATOR));
  return out;
}
