// The small interface the sandbox runtime needs from a JavaScript realm. The runtime and every API
// implementation use only this, so the same code can run on another realm (e.g. an iframe in a
// browser page) later; `node-realm.ts` is the Node implementation (node:vm).

/** A function that lives in the realm (template or test code, or a realm-side wrapper). */
export type RealmFunction = (...args: unknown[]) => unknown;

export interface Realm {
  /**
   * Compiles `body` as the body of a function with the given parameters, in the realm, as GTM runs
   * template code. Throws a `SandboxError` (code `sandbox/syntax`) when the code does not parse.
   */
  compileFunction(params: readonly string[], body: string, filename: string): RealmFunction;
  /**
   * Runs `thunk` (which calls into realm code) with a time limit. Nested calls share the outer
   * limit. Throws a `SandboxError` (code `sandbox/time-limit`) when the limit is hit, which `tick`
   * notices in code the runtime prepared (`prepareCode` in transform.ts).
   */
  guard<T>(thunk: () => T, timeoutMs: number): T;
  /**
   * The realm function prepared code calls at every loop iteration and function entry (it is passed
   * in as the parameter `TICK_PARAM`). It throws the time-limit error once the current `guard`'s
   * limit has passed.
   */
  readonly tick: RealmFunction;
  /**
   * Runs `thunk`, which makes several `guard` calls, under one backstop limit of `timeoutMs` for all
   * of them together: it also ends hangs no tick sees (a runaway regular expression inside a
   * built-in). `Infinity`: no backstop, only the ticks (when something outside ends hangs, as the
   * CLI's worker pool does). Optional: without it, each `guard` call is on its own.
   */
  batch?<T>(thunk: () => T, timeoutMs: number): T;
  newObject(): Record<string, unknown>;
  newArray(): unknown[];
  /** A realm function forwarding its arguments to `hostFn`, so sandbox code never holds host functions. */
  wrapHost(hostFn: (...args: unknown[]) => unknown): RealmFunction;
  /** True when `value` (an object or function) was made in this realm. */
  owns(value: object): boolean;
  /**
   * The line, in the body compiled as `filename`, of the innermost call in that body that `err`
   * was thrown through (from its stack), or undefined when the stack does not show one. Lines of
   * prepared code are those of the original (transform.ts adds no line breaks).
   */
  codeLine(err: unknown, filename: string): number | undefined;
  /**
   * Deletes globals that sloppy-mode code created by assigning to undeclared names, so a realm can
   * be reused for the next scenario (sandbox code cannot reach the built-in prototypes).
   */
  resetGlobals(): void;
  /** Compiled functions cached per realm by source, so repeated runs do not recompile. */
  readonly compiled: Map<string, RealmFunction>;
}

/** Errors the runtime raises itself, with a stable code. */
export class SandboxError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The line of the first stack frame of `err` in `filename` (`filename:line:column`), minus
 * `linesBefore`: the lines the realm's wrapper puts before the compiled body.
 */
export function stackLine(err: unknown, filename: string, linesBefore: number): number | undefined {
  const stack = (err as { stack?: unknown } | null)?.stack;
  if (typeof stack !== 'string') return undefined;
  const escaped = filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}:(\\d+):\\d+`).exec(stack);
  if (!match) return undefined;
  const line = Number(match[1]) - linesBefore;
  return line >= 1 ? line : undefined;
}
