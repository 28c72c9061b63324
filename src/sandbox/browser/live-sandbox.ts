/// <reference lib="dom" />
// The sandbox in a real page (page side): templates fire against the page's own window, DOM,
// cookies and storage, with the runtime, permission checks and value crossing of the Node sandbox;
// only the realm (`IframeRealm`) and the page host (`LivePage`) differ. A firing ends when its code
// and queued work have run and the loads it started have completed (or `settleMs` has passed), so
// `injectScript`'s callbacks run on the script's real load or error event.

import type { Template } from '../../tpl/model.js';
import { emptyRecord } from '../apis/types.js';
import {
  endEventAfterFailure,
  firingFailure,
  executeFiring,
  firingResult,
  type RunResult,
} from '../run-template.js';
import { runTests, type RunTestsOptions, type ScenarioResult } from '../run-tests.js';
import { Session } from '../runtime.js';
import { Page, type WorldInit } from '../world.js';
import { IframeRealm } from './iframe-realm.js';
import { LivePage, type LivePageOptions } from './live-page.js';

export interface LiveOptions {
  /** How long a firing waits for the loads it started (scripts, pixels, iframes); default 5000 ms. */
  settleMs?: number;
  /**
   * Makes the page host (default: a `LivePage` of the page as it is), e.g. one that reports a
   * simulated address (`gtm-template preview` does).
   */
  host?: (win: Window, options: LivePageOptions) => LivePage;
}

/** The keys of a blank page's `window` in this browser: what is not the page's own. */
function blankWindowKeys(realm: IframeRealm): Set<string> {
  return new Set(Object.keys(realm.frame.contentWindow ?? {}));
}

/**
 * Firings on this page. `world`'s page fields (window globals, dataLayer, cookies, localStorage,
 * title) are applied to the real page once; its GTM fields (consent, container version, clock,
 * random seed, debug mode, time limit) are the sandbox's, as in Node. Window, cookies, storage, the
 * script cache and template storage carry over from one firing to the next, as on a real site.
 */
export class LiveSandboxPage {
  readonly host: LivePage;
  readonly page: Page;
  private readonly sessions = new Map<Template, Session>();
  /** Errors thrown by callbacks that ran on a load event, for the firing waiting on them. */
  private readonly lateErrors = new Map<Session, unknown>();
  private blankKeys?: Set<string>;

  constructor(
    world: WorldInit = {},
    private readonly options: LiveOptions = {},
    win: Window = window,
  ) {
    const makeHost = options.host ?? ((w: Window, o: LivePageOptions) => new LivePage(w, o));
    this.host = makeHost(win, { onEvent: () => this.runEventWork() });
    this.host.apply(world);
    this.page = new Page(world, this.host);
  }

  private session(template: Template): Session {
    let session = this.sessions.get(template);
    if (!session) {
      const realm = new IframeRealm(this.host.win.document);
      this.blankKeys ??= blankWindowKeys(realm);
      session = new Session(template, this.page, realm);
      this.sessions.set(template, session);
    }
    return session;
  }

  /** A load completed: run the work it queued (its callbacks) now, in every session. */
  private runEventWork(): void {
    for (const session of this.sessions.values()) {
      try {
        session.realm.guard(() => session.drain(), this.page.timeLimitMs);
      } catch (err) {
        session.clearQueue();
        if (!this.lateErrors.has(session)) this.lateErrors.set(session, err);
      }
    }
  }

  /** Fires `template` once with `data`, as GTM would on this page. Never rejects for anything the template does. */
  async fire(template: Template, data: Record<string, unknown> = {}): Promise<RunResult> {
    const session = this.session(template);
    const record = (session.record = emptyRecord());
    this.lateErrors.delete(session);
    const started = executeFiring(session, data, false);
    const returnValue = started.returnValue;
    let failure = started.failure;
    if (!failure) {
      await this.host.settled(this.options.settleMs ?? 5000);
      const late = this.lateErrors.get(session);
      if (late !== undefined) failure = firingFailure(session, late);
    }
    const current = session.record;
    session.record = record;
    try {
      if (failure) endEventAfterFailure(session);
      else session.finishEvent();
    } catch (err) {
      failure = firingFailure(session, err);
      session.clearQueue();
    } finally {
      session.record = current;
    }
    return firingResult(session, record, returnValue, failure, this.host.ownGlobals(this.blankKeys!));
  }
}

/**
 * A template's own ___TESTS___ scenarios on this page, with GTM's test semantics as in Node; before
 * each scenario the page is reset (`LivePage.reset`) and `options.world` applied, so every scenario
 * starts from the page as it was. Asynchronous work is not awaited (GTM's `runCode` returns at once),
 * so `once` is not offered here.
 */
export function runTestsInPage(
  template: Template,
  options: Omit<RunTestsOptions, 'realm' | 'page' | 'once'> = {},
  win: Window = window,
): ScenarioResult[] {
  const host = new LivePage(win);
  let realm: IframeRealm | undefined;
  try {
    return runTests(template, {
      ...options,
      realm: () => (realm = new IframeRealm(win.document)),
      page: (world) => {
        host.reset();
        host.apply(world);
        return new Page(world, host);
      },
    });
  } finally {
    host.reset();
    realm?.dispose();
  }
}
