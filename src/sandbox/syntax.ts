// Syntax GTM's sandbox refuses at compile time but V8 would run: rejected before running, so a
// template cannot pass here and then fail to save in GTM (format notes §5.2). Only constructs with
// documented or strong evidence: `new` and `this` (Google's docs), regex literals, template
// literals, try/catch/throw (absent from all real templates; GTM's own docs design around them),
// classes, generators and async functions. And, as GTM reports "Attempting to use undeclared
// variable X", a name used but declared nowhere in the code (a flat check: GTM's is per scope, so
// this one is slightly more lenient).

import type { AnyNode, Program } from 'acorn';
import { full, simple } from 'acorn-walk';
import { parseSandboxJs } from '../js/parse.js';

export interface SyntaxProblem {
  message: string;
  line: number;
  column: number;
}

function describeNode(node: AnyNode): string | undefined {
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

/** Names every sandboxed function may use without declaring them. */
const ALWAYS_DEFINED = ['data', 'require', 'undefined', 'NaN', 'Infinity', 'arguments'];

/**
 * The first construct GTM's sandbox would refuse, or a syntax error; `undefined` when fine.
 * `globals`: further names the code may use undeclared (the test API in scenarios).
 */
export function unsupportedSyntax(code: string, globals: readonly string[] = []): SyntaxProblem | undefined {
  const parsed = parseSandboxJs(code);
  if (!parsed.ok) return parsed.error;
  return unsupportedIn(parsed.program, globals);
}

/** `unsupportedSyntax` for code already parsed. */
export function unsupportedIn(program: Program, globals: readonly string[] = []): SyntaxProblem | undefined {
  const declared = new Set<string>([...ALWAYS_DEFINED, ...globals]);
  const used: AnyNode[] = [];
  // acorn-walk reports declared names (variables, parameters, function names) as the pseudo-type
  // `VariablePattern`, and only expression uses as `Identifier` (property keys are skipped).
  const visitors: Record<string, (n: AnyNode) => void> = {
    VariablePattern: (n) => declared.add((n as unknown as { name: string }).name),
    Identifier: (n) => used.push(n),
  };
  simple(program, visitors as Parameters<typeof simple>[1]);
  const undeclared = used.find((n) => !declared.has((n as unknown as { name: string }).name));
  let problem: SyntaxProblem | undefined;
  full(program, (n) => {
    if (problem) return;
    const what = describeNode(n as AnyNode);
    if (what) {
      problem = {
        message: `GTM's sandboxed JavaScript does not support ${what}`,
        line: n.loc?.start.line ?? 1,
        column: (n.loc?.start.column ?? 0) + 1,
      };
    }
  });
  if (!problem && undeclared) {
    problem = {
      message: `Attempting to use undeclared variable ${(undeclared as unknown as { name: string }).name}`,
      line: undeclared.loc?.start.line ?? 1,
      column: (undeclared.loc?.start.column ?? 0) + 1,
    };
  }
  return problem;
}
