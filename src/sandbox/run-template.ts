// `runTemplate`: fire a template once, as GTM would, and report everything it did.

import type { Template } from '../tpl/model.js';
import { NodeRealm } from './node-realm.js';
import type { Realm } from './realm.js';
import { emptyRecord, type RunRecord } from './apis/types.js';
import { codeWhere, Session } from './runtime.js';
import { snapshot } from './values.js';
import { Page, type WorldInit } from './world.js';

export type Outcome = 'success' | 'failure' | 'none' | 'multiple' | 'error';

/** Everything one firing did (`RunRecord`: calls, logs, scripts, pixels, cookies, consent, …), and how it ended. */
export interface RunResult extends Omit<RunRecord, 'calls' | 'pageCalls'> {
  /**
   * `success`/`failure`: exactly one gtmOnSuccess/gtmOnFailure call in total; `none`: neither;
   * `multiple`: more than one call (of either); `error`: the code threw (permission denied, time
   * limit, unsupported API, a runtime error), which fails the tag in GTM.
   */
  outcome: Outcome;
  error?: string;
  /** Stable code of the error, e.g. `sandbox/permission-denied`, `sandbox/time-limit`. */
  errorCode?: string;
  /**
   * Where in the template code the error was thrown, when its stack passes through the code:
   * "template code line 2, line 12 of the file". Kept apart from `error`, which is the message as
   * GTM shows it.
   */
  errorWhere?: string;
  /** What the code returned (variable templates), as a plain copy. */
  returnValue: unknown;
  /** Every API call in order, with plain copies of its arguments (`logs` holds what `logToConsole`
   * printed: only in debug mode for `logging: debug`). */
  calls: { name: string; args: unknown[] }[];
  /** Calls to the page's own functions in order (e.g. `_giosg` through a queue), arguments copied. */
  pageCalls: { target: string; args: unknown[] }[];
  /**
   * The page's `window` after the run, as a detached plain copy. `arguments` objects pushed by
   * queues (`createArgumentsQueue`) appear as plain arrays; functions appear as functions carrying
   * copies of their own properties (so `window._giosg._e` can be compared with `toEqual`).
   */
  window: Record<string, unknown>;
  /** Local storage and cookies after the run. */
  localStorage: Record<string, string>;
  cookies: { name: string; value: string }[];
}

export interface RunOptions {
  /** Build the realm (default: a fresh `node:vm` realm). */
  realm?: () => Realm;
}

/** Several firings on the same page: window, cookies, storage and script cache carry over. */
export class SandboxPage {
  readonly page: Page;
  private readonly sessions = new Map<Template, Session>();

  constructor(
    world: WorldInit = {},
    private readonly options: RunOptions = {},
  ) {
    this.page = new Page(world);
  }

  run(template: Template, data: Record<string, unknown> = {}): RunResult {
    let session = this.sessions.get(template);
    if (!session) {
      session = new Session(template, this.page, (this.options.realm ?? (() => new NodeRealm()))());
      this.sessions.set(template, session);
    }
    return fire(session, data);
  }
}

/** The message and stable code of an error a run ended with. */
export function errorText(err: unknown): { message: string; code: string } {
  const e = err as { message?: unknown; code?: unknown; name?: unknown };
  const code =
    typeof e?.code === 'string' && e.code.startsWith('sandbox/') ? e.code : 'sandbox/runtime-error';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const name =
    typeof e?.name === 'string' && code === 'sandbox/runtime-error' && e.name !== 'Error'
      ? `${e.name}: `
      : '';
  return { message: name + message, code };
}

/** How a firing ended with `err`: its message and code, and where in the template code it was thrown. */
export interface FiringFailure {
  message: string;
  code: string;
  where?: string;
}

/** The `FiringFailure` of `err`, thrown while `session` ran. */
export function firingFailure(session: Session, err: unknown): FiringFailure {
  const where = codeWhere(session.template, session.realm, err);
  return where ? { ...errorText(err), where } : errorText(err);
}

