// The sandboxed code → `src/main.ts`, in script style (src/compile/script-main.ts): the code stays as
// it is, at the top level with `data` in scope; `data` is declared with the form's type; each
// top-level `const x = require('api')` becomes an import from 'gtm'. A require the compiler could
// not turn back into the same binding (reassigned, declared twice, an API of the other context, a
// name that is not constant) stays a plain `require`, which is typed as well.

import type { AnyNode, Program, VariableDeclaration } from 'acorn';
import { apiInfo, type ApiContext } from '../gtm/apis.js';
import { parseSandboxJs } from '../js/parse.js';
import { patternNames } from '../js/scope.js';
import { forEachChild } from '../js/walk.js';
import { standardSyntax } from './syntax.js';

export interface MainSource {
  text?: string;
  /** Why the code could not be imported (it does not parse). */
  error?: string;
  /** The APIs imported from 'gtm', by local name. */
  imports: Map<string, string>;
  /** Arrows put in parentheses where GTM does without them and TypeScript does not (syntax.ts). */
  parenthesized?: number;
}

/** The API a declarator `x = require('api')` binds, if its argument is a constant string. */
function requiredApi(init: AnyNode | null | undefined): string | undefined {
  if (!init || init.type !== 'CallExpression') return undefined;
  const callee = init.callee;
  const arg = init.arguments[0];
  if (callee.type !== 'Identifier' || callee.name !== 'require' || init.arguments.length !== 1)
    return undefined;
  if (arg?.type !== 'Literal' || typeof arg.value !== 'string') return undefined;
  return arg.value;
}

interface NameUses {
  declared: Map<string, number>;
  assigned: Set<string>;
  /** Identifiers by name (declarations included): a name seen once is declared and never used. */
  seen: Map<string, number>;
}

/** How often each name is declared and written, anywhere in the program. */
function nameUses(program: Program): NameUses {
  const declared = new Map<string, number>();
  const assigned = new Set<string>();
  const seen = new Map<string, number>();
  const declare = (name: string) => declared.set(name, (declared.get(name) ?? 0) + 1);
  const visit = (node: AnyNode) => {
    if (node.type === 'Identifier') seen.set(node.name, (seen.get(node.name) ?? 0) + 1);
    // Property names are not uses of a variable.
    if (node.type === 'MemberExpression' && !node.computed) {
      visit(node.object as AnyNode);
      return;
    }
    if (node.type === 'Property' && !node.computed && !node.shorthand) {
      visit(node.value as AnyNode);
      return;
    }
    if (node.type === 'VariableDeclarator') patternNames(node.id).forEach(declare);
    else if (
      node.type === 'FunctionDeclaration' ||
      node.type === 'FunctionExpression' ||
      node.type === 'ArrowFunctionExpression'
    ) {
      if ('id' in node && node.id) declare(node.id.name);
      for (const param of node.params) patternNames(param).forEach(declare);
    } else if (node.type === 'CatchClause' && node.param) patternNames(node.param).forEach(declare);
    else if (node.type === 'AssignmentExpression')
      patternNames(node.left as never).forEach((n) => assigned.add(n));
    else if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier')
      assigned.add(node.argument.name);
    forEachChild(node, visit);
  };
  visit(program as AnyNode);
  return { declared, assigned, seen };
}

/** Is this top-level statement a declaration of nothing but constant requires of known APIs? */
function requireStatement(
  stmt: AnyNode,
  context: ApiContext,
  uses: NameUses,
): { name: string; api: string }[] | undefined {
  if (stmt.type !== 'VariableDeclaration') return undefined;
  const bindings: { name: string; api: string }[] = [];
  for (const d of (stmt as VariableDeclaration).declarations) {
    const api = requiredApi(d.init as AnyNode | null);
    if (!api || d.id.type !== 'Identifier') return undefined;
    const name = d.id.name;
    const info = apiInfo(api);
    if (!info || !info.contexts.includes(context)) return undefined;
    // A require never used stays as it is: it still asks for the API's permission, as in GTM.
    if (uses.declared.get(name) !== 1 || uses.assigned.has(name) || (uses.seen.get(name) ?? 0) < 2)
      return undefined;
    if (name === 'data' || name === 'require') return undefined;
    bindings.push({ name, api });
  }
  return bindings;
}

/** The text of the code with `ranges` cut out; a cut line that is left empty goes entirely. */
function cut(code: string, ranges: [number, number][]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of ranges.sort((a, b) => a[0] - b[0])) {
    let s = start;
    let e = end;
    const lineStart = code.lastIndexOf('\n', s - 1) + 1;
    const lineEnd = code.indexOf('\n', e);
    if (
      /^[ \t]*$/.test(code.slice(lineStart, s)) &&
      /^[ \t;]*$/.test(code.slice(e, lineEnd === -1 ? code.length : lineEnd))
    ) {
      s = lineStart;
      e = lineEnd === -1 ? code.length : lineEnd + 1;
    }
    out += code.slice(at, Math.max(at, s));
    at = Math.max(at, e);
  }
  return out + code.slice(at);
}

/** `import { … } from 'gtm';` on one line, or one name a line when that is too long. */
function importLine(specifiers: string[]): string {
  const line = `import { ${specifiers.join(', ')} } from 'gtm';`;
  return line.length <= 100
    ? line
    : `import {\n${specifiers.map((s) => `  ${s},`).join('\n')}\n} from 'gtm';`;
}

/** `src/main.ts` for the template's code. */
export function mainSource(
  code: string,
  options: { kind: 'TAG' | 'MACRO' | 'CLIENT'; context: ApiContext },
): MainSource {
  const imports = new Map<string, string>();
  let parsed = parseSandboxJs(code);
  if (!parsed.ok) {
    return {
      error: `the code does not parse (line ${parsed.error.line}, column ${parsed.error.column}: ${parsed.error.message})`,
      imports,
    };
  }
  const standard = standardSyntax(code, parsed.program);
  const reparsed = standard.parenthesized ? parseSandboxJs(standard.code) : undefined;
  if (reparsed?.ok) {
    code = standard.code;
    parsed = reparsed;
  }
  const uses = nameUses(parsed.program);
  const ranges: [number, number][] = [];
  for (const stmt of parsed.program.body) {
    const bindings = requireStatement(stmt as AnyNode, options.context, uses);
    if (!bindings) continue;
    for (const b of bindings) imports.set(b.name, b.api);
    ranges.push([stmt.start, stmt.end]);
  }
  const body = cut(code, ranges).replace(/^\s*\n/, '');
  const specifiers = [...imports]
    .map(([name, api]) => (name === api ? api : `${api} as ${name}`))
    .sort((a, b) => a.localeCompare(b));
  const dataType =
    options.kind === 'MACRO' ? 'VariableData' : options.kind === 'CLIENT' ? 'ClientData' : 'TagData';
  const section =
    options.context === 'SERVER' ? '___SANDBOXED_JS_FOR_SERVER___' : '___SANDBOXED_JS_FOR_WEB_TEMPLATE___';
  const lines = [
    `// The template's code, imported from ${section}.`,
    '// GTM runs it as the body of a function with `data` in scope, and so does this project: it',
    '// stays at the top level (script style).',
    ...(specifiers.length ? [importLine(specifiers)] : []),
    `import type { ${dataType} } from 'gtm';`,
    "import type { Fields } from './fields';",
    '',
    `declare const data: ${dataType}<Fields>;`,
    '',
    body.trimEnd(),
    '',
  ];
  return { text: lines.join('\n'), imports, parenthesized: reparsed?.ok ? standard.parenthesized : 0 };
}
