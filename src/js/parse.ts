// The one JavaScript parser of the toolchain (checker, sandbox, compiler): acorn, configured for
// sandboxed JavaScript, which GTM runs as the body of a function (so top-level `return` is legal).
// It parses the newest syntax on purpose: what the sandbox forbids is reported by the checker's
// rules with a precise message, not as a bare syntax error.

import { Parser, tokTypes as tt, type Node, type Program } from 'acorn';

/**
 * GTM accepts an arrow function as the right operand of a binary or logical operator, where
 * standard JavaScript asks for parentheses (`x || () => y`; in the standard grammar an arrow is an
 * AssignmentExpression, not a UnaryExpression). Evidence: a published web variable template whose
 * code does `utilities[data.utilityMethod] || () => undefined` and whose 31 scenarios were run in
 * GTM's Tests tab (its notes describe how that runner behaves on their outputs); GTM stores and runs
 * such code. The arrow's body extends as far as an assignment expression would, as in parsers
 * that accept the form. Only the operand position right after an operator is opened: an arrow
 * followed by an operator (`() => {} || x`) stays a syntax error.
 */
const SandboxParser = Parser.extend(
  (Base) =>
    class extends (Base as typeof Parser) {
      /** The type of the token before the current one. */
      private previousType: { binop?: number | null } | undefined;

      // Overriding `next` (once per token) rather than `parseExprOp` (once per nesting level) keeps
      // the parser's stack use per level what acorn's own is.
      next(ignoreEscapeSequenceInKeyword?: boolean): void {
        this.previousType = (this as unknown as { type: { binop?: number | null } }).type;
        // @ts-expect-error acorn's internal parser method, not in its public types
        super.next(ignoreEscapeSequenceInKeyword);
      }

      parseMaybeUnary(refErrors: unknown, sawUnary: boolean, incDec: boolean, forInit: boolean): Node {
        const self = this as unknown as { type: unknown; start: number; potentialArrowAt: number };
        // The operand right after a binary or logical operator (after a prefix operator, acorn
        // passes sawUnary): let `(` or a name there start an arrow function.
        if (
          !sawUnary &&
          this.previousType?.binop != null &&
          (self.type === tt.parenL || self.type === tt.name)
        )
          self.potentialArrowAt = self.start;
        // @ts-expect-error acorn's internal parser method, not in its public types
        return super.parseMaybeUnary(refErrors, sawUnary, incDec, forInit);
      }
    },
);

export interface JsSyntaxError {
  message: string;
  /** 1-based line and column within the parsed code. */
  line: number;
  column: number;
}

export type JsParseResult = { ok: true; program: Program } | { ok: false; error: JsSyntaxError };

/**
 * `locations: false` leaves out line/column objects on the nodes (offsets remain), which makes the
 * parse faster where positions are rarely needed; syntax errors still carry their position.
 */
export function parseSandboxJs(
  code: string,
  { locations = true }: { locations?: boolean } = {},
): JsParseResult {
  try {
    const program = SandboxParser.parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowReturnOutsideFunction: true,
      allowHashBang: false,
      locations,
    }) as Program;
    if (!locations) sources.set(program, { code });
    return { ok: true, program };
  } catch (err) {
    // acorn recurses per nesting level; a stack overflow means absurdly deep code, not bad syntax.
    if (err instanceof RangeError)
      return { ok: false, error: { message: 'the code is nested too deeply to parse', line: 1, column: 1 } };
    const e = err as { message?: string; loc?: { line: number; column: number } };
    const message = String(e.message ?? err).replace(/ \(\d+:\d+\)$/, '');
    return { ok: false, error: { message, line: e.loc?.line ?? 1, column: (e.loc?.column ?? 0) + 1 } };
  }
}

/** The last few `parseSandboxJsShared` results, by code. */
const recentParses = new Map<string, JsParseResult>();
const RECENT_PARSES = 4;

/**
 * `parseSandboxJs(code, { locations: false })`, remembering the last few results. A test run reads
 * a template's code twice before it runs it (the permissions GTM detects in it, then the code to
 * compile); for a large template the second parse cost as much as the first. Callers only read
 * the tree.
 */
export function parseSandboxJsShared(code: string): JsParseResult {
  let result = recentParses.get(code);
  if (!result) {
    result = parseSandboxJs(code, { locations: false });
    if (recentParses.size >= RECENT_PARSES) recentParses.delete(recentParses.keys().next().value!);
  } else recentParses.delete(code); // re-inserted below as the most recent
  recentParses.set(code, result);
  return result;
}

/** The code of programs parsed without locations, and its line starts once a position is asked. */
const sources = new WeakMap<Program, { code: string; lineStarts?: number[] }>();

/**
 * Whether the text from `start` to `end` stands directly in parentheses (white space aside), e.g. an
 * arrow function written `(() => x)`.
 */
export function isParenthesized(text: string, start: number, end: number): boolean {
  let before = start - 1;
  while (before >= 0 && /\s/.test(text[before]!)) before--;
  let after = end;
  while (after < text.length && /\s/.test(text[after]!)) after++;
  return text[before] === '(' && text[after] === ')';
}

/**
 * The 1-based line and column of `node` in `program`'s code: from the node's own location, or,
 * for a program parsed with `locations: false`, from its offset.
 */
export function nodePosition(program: Program, node: Node): { line: number; column: number } {
  if (node.loc) return { line: node.loc.start.line, column: node.loc.start.column + 1 };
  const source = sources.get(program);
  if (!source) return { line: 1, column: 1 };
  if (!source.lineStarts) {
    const starts = [0];
    for (let nl = source.code.indexOf('\n'); nl !== -1; nl = source.code.indexOf('\n', nl + 1))
      starts.push(nl + 1);
    source.lineStarts = starts;
  }
  const starts = source.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= node.start) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: node.start - starts[lo]! + 1 };
}
