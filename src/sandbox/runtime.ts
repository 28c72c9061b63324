// One template on one page: compiles the code once into the realm, hands out APIs through
// `require` (real ones, with permission checks, or the test's mocks), records every call, and runs
// queued asynchronous work in order. `runTemplate` and the test runner are thin layers over this.

import type { OutgoingRequest } from './server-world.js';
import { apiInfo } from '../gtm/apis.js';
import { rawCodeSection, type Template } from '../tpl/model.js';
import { implementedApi } from './apis/index.js';
import {
  emptyRecord,
  isObjectApi,
  type ApiContext,
  type ApiDefinition,
  type FunctionApi,
  type RunRecord,
} from './apis/types.js';
import { detectedPermissions, PermissionSet } from './permissions.js';
import { checkApiArguments } from './api-arguments.js';
import { SandboxError, type Realm, type RealmFunction } from './realm.js';
import { TEMPLATE_GLOBALS } from './syntax.js';
import { prepareCode, TICK_PARAM } from './transform.js';
import { Bridge } from './values.js';
import type { Page } from './world.js';
import type { LoadKind } from './page-host.js';

/** The name the template code is compiled under: its stack frames, and so its error lines, carry it. */
export const TEMPLATE_FILENAME = 'template.js';

/**
 * Where in the template code `err` was thrown, from its stack: "template code line 2, line 12 of
 * the file" (the file's line where `template` was read from one), or undefined when the stack
 * does not pass through the template code.
 */
export function codeWhere(template: Template, realm: Realm, err: unknown): string | undefined {
  const line = realm.codeLine(err, TEMPLATE_FILENAME);
  if (line === undefined) return undefined;
  const section = rawCodeSection(template);
  return section && section.content === template.code
    ? `template code line ${line}, line ${section.contentLine + line - 1} of the file`
    : `template code line ${line}`;
}

export interface SessionOptions {
  /** Test mode: mocked APIs are still permission-checked (GTM skips them). */
  strictPermissions?: boolean;
  /**
   * GTM's Tests tab: an outgoing request that nothing answers stays pending (its callbacks and
   * promise reactions never run) instead of ending the run; see docs/runtime.md, "Server APIs".
   */
  unansweredRequestsPend?: boolean;
}

interface Mock {
  value: unknown;
}

export class Session implements ApiContext {
  readonly bridge: Bridge;
  readonly permissions: PermissionSet;
  readonly templateKey: string;
  readonly unansweredRequestsPend: boolean;
  readonly unansweredRequests: OutgoingRequest[] = [];
  /** Every name `require` was asked for, by template or test code (what a mock can replace). */
  readonly requiredNames = new Set<string>();
  record: RunRecord = emptyRecord();
  readonly eventCallbacks: unknown[] = [];
  readonly mocks = new Map<string, Mock>();
  /** Timers: work the page runs in a later task (callLater, callbacks gtm.js defers with setTimeout). */
  private readonly queue: (() => void)[] = [];
  /** Loads the page has answered (a script's, pixel's or iframe's load or error event). */
  private readonly loads: (() => void)[] = [];
  /** Promise reactions: all of them run before the next queued task, as JavaScript's microtasks. */
  private readonly microtasks: (() => void)[] = [];
  private readonly realApis = new Map<string, unknown>();
  /** The API whose implementation is running (what queued work is attributed to). */
  private callingApi?: string;
  /** Which API queued a job (for the notes of a scenario that ends with work still queued). */
  private readonly queuedBy = new WeakMap<() => void, string>();
  /** Loads asked of the page whose answer has not run yet, each by the API that asked. */
  private readonly loadsInFlight = new Map<object, string | undefined>();
  private templateFunction?: RealmFunction;

