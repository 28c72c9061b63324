/// <reference lib="dom" />
// The browser implementation of `Realm` (page side): a hidden same-origin iframe gives the sandbox
// its own set of built-ins, stripped to what GTM's sandbox offers exactly as `node-realm.ts` strips
// a `node:vm` context, so sandboxed code cannot change the page's own Array or String. Template code
// still acts on the real page: every API reaches the page's `window` through the runtime, never
// through the iframe.
//
// A Window's global object cannot be emptied (`window`, `document`, `location`, `top` are
// unforgeable), so compiled code does not see it at all: each function is compiled inside
// `with (scope)`, where `scope` answers every free name. Names the code assigns without declaring
// (sloppy mode) live in `scope` until `resetGlobals`; any other free name is a ReferenceError, as
// on the emptied global of the Node realm. Only `undefined`, `NaN` and `Infinity` pass through.

import { INTRINSICS_SOURCE, madeIn, stripBuiltins, type Intrinsics } from '../intrinsics.js';
import { SandboxError, stackLine, type Realm, type RealmFunction } from '../realm.js';

type FunctionConstructor = new (...args: string[]) => (...args: unknown[]) => unknown;

/** Free names that resolve to the realm's own global (immutable values only). */
const PASS_THROUGH = new Set(['undefined', 'NaN', 'Infinity']);

export class IframeRealm implements Realm {
  readonly compiled = new Map<string, RealmFunction>();
  /** The iframe holding the realm; it is hidden and never navigated. */
  readonly frame: HTMLIFrameElement;
  private readonly intrinsics: Intrinsics;
  private readonly FunctionCtor: FunctionConstructor;
  private readonly sloppyGlobals = new Map<string, unknown>();
  private readonly scope: object;
  /** When the current guarded run must end (`performance.now()` time); unset outside `guard`. */
  private deadline: number | undefined;
  private limitMs = 0;
  readonly tick: RealmFunction;

  constructor(doc: Document = document) {
    this.frame = doc.createElement('iframe');
    this.frame.setAttribute('data-gtm-sandbox-realm', '');
    this.frame.setAttribute('aria-hidden', 'true');
    this.frame.style.display = 'none';
    doc.documentElement.appendChild(this.frame);
    const win = this.frame.contentWindow as unknown as {
      Function: FunctionConstructor;
      ReferenceError: ErrorConstructor;
    };
    this.FunctionCtor = win.Function;
    this.intrinsics = new this.FunctionCtor(`return ${INTRINSICS_SOURCE};`)() as Intrinsics;
    stripBuiltins(this.intrinsics);
    this.tick = this.intrinsics.ticker(() => {
      if (this.deadline !== undefined && performance.now() > this.deadline) throw this.timeLimitError();
    });

    const globals = this.sloppyGlobals;
    const ReferenceErrorCtor = win.ReferenceError;
    this.scope = new Proxy(Object.create(null) as object, {
      has: (_target, key) => typeof key === 'string' && !PASS_THROUGH.has(key),
      get: (_target, key) => {
        if (typeof key !== 'string') return undefined; // Symbol.unscopables
        if (globals.has(key)) return globals.get(key);
        throw new ReferenceErrorCtor(`${key} is not defined`);
      },
      set: (_target, key, value) => {
        if (typeof key === 'string') globals.set(key, value);
        return true;
      },
      deleteProperty: (_target, key) => typeof key === 'string' && globals.delete(key),
    });
  }

  compileFunction(params: readonly string[], body: string, filename: string): RealmFunction {
    let factory: (scope: object) => RealmFunction;
    try {
      // The body goes on its own lines so a trailing line comment cannot swallow the closing brace.
      factory = new this.FunctionCtor(
        '__gtmSandboxScope',
        `with (__gtmSandboxScope) { return function (${params.join(', ')}) {\n${body}\n}; }\n//# sourceURL=${filename}`,
      ) as unknown as (scope: object) => RealmFunction;
    } catch (err) {
      throw new SandboxError('sandbox/syntax', `${filename}: ${(err as Error)?.message ?? String(err)}`);
    }
    return factory(this.scope);
  }

  /**
   * The time limit, as in the Node realm: prepared code calls `tick` at every loop iteration and
   * function entry, and it throws once the limit has passed. A page cannot interrupt its own code
   * otherwise, so where no tick runs (inside a built-in) the limit is checked when the run returns.
   */
  guard<T>(thunk: () => T, timeoutMs: number): T {
    if (this.deadline !== undefined) return thunk();
    this.limitMs = timeoutMs;
    const deadline = (this.deadline = performance.now() + timeoutMs);
    try {
      const value = thunk();
      if (performance.now() > deadline) throw this.timeLimitError();
      return value;
    } finally {
      this.deadline = undefined;
    }
  }

  private timeLimitError(): SandboxError {
    return new SandboxError(
      'sandbox/time-limit',
      `time limit exceeded: the run took longer than ${this.limitMs} ms`,
    );
  }

  newObject(): Record<string, unknown> {
    return this.intrinsics.newObject();
  }

  newArray(): unknown[] {
    return this.intrinsics.newArray();
  }

  wrapHost(hostFn: (...args: unknown[]) => unknown): RealmFunction {
    return this.intrinsics.wrap(hostFn, Reflect.apply);
  }

  resetGlobals(): void {
    this.sloppyGlobals.clear();
  }

  codeLine(err: unknown, filename: string): number | undefined {
    // The Function constructor's source starts `function anonymous(__gtmSandboxScope\n) {\n`,
    // then the `with` line: the body starts at line 4 of what `sourceURL` names.
    return stackLine(err, filename, 3);
  }

  owns(value: object): boolean {
    return madeIn(this.intrinsics, value);
  }

  /** Removes the iframe; the realm cannot be used afterwards. */
  dispose(): void {
    this.frame.remove();
  }
}
