// The Node implementation of `Realm`: a fresh `node:vm` context stripped down to what GTM's
// sandbox offers. Only String/Array methods on Google's standard-library whitelist survive; the
// global object is emptied (no Object, JSON, Math, window, console, setTimeout...). Sandboxed code
// reaches everything else through `require`, which the runtime passes in as a parameter.

import vm from 'node:vm';
import { INTRINSICS_SOURCE, madeIn, stripBuiltins, type Intrinsics } from './intrinsics.js';
import { SandboxError, type Realm, type RealmFunction } from './realm.js';

const ENTRY = '__gtmSandboxGuardedEntry';

const entryScript = new vm.Script(`${ENTRY}()`, { filename: 'gtm-sandbox-entry' });

export class NodeRealm implements Realm {
  private readonly context: vm.Context;
  private readonly intrinsics: Intrinsics & { global: object };
  /** When the current guarded run must end (`performance.now()` time); unset outside `guard`. */
  private deadline: number | undefined;
  private limitMs = 0;
  private batchDepth = 0;
  readonly compiled = new Map<string, RealmFunction>();
  readonly tick: RealmFunction;

  constructor() {
    this.context = vm.createContext({}, { codeGeneration: { strings: false, wasm: false } });
    this.intrinsics = vm.runInContext(INTRINSICS_SOURCE, this.context) as Intrinsics & { global: object };
    const I = this.intrinsics;
    stripBuiltins(I);
    for (const key of Reflect.ownKeys(I.global)) Reflect.deleteProperty(I.global, key);
    this.tick = I.ticker(() => {
      if (this.deadline !== undefined && performance.now() > this.deadline) throw this.timeLimitError();
    });
  }

  private timeLimitError(): SandboxError {
    return new SandboxError(
      'sandbox/time-limit',
      `time limit exceeded: the run took longer than ${this.limitMs} ms`,
    );
  }

  compileFunction(params: readonly string[], body: string, filename: string): RealmFunction {
    try {
      return vm.compileFunction(body, [...params], {
        parsingContext: this.context,
        filename,
      }) as RealmFunction;
    } catch (err) {
      throw new SandboxError('sandbox/syntax', `${filename}: ${(err as Error)?.message ?? String(err)}`);
    }
  }

  guard<T>(thunk: () => T, timeoutMs: number): T {
    if (this.deadline !== undefined) return thunk();
    this.limitMs = timeoutMs;
    this.deadline = performance.now() + timeoutMs;
    try {
      // Inside a batch its backstop covers this run; otherwise a watchdog of its own does.
      return this.batchDepth > 0 ? thunk() : this.runWithWatchdog(thunk, timeoutMs);
    } finally {
      this.deadline = undefined;
    }
  }

  batch<T>(thunk: () => T, timeoutMs: number): T {
    if (this.batchDepth > 0) return thunk();
    this.batchDepth++;
    try {
      return timeoutMs === Infinity ? thunk() : this.runWithWatchdog(thunk, timeoutMs);
    } finally {
      // A watchdog ends all code on the stack without running its `finally` blocks: reset here.
      this.batchDepth = 0;
      this.deadline = undefined;
    }
  }

  /** Runs `thunk` from inside the context with node:vm's timeout, the one thing that ends any hang. */
  private runWithWatchdog<T>(thunk: () => T, timeoutMs: number): T {
    (this.context as Record<string, unknown>)[ENTRY] = thunk;
    try {
      return entryScript.runInContext(this.context, { timeout: Math.max(1, Math.round(timeoutMs)) }) as T;
    } catch (err) {
      if ((err as { code?: string })?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        this.limitMs = this.deadline === undefined ? timeoutMs : this.limitMs;
        throw this.timeLimitError();
      }
      throw err;
    } finally {
      delete (this.context as Record<string, unknown>)[ENTRY];
    }
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
    for (const key of Reflect.ownKeys(this.intrinsics.global))
      Reflect.deleteProperty(this.intrinsics.global, key);
  }

  owns(value: object): boolean {
    return madeIn(this.intrinsics, value);
  }
}
