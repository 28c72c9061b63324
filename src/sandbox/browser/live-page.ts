/// <reference lib="dom" />
// The real page behind the `PageHost` seam (page side): the page's own `window`, `document.cookie`,
// `localStorage`, and real `<script>`, image and `<iframe>` loads whose load and error events
// complete the template's callbacks. Nothing here is simulated; what the network answers is up to
// whoever serves the page (in tests, Playwright routes that answer locally).

import {
  parseCookieString,
  type HostStorage,
  type LoadKind,
  type PageCookie,
  type PageHost,
} from '../page-host.js';
import type { WorldInit } from '../world.js';

export interface LivePageOptions {
  /** Called after a load completed and its callback was queued, so the runner can run it now. */
  onEvent?: () => void;
}

/** The page's state as it was when the `LivePage` was made, so `reset` can put it back. */
interface Baseline {
  globals: Map<string, unknown>;
}

export class LivePage implements PageHost {
  /** Loads started and not yet completed. */
  pending = 0;
  /** Elements the loads added to the document (scripts, iframes), for `reset`. */
  private readonly added: Element[] = [];
  private readonly baseline: Baseline;
  private settledWaiters: (() => void)[] = [];
  onEvent?: () => void;

  constructor(
    readonly win: Window = window,
    options: LivePageOptions = {},
  ) {
    this.onEvent = options.onEvent;
    this.baseline = {
      globals: new Map(Object.keys(win).map((k) => [k, (win as unknown as Record<string, unknown>)[k]])),
    };
  }

  get window(): Record<string, unknown> {
    return this.win as unknown as Record<string, unknown>;
  }

  get url(): string {
    return this.win.location.href;
  }

  get referrer(): string {
    return this.win.document.referrer;
  }

  get title(): string {
    return this.win.document.title;
  }

  get characterSet(): string {
    return this.win.document.characterSet;
  }

  cookies(): PageCookie[] {
    return parseCookieString(this.win.document.cookie);
  }

  setCookie(name: string, value: string, options: Record<string, unknown>): void {
    const doc = this.win.document;
    const base = cookieAttributes(options);
    const domain = options.domain;
    if (domain === undefined || domain === null || domain === '' || domain === 'none') {
      doc.cookie = `${name}=${value}${base}`;
      return;
    }
    if (domain !== 'auto') {
      doc.cookie = `${name}=${value}; domain=${String(domain)}${base}`;
      return;
    }
    // 'auto': the widest domain the browser accepts, trying from the registrable end inwards (as
    // gtag does); hosts without dots (localhost) and IP addresses take a host-only cookie.
    const host = this.win.location.hostname;
    const labels = host.split('.');
    const isIp = /^[\d.]+$/.test(host) || host.includes(':');
    if (!isIp && labels.length > 1) {
      for (let i = labels.length - 2; i >= 0; i--) {
        const candidate = labels.slice(i).join('.');
        doc.cookie = `${name}=${value}; domain=${candidate}${base}`;
        if (
          expiresNow(options) ||
          parseCookieString(doc.cookie).some((c) => c.name === name && c.value === value)
        )
          return;
      }
    }
    doc.cookie = `${name}=${value}${base}`;
  }