  constructor(
    readonly template: Template,
    readonly page: Page,
    readonly realm: Realm,
    readonly options: SessionOptions = {},
  ) {
    this.permissions = new PermissionSet(
      template.permissions,
      detectedPermissions(template),
      template.context === 'SERVER' ? undefined : page.url,
    );
    this.unansweredRequestsPend = options.unansweredRequestsPend === true;
    this.templateKey = template.code ?? '';
    this.bridge = new Bridge(realm, {
      callSandbox: (fn, args) => this.callSandbox(fn, args),
      onPageCall: (target, args) => this.record.pageCalls.push({ target, args }),
    });
  }

  // ---- ApiContext

  demand(api: string, permission: string, ...queryArgs: unknown[]): void {
    const verdict = this.permissions.query(permission, queryArgs);
    if (!verdict.allowed) {
      throw new SandboxError('sandbox/permission-denied', `${api}: permission denied: ${verdict.reason}`);
    }
  }

  schedule(task: () => void): void {
    this.queue.push(this.queued(task));
  }

  loadOnPage(kind: LoadKind, url: string, done: (ok: boolean) => void): void {
    // Pending from the request until its answer has run: a simulated page answers at once (queued
    // in `loads`), a real one when the element's event fires, so both count the same loads here.
    const load = {};
    this.loadsInFlight.set(load, this.callingApi);
    this.page.host.load(
      kind,
      url,
      (ok) => {
        this.loadsInFlight.delete(load);
        done(ok);
      },
      (task) => this.loads.push(this.inThisFiring(task)),
    );
  }

  scheduleMicrotask(task: () => void): void {
    this.microtasks.push(this.queued(task));
  }

  /**
   * The queued work that has not run yet, each by the API whose call queued it (undefined for work
   * a callback queued outside any API call), in the order the queues hold it.
   */
  pendingWork(): {
    timers: (string | undefined)[];
    loads: (string | undefined)[];
    reactions: (string | undefined)[];
  } {
    const by = (jobs: (() => void)[]) => jobs.map((job) => this.queuedBy.get(job));
    return {
      timers: by(this.queue),
      loads: [...this.loadsInFlight.values()],
      reactions: by(this.microtasks),
    };
  }

  private queued(task: () => void): () => void {
    const job = this.inThisFiring(task);
    if (this.callingApi !== undefined) this.queuedBy.set(job, this.callingApi);
    return job;
  }

  /** Work belongs to the firing that queued it, also when it runs later (a real page's script
   * loads complete after the firing's code has returned, maybe during the next firing). */
  private inThisFiring(task: () => void): () => void {
    const record = this.record;
    return () => {
      const current = this.record;
      this.record = record;
      try {
        task();
      } finally {
        this.record = current;
      }
    };
  }

  /**
   * Adds a consent listener to the page's list. Whichever template's command changes the type, the
   * listener runs here: in this template's realm, under its own time limit, recorded in the firing
   * that added it, with the work it queues run right after it. What it throws is the page's to catch.
   */
  addConsentListener(consentType: string, listener: unknown): void {
    const record = this.record;
    this.page.consentListeners.push({
      consentType,
      notify: (granted) => {
        const current = this.record;
        this.record = record;
        try {
          this.callSandbox(listener, [consentType, granted]);
        } finally {
          // What the listener queued runs even when it threw (the page catches the throw).
          this.drainSettled();
          this.record = current;
        }
      },
    });
  }

  /** Drains the queue, each failing task ending only itself (a page's timers are separate tasks). */
  private drainSettled(): void {
    for (;;) {
      try {
        this.drain();
        return;
      } catch {
        // The failed task is gone from the queue; run the rest.
      }
    }
  }

  callSandbox(fn: unknown, args: unknown[] = []): unknown {
    if (typeof fn !== 'function') return undefined;
    return this.realm.guard(() => (fn as RealmFunction)(...args), this.page.timeLimitMs);
  }

  // ---- running code

