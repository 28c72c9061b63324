// The world a template runs in: the page as the caller describes it (`WorldInit`), `SimulatedPage`
// (that page as plain data, behind the `PageHost` seam), and `Page`, the state of one page across
// one or more firings: its host plus GTM's own state (consent, template storage, the script cache,
// container data, the clock). Everything here is plain data; no realm, no Node.

import {
  parseCookieString,
  type HostStorage,
  type LoadKind,
  type PageCookie,
  type PageHost,
} from './page-host.js';
import { ServerState, type ServerWorldInit } from './server-world.js';

export type ScriptBehaviour = 'load' | 'fail' | ((window: Record<string, unknown>) => void);

export interface ContainerVersion {
  containerId: string;
  debugMode: boolean;
  environmentName: string;
  environmentMode: boolean;
  previewMode: boolean;
  version: string;
}

/** What the caller controls about the page. Everything is optional. */
export interface WorldInit {
  /** The page's `window` as a plain object graph; functions allowed (they run as page code). */
  window?: Record<string, unknown>;
  /** `location.href`; default `https://example.com/`. */
  url?: string;
  /** `document.referrer`; default `''`. */
  referrer?: string;
  /** Cookies as `{ name: value }` (a list for repeated names) or a `document.cookie` string. */
  cookies?: Record<string, string | string[]> | string;
  localStorage?: Record<string, string>;
  /** Initial `window.dataLayer` (pushed objects, merged by `copyFromDataLayer`). */
  dataLayer?: unknown[];
  /** Consent state per type; unset types count as granted, as in GTM. */
  consent?: Record<string, 'granted' | 'denied' | boolean>;
  title?: string;
  characterSet?: string;
  containerVersion?: Partial<ContainerVersion>;
  /** What `getTimestampMillis` returns; default the real clock at page creation. */
  timestamp?: number;
  /** Seed for `generateRandom`; default 1. */
  random?: number;
  /** Preview/debug mode: `logging` with environments `debug` only logs when this is true. Default false. */
  debugMode?: boolean;
  /**
   * What an injected script does, by exact URL or by URL prefix (longest wins): `'load'` (default
   * for unknown URLs), `'fail'`, or a function run as the script's body against the live `window`.
   */
  scripts?: Record<string, ScriptBehaviour>;
  /** Whether a pixel or hidden iframe loads, by URL or prefix; default `'load'`. */
  pixels?: Record<string, 'load' | 'fail'>;
  /** Time limit of one run in milliseconds; default 1000. */
  timeLimitMs?: number;
  /** Server templates: the incoming request, event data, answers to outgoing requests, … */
  server?: ServerWorldInit;
}

export interface CookieWrite {
  name: string;
  value: string;
  options: Record<string, unknown>;
  encode: boolean;
}

/**
 * The container's data layer as gtm.js leaves it once loaded: gtm.js replaces the array's `push`
 * with its own function, which works on that array whatever `this` it is called with (a template
 * may `copyFromWindow('dataLayer.push')` and call the copy; GTM calls a copied page function with
 * itself as `this`, docs/runtime.md). The replacement is an own, non-enumerable property, so the
 * array's items and copies of it are unchanged.
 */
