// The seam between the runtime's APIs and the page a template runs on. Everything an API reads or
// changes in the page (window, URL, title, cookies, local storage, script/pixel/iframe loads, the
// console) goes
// through a `PageHost`: `SimulatedPage` in `world.ts` (plain data, used in Node), or `LivePage` in
// `browser/live-page.ts` (the real `window` and `document` of a browser page). GTM's own state
// (consent, template storage, the script cache, container data, the clock) is not the page's: it
// stays on `Page`, the same in both.

export interface PageCookie {
  name: string;
  /** As stored: encoded when `setCookie` was asked to encode. */
  value: string;
}

export type LoadKind = 'script' | 'pixel' | 'iframe';

export interface PageHost {
  /** The page's global object: a plain object graph when simulated, the real `window` in a browser. */
  readonly window: Record<string, unknown>;
  /** `location.href`. */
  readonly url: string;
  /** `document.referrer`. */
  readonly referrer: string;
  readonly title: string;
  readonly characterSet: string;
  /** The cookies page scripts can read (`document.cookie`), in order; a name may repeat. */
  cookies(): PageCookie[];
  /**
   * Sets a cookie (`value` already encoded) with GTM's `setCookie` options (`domain`, `path`,
   * `max-age`, `expires`, `secure`, `samesite`); a `max-age` of 0 or less removes it.
   */
  setCookie(name: string, value: string, options: Record<string, unknown>): void;
  readonly localStorage: HostStorage;
  /**
   * Loads `url` as a script (`<script src>`), pixel (an image request) or hidden iframe. The outcome
   * goes to `done` (true: loaded) through `defer`, never synchronously: a simulated page queues it at
   * once, so callbacks run in the order the loads were asked for; a real page queues it when the
   * element's load or error event fires, which may be after the firing's code has returned.
   */
  load(kind: LoadKind, url: string, done: (ok: boolean) => void, defer: (task: () => void) => void): void;
  /** Writes a `logToConsole` line to the page's console (a real page's `console.log`); optional. */
  log?(args: unknown[]): void;
}

/** The part of the Web Storage interface the sandbox uses, plus a copy of everything stored. */
export interface HostStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /** Every stored item, for run results. */
  items(): Record<string, string>;
}

/** The cookies of a `document.cookie` string (`a=1; b=2`), in order; a part without `=` is a name. */
export function parseCookieString(text: string): PageCookie[] {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? { name: part, value: '' } : { name: part.slice(0, eq), value: part.slice(eq + 1) };
    });
}
