// Syntax GTM's sandbox refuses at compile time but V8 would run: rejected before running, so a
// template cannot pass here and then fail to save in GTM (format notes §5.2). Only constructs with
// documented or strong evidence: `new` and `this` (Google's docs), regex literals, template
// literals, try/catch/throw (absent from all real templates; GTM's own docs design around them),
// classes, generators and async functions. And, as GTM reports "Attempting to use undeclared
// variable X", a name used but declared nowhere in the code (a flat check: GTM's is per scope, so
// this one is slightly more lenient).

import type { AnyNode } from 'acorn';
import { requireStatementFor } from '../gtm/apis.js';
import type { ContainerContext } from '../tpl/model.js';

export interface SyntaxProblem {
  message: string;
  line: number;
  column: number;
}

/** What GTM refuses about `node`, if anything (checked on every node of the code). */
export function describeNode(node: AnyNode): string | undefined {
  switch (node.type) {
    case 'NewExpression':
      return 'the `new` keyword';
    case 'ThisExpression':
      return 'the `this` keyword';
    case 'Literal':
      return 'regex' in node && node.regex ? 'regular expression literals' : undefined;
    case 'TemplateLiteral':
      return 'template literals';
    case 'TryStatement':
      return 'try/catch';
    case 'ThrowStatement':
      return 'throw';
    case 'ClassDeclaration':
    case 'ClassExpression':
      return 'classes';
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return node.generator ? 'generator functions' : node.async ? 'async functions' : undefined;
    default:
      return undefined;
  }
}

/** Names all sandboxed code may use without declaring them. */
export const ALWAYS_DEFINED: readonly string[] = ['require', 'undefined', 'NaN', 'Infinity', 'arguments'];

/**
 * What template code has besides: `data`. Test code has not (runCode hands the data to the
 * template); GTM refuses a scenario that reads it ("Attempting to use undeclared variable data").
 */
export const TEMPLATE_GLOBALS: readonly string[] = ['data'];

export function unsupportedConstruct(what: string, line: number, column: number): SyntaxProblem {
  return { message: `GTM's sandboxed JavaScript does not support ${what}`, line, column };
}

/**
 * GTM's message for a name nothing declares; when the name is an API of `context`, followed by how
 * to obtain it (test code that uses `JSON` or `callLater` without requiring it is a common slip).
 */
export function undeclaredVariable(
  name: string,
  line: number,
  column: number,
  context?: ContainerContext,
): SyntaxProblem {
  const statement = context ? requireStatementFor(name, context) : undefined;
  const hint = statement ? ` (${name} is a sandbox API: require it first, ${statement})` : '';
  return { message: `Attempting to use undeclared variable ${name}${hint}`, line, column };
}