function withContainerPush(dataLayer: unknown[]): unknown[] {
  const nativePush = Array.prototype.push;
  Object.defineProperty(dataLayer, 'push', {
    value: function push(...items: unknown[]): number {
      return nativePush.apply(dataLayer, items);
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return dataLayer;
}

/**
 * A listener `addConsentListener` registered: its consent type, and how to call it (in the
 * template's own session, realm and time limit).
 */
export interface ConsentListener {
  readonly consentType: string;
  readonly notify: (granted: boolean) => void;
}

/**
 * Mutable page state shared by every firing on the same page: the page itself (`host`: simulated
 * from `init` unless another host, e.g. a real browser page, is given) and GTM's state around it.
 * With another host, `init`'s page fields (window, URL, cookies, storage, scripts…) are the host's
 * business; the GTM fields (consent, container version, clock, random seed, debug mode, time limit)
 * still apply.
 */
export class Page {
  readonly host: PageHost;
  /** Consent as updated (the world's own state, then `updateConsentState`); wins over defaults. */
  readonly consent = new Map<string, boolean>();
  /** Consent defaults (`setDefaultConsentState`), read where no update was made. */
  readonly consentDefaults = new Map<string, boolean>();
  /** Types whose default asked to wait for an update (`wait_for_update`) and got none yet. */
  readonly consentWaiting = new Set<string>();
  /**
   * Every template's `addConsentListener` listeners on this page, in the order they were added:
   * gtm.js keeps one list for the page (docs/runtime.md, "Web APIs"), so a consent command from
   * any template reaches them all.
   */
  readonly consentListeners: ConsentListener[] = [];
  /** Consent commands of any template on the page, waiting for the end of the current event. */
  readonly consentQueue: { command: 'default' | 'update'; settings: Record<string, unknown> }[] = [];
  readonly templateStorage = new Map<string, Map<string, unknown>>();
  /** cacheToken → script state, for injectScript de-duplication (a failed load is dropped). */
  readonly scriptCache = new Map<
    string,
    { state: 'loading' | 'loaded' | 'failed'; waiters: [unknown, unknown][] }
  >();
  readonly containerVersion: ContainerVersion;
  readonly timestamp: number;
  readonly debugMode: boolean;
  readonly timeLimitMs: number;
  /** The server container's state (server templates only; the web APIs never touch it). */
  readonly server: ServerState;
  private randomState: number;

  /** Whether `type` is granted: the update, else the default, else granted (unset). */
  consentGranted(type: string): boolean {
    return this.consent.get(type) ?? this.consentDefaults.get(type) ?? true;
  }

  /**
   * Applies one consent command as gtm.js's consent state does, and returns the types whose
   * listeners it notifies. A default sets the type's default unless an earlier default denied it,
   * and notifies no one; an update notifies when the type's state changed, or when its default was
   * still waiting for an update. A value left undefined or null changes nothing; any value but
   * 'granted' denies. Evidence in docs/runtime.md, "Web APIs".
   */
  applyConsent(command: 'default' | 'update', settings: Record<string, unknown>): string[] {
    const notified: string[] = [];
    const wait = Number(settings.wait_for_update);
    for (const [type, value] of Object.entries(settings)) {
      if (type === 'region' || type === 'wait_for_update' || value === undefined || value === null) continue;
      const granted = value === 'granted';
      if (command === 'default') {
        if (this.consentDefaults.get(type) === false) continue;
        this.consentDefaults.set(type, granted);
        if (wait > 0 && !this.consent.has(type)) this.consentWaiting.add(type);
        else this.consentWaiting.delete(type);
        continue;
      }
      const before = this.consentGranted(type);
      this.consent.set(type, granted);
      if (this.consentWaiting.delete(type) || before !== granted) notified.push(type);
    }
    return notified;
  }

  /**
   * Calls the listeners of `types` (the types one consent command changed) as gtm.js does: those
   * added before the command, each once, in the order they were added (gtm.js marks them first,
   * then calls the marked ones); one that throws does not stop the others or the command.
   */
  notifyConsentListeners(types: readonly string[]): void {
    const due = this.consentListeners.filter((l) => types.includes(l.consentType));
    for (const l of due) {
      try {
        l.notify(this.consentGranted(l.consentType));
      } catch {
        // gtm.js: `try{d.mj(…)}catch(e){}`; the listener's failure is its own.
      }
    }
  }

  constructor(
    readonly init: WorldInit = {},
    host?: PageHost,
  ) {
    this.host = host ?? new SimulatedPage(init);
    for (const [k, v] of Object.entries(init.consent ?? {}))
      this.consent.set(k, v === true || v === 'granted');
    this.debugMode = init.debugMode ?? false;
    // In the order gtm.js sets them (docs/runtime.md, "Web APIs"); a copy's keys keep it.
    this.containerVersion = {
      containerId: 'GTM-XXXXXXX',
      version: '1',
      environmentName: '',
      debugMode: this.debugMode,
      previewMode: this.debugMode,
      environmentMode: false,
      ...init.containerVersion,
    };
    this.timestamp = init.timestamp ?? Date.now();
    this.timeLimitMs = init.timeLimitMs ?? 1000;
    this.server = new ServerState(init.server);
    this.randomState = (init.random ?? 1) >>> 0 || 1;
  }

  get window(): Record<string, unknown> {
    return this.host.window;
  }

  get url(): string {
    return this.host.url;
  }

  get referrer(): string {
    return this.host.referrer;
  }

  get title(): string {
    return this.host.title;
  }

  get characterSet(): string {
    return this.host.characterSet;
  }

  /** A seeded PRNG (mulberry32), so runs are repeatable. */
  nextRandom(): number {
    let t = (this.randomState = (this.randomState + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** The page of `WorldInit` as plain data: a cookie jar, a storage map, scripts that run as told. */
export class SimulatedPage implements PageHost {
  readonly window: Record<string, unknown>;
  readonly url: string;
  readonly referrer: string;
  readonly title: string;
  readonly characterSet: string;
  private readonly jar: PageCookie[] = [];
  private readonly storage = new Map<string, string>();
  readonly localStorage: HostStorage = {
    getItem: (key) => this.storage.get(key) ?? null,
    setItem: (key, value) => void this.storage.set(key, value),
    removeItem: (key) => void this.storage.delete(key),
    items: () => Object.fromEntries(this.storage),
  };

  constructor(readonly init: WorldInit = {}) {
    this.window = cloneGraph(init.window ?? {}) as Record<string, unknown>;
    if (init.dataLayer) this.window.dataLayer = withContainerPush(cloneGraph(init.dataLayer) as unknown[]);
    this.url = init.url ?? 'https://example.com/';
    this.referrer = init.referrer ?? '';
    for (const c of parseCookies(init.cookies)) this.jar.push(c);
    for (const [k, v] of Object.entries(init.localStorage ?? {})) this.storage.set(k, String(v));
    this.title = init.title ?? '';
    this.characterSet = init.characterSet ?? 'UTF-8';
  }

  cookies(): PageCookie[] {
    return this.jar.map((c) => ({ ...c }));
  }

  /** The page's clock for cookie expiry: the world's time, as getTimestampMillis reads it. */
  private now(): number {
    return this.init.timestamp ?? Date.now();
  }

  setCookie(name: string, value: string, options: Record<string, unknown>): void {
    // As a browser stores it (RFC 6265 §5.3): Max-Age wins over Expires; a cookie whose Max-Age is
    // not positive, or whose Expires date has passed, is deleted. That is how templates delete one
    // with setCookie ("Sets or deletes the cookie", Google's API reference).
    const maxAge = options['max-age'];
    const expires = options.expires;
    const expired =
      maxAge !== undefined && maxAge !== null
        ? Number(maxAge) <= 0
        : expires !== undefined && expires !== null && Date.parse(String(expires)) <= this.now();
    for (let i = this.jar.length - 1; i >= 0; i--) if (this.jar[i]!.name === name) this.jar.splice(i, 1);
    if (!expired) this.jar.push({ name, value });
  }

  load(kind: LoadKind, url: string, done: (ok: boolean) => void, defer: (task: () => void) => void): void {
    if (kind !== 'script') {
      const ok = (lookupByUrl(this.init.pixels, url) ?? 'load') === 'load';
      defer(() => done(ok));
      return;
    }
    defer(() => {
      const behaviour = lookupByUrl(this.init.scripts, url) ?? 'load';
      if (behaviour === 'fail') return done(false);
      if (typeof behaviour === 'function') behaviour(this.window);
      done(true);
    });
  }
}

export function lookupByUrl<T>(table: Record<string, T> | undefined, url: string): T | undefined {
  if (!table) return undefined;
  if (Object.prototype.hasOwnProperty.call(table, url)) return table[url];
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (url.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : table[best];
}

function parseCookies(init: WorldInit['cookies']): { name: string; value: string }[] {
  if (!init) return [];
  if (typeof init === 'string') return parseCookieString(init);
  const out: { name: string; value: string }[] = [];
  for (const [name, v] of Object.entries(init)) {
    for (const value of Array.isArray(v) ? v : [v]) out.push({ name, value: String(value) });
  }
  return out;
}

/** Copies plain objects and arrays so the caller's `world` is never changed; functions are kept. */
function cloneGraph(value: unknown, memo = new Map<object, unknown>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (memo.has(value)) return memo.get(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    memo.set(value, out);
    for (const item of value) out.push(cloneGraph(item, memo));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  memo.set(value, out);
  for (const key of Object.keys(value)) out[key] = cloneGraph((value as Record<string, unknown>)[key], memo);
  return out;
}
