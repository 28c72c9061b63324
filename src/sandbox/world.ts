// The world a template runs in: the page as the caller describes it (`WorldInit`), and `Page`, the
// mutable state of that page across one or more firings (window, cookies, storage, consent,
// scripts already injected). Everything here is plain data; no realm, no Node.

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
}

export interface CookieWrite {
  name: string;
  value: string;
  options: Record<string, unknown>;
  encode: boolean;
}

/** Mutable page state shared by every firing on the same page. */
export class Page {
  readonly window: Record<string, unknown>;
  readonly url: string;
  readonly referrer: string;
  readonly cookies: { name: string; value: string }[] = [];
  readonly localStorage = new Map<string, string>();
  readonly consent = new Map<string, boolean>();
  readonly templateStorage = new Map<string, Map<string, unknown>>();
  /** cacheToken → script state, for injectScript de-duplication. */
  readonly scriptCache = new Map<
    string,
    { state: 'loading' | 'loaded' | 'failed'; waiters: [unknown, unknown][] }
  >();
  readonly title: string;
  readonly characterSet: string;
  readonly containerVersion: ContainerVersion;
  readonly timestamp: number;
  readonly debugMode: boolean;
  readonly timeLimitMs: number;
  private randomState: number;

  constructor(readonly init: WorldInit = {}) {
    this.window = cloneGraph(init.window ?? {}) as Record<string, unknown>;
    if (init.dataLayer) this.window.dataLayer = cloneGraph(init.dataLayer);
    this.url = init.url ?? 'https://example.com/';
    this.referrer = init.referrer ?? '';
    for (const c of parseCookies(init.cookies)) this.cookies.push(c);
    for (const [k, v] of Object.entries(init.localStorage ?? {})) this.localStorage.set(k, String(v));
    for (const [k, v] of Object.entries(init.consent ?? {}))
      this.consent.set(k, v === true || v === 'granted');
    this.title = init.title ?? '';
    this.characterSet = init.characterSet ?? 'UTF-8';
    this.debugMode = init.debugMode ?? false;
    this.containerVersion = {
      containerId: 'GTM-XXXXXXX',
      debugMode: this.debugMode,
      environmentName: '',
      environmentMode: false,
      previewMode: this.debugMode,
      version: '1',
      ...init.containerVersion,
    };
    this.timestamp = init.timestamp ?? Date.now();
    this.timeLimitMs = init.timeLimitMs ?? 1000;
    this.randomState = (init.random ?? 1) >>> 0 || 1;
  }

  /** A seeded PRNG (mulberry32), so runs are repeatable. */
  nextRandom(): number {
    let t = (this.randomState = (this.randomState + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  scriptBehaviour(url: string): ScriptBehaviour {
    return lookupByUrl(this.init.scripts, url) ?? 'load';
  }

  pixelBehaviour(url: string): 'load' | 'fail' {
    return lookupByUrl(this.init.pixels, url) ?? 'load';
  }
}

function lookupByUrl<T>(table: Record<string, T> | undefined, url: string): T | undefined {
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
  if (typeof init === 'string') {
    return init
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const eq = part.indexOf('=');
        return eq < 0 ? { name: part, value: '' } : { name: part.slice(0, eq), value: part.slice(eq + 1) };
      });
  }
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
