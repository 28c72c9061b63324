// The contract between the runtime and the API implementations in this folder. Implementations are
// plain functions over an `ApiContext`; they never import Node modules, so the same code can run
// in a browser realm later.

import type { Bridge } from '../values.js';
import type { PermissionSet } from '../permissions.js';
import type { Realm } from '../realm.js';
import type { Template } from '../../tpl/model.js';
import type { CookieWrite, Page } from '../world.js';
import type { LoadKind } from '../page-host.js';
import { emptyServerRecord, type OutgoingRequest, type ServerRecord } from '../server-world.js';

export interface ApiCall {
  /** The API as passed to `require`, or `api.method` for object APIs (`localStorage.getItem`). */
  name: string;
  /** The arguments as the sandbox passed them (sandbox values, not copies). */
  args: unknown[];
  mocked: boolean;
}

/** Everything one firing did, in order. */
export interface RunRecord {
  calls: ApiCall[];
  /** Calls the template made to the page's own functions (`callInWindow`, and functions it got from
   * `copyFromWindow`, `createQueue` or `createArgumentsQueue`), by the name it reached them by. */
  pageCalls: { target: string; args: unknown[] }[];
  logs: unknown[][];
  injectedScripts: { url: string; cacheToken?: string }[];
  pixels: string[];
  iframes: string[];
  cookiesSet: CookieWrite[];
  consentCommands: { command: 'default' | 'update'; settings: Record<string, unknown> }[];
  gtagSets: Record<string, unknown>[];
  gtmOnSuccessCount: number;
  gtmOnFailureCount: number;
  /** What a server template did to the request, the response and the outside world. */
  server: ServerRecord;
}

export function emptyRecord(): RunRecord {
  return {
    calls: [],
    pageCalls: [],
    logs: [],
    injectedScripts: [],
    pixels: [],
    iframes: [],
    cookiesSet: [],
    consentCommands: [],
    gtagSets: [],
    gtmOnSuccessCount: 0,
    gtmOnFailureCount: 0,
    server: emptyServerRecord(),
  };
}

export interface ApiContext {
  /** The template being run (its type decides, e.g., whether `claimRequest` may be called). */
  readonly template: Template;
  readonly page: Page;
  readonly record: RunRecord;
  readonly realm: Realm;
  readonly bridge: Bridge;
  readonly permissions: PermissionSet;
  /** Identifies the template, for `templateStorage`. */
  readonly templateKey: string;
  /** An outgoing request nothing answers stays pending (GTM's Tests tab) rather than ending the run. */
  readonly unansweredRequestsPend: boolean;
  /** The requests left pending so far, over every firing of the session. */
  readonly unansweredRequests: OutgoingRequest[];
  /** Throws a permission error naming `permission` and the argument unless the call is allowed. */
  demand(api: string, permission: string, ...queryArgs: unknown[]): void;
  /** Queues work for after the current code returns (callbacks, script loads), in order. */
  schedule(task: () => void): void;
  /**
   * Loads `url` on the page as a script, pixel or hidden iframe (`PageHost.load`). What the answer
   * does (`done`) is queued as the page answers: after the timers queued before the round it falls
   * in, as the network answers after a 0 ms timer. Until `done` runs, the load is pending work.
   */
  loadOnPage(kind: LoadKind, url: string, done: (ok: boolean) => void): void;
  /** Queues a promise reaction: all of them run before the next task `schedule` queued. */
  scheduleMicrotask(task: () => void): void;
  /** Calls a sandbox callback if it is a function (the sandbox may pass anything). */
  callSandbox(fn: unknown, args?: unknown[]): unknown;
  /**
   * Whether the template's code is running now: its own run and what it calls directly, not the
   * work queued for after it returned (callbacks, promise reactions).
   */
  readonly codeRunning: boolean;
  /** Callbacks registered with `addEventCallback`, run when the event ends. */
  readonly eventCallbacks: unknown[];
  /** Adds a listener to the page's consent listeners, to run in this template's session. */
  addConsentListener(consentType: string, listener: unknown): void;
}

/** A function API: `check` does the permission part alone (so `--strict-permissions` can run it for mocks). */
export interface FunctionApi {
  check?: (ctx: ApiContext, args: unknown[]) => void;
  call: (ctx: ApiContext, args: unknown[]) => unknown;
}

/** An object API (`JSON`, `localStorage`...): its methods. */
export interface ObjectApi {
  methods: Record<string, FunctionApi>;
}

export type ApiDefinition = FunctionApi | ObjectApi;

export function isObjectApi(def: ApiDefinition): def is ObjectApi {
  return 'methods' in def;
}
