// The one JavaScript parser of the toolchain (checker, sandbox, compiler): acorn, configured for
// sandboxed JavaScript, which GTM runs as the body of a function (so top-level `return` is legal).
// It parses the newest syntax on purpose: what the sandbox forbids is reported by the checker's
// rules with a precise message, not as a bare syntax error.

import { parse as acornParse, type Node, type Program } from 'acorn';

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
    const program = acornParse(code, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowReturnOutsideFunction: true,
      allowHashBang: false,
      locations,
    });
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

/** The code of programs parsed without locations, and its line starts once a position is asked. */
const sources = new WeakMap<Program, { code: string; lineStarts?: number[] }>();

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
    for (let nl = source.code.indexOf('\n'); nl !== -1; nl = source.code.indexOf('\n', nl + 1)) starts.push(nl + 1);
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