/**
 * Runs the template code of one firing with `data`, then the work it queued, and (with
 * `finishEvent`) the end of the event, also when the firing failed. Errors end the firing: its
 * queue is dropped. The end of the event runs outside the firing's time limit: what it calls back
 * (consent listeners of any template on the page, event callbacks) runs under a limit of its own,
 * as each is a call of its own.
 */
export function executeFiring(
  session: Session,
  data: Record<string, unknown>,
  finishEvent: boolean,
): { returnValue?: unknown; failure?: FiringFailure } {
  try {
    const returnValue = session.realm.guard(() => {
      const value = session.execute(session.firingData(data));
      session.drain();
      return value;
    }, session.page.timeLimitMs);
    if (finishEvent) session.finishEvent();
    return { returnValue };
  } catch (err) {
    session.clearQueue();
    if (finishEvent) endEventAfterFailure(session);
    return { failure: firingFailure(session, err) };
  }
}

/**
 * The end of the event after a firing failed. What the firing gave before it failed stays given:
 * a consent command was pushed to the data layer when the template called it ("Pushes a … consent
 * update to the data layer, to be processed as soon as possible after the current event and any
 * tags it triggered are finished processing", Google's reference), whatever the tag did next. The
 * firing's own failure is the one reported; a failure at the end of the event adds nothing to it.
 */
export function endEventAfterFailure(session: Session): void {
  try {
    session.finishEvent();
  } catch {
    session.clearQueue();
  }
}

function fire(session: Session, data: Record<string, unknown>): RunResult {
  session.record = emptyRecord();
  const { returnValue, failure } = executeFiring(session, data, true);
  return firingResult(session, session.record, returnValue, failure, session.page.window);
}

/**
 * The `RunResult` of one firing from what it recorded; `window` is the part of the page's window to
 * report (all of it for a simulated page, the page's own globals for a real one).
 */
export function firingResult(
  session: Session,
  r: RunRecord,
  returnValue: unknown,
  failure: FiringFailure | undefined,
  window: Record<string, unknown>,
): RunResult {
  const total = r.gtmOnSuccessCount + r.gtmOnFailureCount;
  const outcome: Outcome = failure
    ? 'error'
    : total > 1
      ? 'multiple'
      : r.gtmOnSuccessCount === 1
        ? 'success'
        : r.gtmOnFailureCount === 1
          ? 'failure'
          : 'none';
  return {
    outcome,
    ...(failure ? { error: failure.message, errorCode: failure.code } : {}),
    ...(failure?.where ? { errorWhere: failure.where } : {}),
    returnValue: snapshot(returnValue),
    calls: r.calls.map((c) => ({ name: c.name, args: snapshot(c.args) as unknown[] })),
    pageCalls: r.pageCalls.map((c) => ({ target: c.target, args: snapshot(c.args) as unknown[] })),
    logs: r.logs,
    injectedScripts: r.injectedScripts,
    pixels: r.pixels,
    iframes: r.iframes,
    cookiesSet: r.cookiesSet,
    consentCommands: r.consentCommands,
    gtagSets: r.gtagSets,
    gtmOnSuccessCount: r.gtmOnSuccessCount,
    gtmOnFailureCount: r.gtmOnFailureCount,
    server: snapshot(r.server) as RunRecord['server'],
    window: snapshot(window) as Record<string, unknown>,
    localStorage: session.page.host.localStorage.items(),
    cookies: session.page.host.cookies(),
  };
}

/**
 * Runs the template code once with `data`, as GTM would, in a fresh page built from `world`.
 * Asynchronous work (script loads, pixels, callLater, sha256) is drained in order before returning.
 * Never throws for anything the template does; see `RunResult.outcome`.
 */
export function runTemplate(
  template: Template,
  data: Record<string, unknown> = {},
  world: WorldInit = {},
  options: RunOptions = {},
): RunResult {
  return new SandboxPage(world, options).run(template, data);
}