  /** The template's code as a realm function of `(require, data)`; compiled on first use. */
  templateCode(): RealmFunction {
    if (!this.templateFunction) {
      if (typeof this.template.code !== 'string') {
        throw new SandboxError('sandbox/no-code', 'the template has no sandboxed JavaScript section');
      }
      const code = this.template.code;
      let fn = this.realm.compiled.get(code);
      if (!fn) {
        const prepared = prepareCode(code, TEMPLATE_GLOBALS, this.template.context);
        if (!prepared.ok) {
          const { line, column, message } = prepared.problem;
          throw new SandboxError('sandbox/syntax', `template code ${line}:${column}: ${message}`);
        }
        fn = this.realm.compileFunction(['require', 'data', TICK_PARAM], prepared.source, TEMPLATE_FILENAME);
        this.realm.compiled.set(code, fn);
      }
      this.templateFunction = fn;
    }
    return this.templateFunction;
  }

  /** `data` for one firing: the caller's values plus gtmOnSuccess/gtmOnFailure, which are recorded. */
  firingData(
    fields: Record<string, unknown>,
    onOutcome?: (outcome: 'success' | 'failure') => void,
  ): Record<string, unknown> {
    const data = this.realm.newObject();
    for (const key of Object.keys(fields)) data[key] = this.bridge.toSandbox(fields[key]);
    // The outcome is this firing's, whoever calls it and whenever.
    const record = this.record;
    data.gtmOnSuccess = this.realm.wrapHost((...args) => {
      record.calls.push({ name: 'gtmOnSuccess', args, mocked: false });
      record.gtmOnSuccessCount++;
      onOutcome?.('success');
    });
    data.gtmOnFailure = this.realm.wrapHost((...args) => {
      record.calls.push({ name: 'gtmOnFailure', args, mocked: false });
      record.gtmOnFailureCount++;
      onOutcome?.('failure');
    });
    return data;
  }

  /** How many runs of the template code are on the stack (`codeRunning`). */
  private codeDepth = 0;

  get codeRunning(): boolean {
    return this.codeDepth > 0;
  }

  /** Runs the template code once with `data` (a sandbox object). Must be called under `realm.guard`. */
  execute(data: Record<string, unknown>): unknown {
    this.codeDepth++;
    try {
      return this.templateCode()(this.requireFunction(), data, this.realm.tick);
    } finally {
      this.codeDepth--;
    }
  }

  /**
   * `require` for template code, or for test code (`forTest`): the APIs test code requires work the
   * same but their calls are not recorded, so `assertApi` speaks about the template only.
   */
  requireFunction(forTest = false): RealmFunction {
    return this.realm.wrapHost((name) => this.require(String(name), !forTest));
  }

  /** Forgets queued work (after a run failed: its callbacks must not leak into the next firing). */
  clearQueue(): void {
    this.queue.length = 0;
    this.microtasks.length = 0;
    this.loads.length = 0;
    this.loadsInFlight.clear();
  }

  /** Runs queued asynchronous work until none is left (work may queue more), in rounds (docs/runtime.md, "Web APIs"). */
  drain(): void {
    for (;;) {
      this.runMicrotasks();
      if (this.queue.length === 0 && this.loads.length === 0) return;
      // A round: the timers queued so far, then the loads answered so far. A 0 ms timer (callLater)
      // fires before the network answers a load asked for before it; timers queued in this round
      // wait for the next one, so a template polling with callLater still sees its script load.
      for (let due = this.queue.length; due > 0; due--) {
        this.queue.shift()!();
        this.runMicrotasks();
      }
      for (let due = this.loads.length; due > 0; due--) {
        this.loads.shift()!();
        this.runMicrotasks();
      }
    }
  }

  private runMicrotasks(): void {
    for (let job = this.microtasks.shift(); job; job = this.microtasks.shift()) job();
  }

