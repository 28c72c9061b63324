// Syntax GTM's sandbox refuses at compile time but V8 would run: rejected before running, so a
// template cannot pass here and then fail to save in GTM (format notes §5.2). Only constructs with
// documented or strong evidence: `new` and `this` (Google's docs), regex literals, template
// literals, try/catch/throw (absent from all real templates; GTM's own docs design around them),
// classes, generators and async functions. Undeclared variables are the checker's job.

import type { AnyNode } from 'acorn';
import { full } from 'acorn-walk';
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

/** The first construct GTM's sandbox would refuse, or a syntax error; `undefined` when fine. */
export function unsupportedSyntax(code: string): SyntaxProblem | undefined {
  const parsed = parseSandboxJs(code);
  if (!parsed.ok) return parsed.error;
  let problem: SyntaxProblem | undefined;
  full(parsed.program, (n) => {
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
  return problem;
}
