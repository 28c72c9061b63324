// The one JavaScript parser of the toolchain (checker, sandbox, compiler): acorn, configured for
// sandboxed JavaScript, which GTM runs as the body of a function (so top-level `return` is legal).
// It parses the newest syntax on purpose: what the sandbox forbids is reported by the checker's
// rules with a precise message, not as a bare syntax error.

import { parse as acornParse, type Program } from 'acorn';

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