  /**
   * End of the event: the page's consent commands take effect in order (each calling the listeners
   * of the types it changed, whichever template added them), then event callbacks run.
   */
  finishEvent(): void {
    const queue = this.page.consentQueue;
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { command, settings } = next;
      // Region-specific commands apply to visitors in those regions; the simulated page has none.
      if (Array.isArray(settings.region) && settings.region.length > 0) continue;
      this.page.notifyConsentListeners(this.page.applyConsent(command, settings));
    }
    this.drain();
    const callbacks = this.eventCallbacks.splice(0);
    for (const cb of callbacks) {
      const eventData = this.bridge.toSandbox({ tags: [] });
      this.schedule(() => this.callSandbox(cb, [this.page.containerVersion.containerId, eventData]));
    }
    this.drain();
  }

  // ---- require

  require(name: string, record = true): unknown {
    this.requiredNames.add(name);
    const mock = this.mocks.get(name);
    const def = implementedApi(name, this.template.context);
    if (mock) return this.mockedApi(name, def, mock.value, record);
    const cacheKey = `${record}:${name}`;
    const cached = this.realApis.get(cacheKey);
    if (cached) return cached;
    const info = apiInfo(name);
    if (info && !info.contexts.includes(this.template.context)) {
      throw new SandboxError(
        'sandbox/unknown-api',
        `require: '${name}' is not available in ${this.template.context === 'SERVER' ? 'server' : 'web'} templates`,
      );
    }
    if (!def) {
      if (apiInfo(name)) throw new SandboxError('sandbox/not-supported', `not supported: ${name}`);
      throw new SandboxError('sandbox/unknown-api', `require: unknown API '${name}'`);
    }
    const api = isObjectApi(def)
      ? this.objectApi(name, def.methods, record)
      : this.functionApi(name, def, record);
    this.realApis.set(cacheKey, api);
    return api;
  }

  private functionApi(name: string, def: FunctionApi, record: boolean): unknown {
    // The web runtime checks the arguments' types first (src/sandbox/api-arguments.ts).
    const signature = this.template.context === 'WEB' ? apiInfo(name)?.args : undefined;
    return this.realm.wrapHost((...args) => {
      if (record) this.record.calls.push({ name, args, mocked: false });
      if (signature) checkApiArguments(name, signature, args);
      def.check?.(this, args);
      const outer = this.callingApi;
      this.callingApi = name;
      try {
        return this.bridge.toSandbox(def.call(this, args));
      } finally {
        this.callingApi = outer;
      }
    });
  }

  private objectApi(
    name: string,
    methods: Record<string, FunctionApi>,
    record: boolean,
    overrides?: Record<string, unknown>,
  ): unknown {
    const obj = this.realm.newObject();
    for (const method of Object.keys(methods)) {
      obj[method] = this.functionApi(`${name}.${method}`, methods[method]!, record);
    }
    if (overrides) {
      for (const key of Object.keys(overrides)) {
        const value = overrides[key];
        obj[key] =
          typeof value === 'function'
            ? this.mockedFunction(`${name}.${key}`, methods[key], value as RealmFunction, record)
            : value;
      }
    }
    return obj;
  }

  private mockedFunction(
    name: string,
    def: FunctionApi | undefined,
    impl: RealmFunction,
    record: boolean,
  ): unknown {
    return this.realm.wrapHost((...args) => {
      if (record) this.record.calls.push({ name, args, mocked: true });
      if (this.options.strictPermissions) def?.check?.(this, args);
      return impl(...args);
    });
  }

  private mockedApi(name: string, def: ApiDefinition | undefined, value: unknown, record: boolean): unknown {
    if (def && isObjectApi(def) && value !== null && typeof value === 'object') {
      return this.objectApi(name, def.methods, record, value as Record<string, unknown>);
    }
    const fnDef = def && !isObjectApi(def) ? def : undefined;
    if (typeof value === 'function') return this.mockedFunction(name, fnDef, value as RealmFunction, record);
    return this.mockedFunction(name, fnDef, () => value, record);
  }
}