  readonly localStorage: HostStorage = {
    getItem: (key) => this.win.localStorage.getItem(key),
    setItem: (key, value) => this.win.localStorage.setItem(key, value),
    removeItem: (key) => this.win.localStorage.removeItem(key),
    items: () => {
      const out: Record<string, string> = {};
      const storage = this.win.localStorage;
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i)!;
        out[key] = storage.getItem(key) ?? '';
      }
      return out;
    },
  };

  load(kind: LoadKind, url: string, done: (ok: boolean) => void, defer: (task: () => void) => void): void {
    const doc = this.win.document;
    this.pending++;
    let finished = false;
    const finish = (ok: boolean) => {
      if (finished) return;
      finished = true;
      this.pending--;
      defer(() => done(ok));
      this.onEvent?.();
      if (this.pending === 0) for (const wake of this.settledWaiters.splice(0)) wake();
    };
    if (kind === 'pixel') {
      // As GTM's sendPixel: an image request; success when it loads as an image.
      const img = new (this.win as unknown as { Image: typeof Image }).Image();
      img.onload = () => finish(true);
      img.onerror = () => finish(false);
      img.src = url;
      return;
    }
    if (kind === 'script') {
      const script = doc.createElement('script');
      script.async = true;
      script.src = url;
      script.onload = () => finish(true);
      script.onerror = () => finish(false);
      this.added.push(script);
      (doc.head ?? doc.documentElement).appendChild(script);
      return;
    }
    const iframe = doc.createElement('iframe');
    iframe.style.display = 'none';
    iframe.setAttribute('aria-hidden', 'true');
    iframe.width = '0';
    iframe.height = '0';
    // An iframe has no error event: a page that fails to load still "loads" (an error page), and
    // GTM only reports success for iframes.
    iframe.onload = () => finish(true);
    iframe.src = url;
    this.added.push(iframe);
    (doc.body ?? doc.documentElement).appendChild(iframe);
  }

  log(args: unknown[]): void {
    // As GTM's logToConsole: the page's own console (Preview's console lines, DevTools).
    (this.win as unknown as { console: Console }).console.log(...args);
  }

  /** Resolves when no load is pending (at once if none is), or after `timeoutMs`. */
  settled(timeoutMs: number): Promise<boolean> {
    if (this.pending === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.settledWaiters = this.settledWaiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.settledWaiters.push(wake);
    });
  }

  /**
   * Applies the page fields of a `WorldInit` to the real page: `window` globals (assigned at the top
   * level), `dataLayer`, cookies, `localStorage` and `title`. The URL, referrer and character set
   * are the real page's (serve the page at the URL you want); scripts and pixels are answered by
   * whoever serves the page.
   */
  apply(world: WorldInit): void {
    const win = this.window;
    for (const [key, value] of Object.entries(world.window ?? {})) win[key] = value;
    if (world.dataLayer) win.dataLayer = [...world.dataLayer];
    const cookies = world.cookies;
    if (typeof cookies === 'string') {
      for (const c of parseCookieString(cookies)) this.win.document.cookie = `${c.name}=${c.value}; path=/`;
    } else {
      for (const [name, v] of Object.entries(cookies ?? {}))
        for (const value of Array.isArray(v) ? v : [v]) this.win.document.cookie = `${name}=${value}; path=/`;
    }
    for (const [key, value] of Object.entries(world.localStorage ?? {}))
      this.win.localStorage.setItem(key, String(value));
    if (world.title !== undefined) this.win.document.title = world.title;
  }

  /**
   * Puts the page back as it was when this `LivePage` was made, as far as a page can: top-level
   * globals added since are deleted and replaced ones restored (changes inside objects that were
   * already there stay), every cookie the page can see is expired, local storage is cleared, and
   * the scripts and iframes its loads added are removed.
   */
  reset(): void {
    const win = this.window;
    for (const key of Object.keys(win)) {
      if (!this.baseline.globals.has(key)) Reflect.deleteProperty(win, key);
    }
    for (const [key, value] of this.baseline.globals) {
      if (win[key] !== value) {
        try {
          win[key] = value;
        } catch {
          // read-only browser globals are never replaced by the sandbox
        }
      }
    }
    for (const { name } of this.cookies()) {
      const host = this.win.location.hostname;
      const labels = host.split('.');
      this.win.document.cookie = `${name}=; max-age=0; path=/`;
      for (let i = 0; i < labels.length - 1; i++)
        this.win.document.cookie = `${name}=; max-age=0; path=/; domain=${labels.slice(i).join('.')}`;
    }
    this.win.localStorage.clear();
    for (const el of this.added.splice(0)) el.remove();
  }

  /**
   * The page's own globals: everything on `window` that a blank page of this browser does not have
   * (`blank`: the keys of such a page's window), as plain copies. The sandbox's own global is left out.
   */
  ownGlobals(blank: ReadonlySet<string>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(this.win)) {
      // Index keys are the page's frames (the realm's own iframe among them), not globals.
      if (blank.has(key) || key === 'gtmSandbox' || /^\d+$/.test(key)) continue;
      out[key] = (this.win as unknown as Record<string, unknown>)[key];
    }
    return out;
  }
}

function expiresNow(options: Record<string, unknown>): boolean {
  return options['max-age'] !== undefined && Number(options['max-age']) <= 0;
}

/** `; path=…; max-age=…` and the rest of a cookie string for GTM's `setCookie` options. */
function cookieAttributes(options: Record<string, unknown>): string {
  let out = `; path=${options.path === undefined ? '/' : String(options.path)}`;
  if (options['max-age'] !== undefined) out += `; max-age=${String(options['max-age'])}`;
  if (options.expires !== undefined) out += `; expires=${String(options.expires)}`;
  if (options.secure === true) out += '; secure';
  const sameSite = options.samesite ?? options.sameSite;
  if (sameSite !== undefined) out += `; samesite=${String(sameSite)}`;
  return out;
}
