/// <reference lib="dom" />
// The agent of the simulated page: it runs first in the page's <head>, applies the page's setup
// (cookies, local storage, the site's script, data layer pushes), keeps the page's console, and
// fires the template in the browser realm (`src/sandbox/browser`) against this page's real window.
// Loads the tag asks for go to the preview server, which answers them itself; the tag still sees
// the URL it asked for, and `getUrl` sees the simulated address, not the server's.

import { LivePage, type LivePageOptions } from '../../sandbox/browser/live-page.js';
import { LiveSandboxPage } from '../../sandbox/browser/live-sandbox.js';
import { toWire } from '../../sandbox/browser/wire.js';
import type { Template } from '../../tpl/model.js';
import { parse } from '../../tpl/parse.js';
import { formData } from '../form/data.js';
import { cookiePairs, storagePairs, type PageSetup } from '../page/setup.js';
import { variableLookup } from '../page/variables.js';
import type { ConsoleLine, WireRunResult } from '../result.js';
import { formatValue } from '../result.js';
import { AGENT_GLOBAL, type AgentFiring, type FireRequest, type PreviewAgent } from './agent-api.js';

const setup = JSON.parse(document.getElementById('preview-setup')?.textContent ?? '{}') as PageSetup;
const setupErrors: string[] = [];
const consoleLines: ConsoleLine[] = [];
const blocked: string[] = [];
/** True while the template's logToConsole writes to the console (through the host's `log`). */
let templateWriting = false;

function consoleText(value: unknown): string {
  return typeof value === 'string' ? value : formatValue(toWire(value));
}

/** The page's console, kept (and still printed) so the result can show what the page logged. */
function keepConsole(): void {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      consoleLines.push({
        level,
        text: args.map(consoleText).join(' '),
        from: templateWriting ? 'template' : 'page',
      });
      original(...args);
    };
  }
  window.addEventListener('error', (e) => {
    consoleLines.push({ level: 'error', text: `Uncaught ${e.message}`, from: 'page' });
  });
  document.addEventListener('securitypolicyviolation', (e) => {
    if (e.blockedURI && !blocked.includes(e.blockedURI)) blocked.push(e.blockedURI);
  });
}

/** The page as the tag should see it: the simulated address and referrer, not the preview's. */
class PreviewHost extends LivePage {
  constructor(win: Window, options: LivePageOptions) {
    super(win, options);
  }

  override get url(): string {
    return setup.url;
  }

  override get referrer(): string {
    return setup.referrer;
  }

  /** logToConsole's lines: written to the console like the page's own, but marked as the template's. */
  override log(args: unknown[]): void {
    templateWriting = true;
    try {
      super.log(args);
    } finally {
      templateWriting = false;
    }
  }
}

function run(label: string, code: string): unknown {
  try {
    // Indirect eval: the code runs as a classic script at the top level, as in a real page.
    return (0, eval)(code);
  } catch (err) {
    setupErrors.push(`${label}: ${(err as Error)?.message ?? String(err)}`);
    return undefined;
  }
}

const asked = new WeakMap<object, string>();

/** `url` as the preview server's stand-in address when it is for another host; else unchanged. */
function local(kind: 'script' | 'pixel' | 'iframe' | 'other', url: unknown): string {
  const text = String(url);
  let parsed: URL;
  try {
    parsed = new URL(text, location.href);
  } catch {
    return text;
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.origin === location.origin)
    return text;
  return `/__net/${kind}?u=${encodeURIComponent(parsed.href)}`;
}

/**
 * Every request the page makes for another host goes to the preview server instead, which answers it
 * itself: script, image and iframe addresses (as a property or an attribute), fetch, XMLHttpRequest
 * and sendBeacon. The tag's loads go the same way. Elements still report the address they were
 * given. Anything that slips past (a CSS url(), a WebSocket) is refused by the page's content security
 * policy.
 */
function routeRequests(): void {
  const kinds: [{ prototype: object }, 'script' | 'pixel' | 'iframe'][] = [
    [HTMLScriptElement, 'script'],
    [HTMLImageElement, 'pixel'],
    [HTMLIFrameElement, 'iframe'],
  ];
  for (const [ctor, kind] of kinds) {
    const proto = ctor.prototype;
    const src = Object.getOwnPropertyDescriptor(proto, 'src')!;
    Object.defineProperty(proto, 'src', {
      configurable: true,
      enumerable: src.enumerable,
      get(this: Element) {
        return asked.get(this) ?? src.get!.call(this);
      },
      set(this: Element, value: unknown) {
        asked.set(this, String(value));
        src.set!.call(this, local(kind, value));
      },
    });
  }
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
    if (
      name.toLowerCase() === 'src' &&
      kinds.some(([ctor]) => this instanceof (ctor as unknown as typeof Element))
    ) {
      (this as HTMLScriptElement).src = value;
      return;
    }
    setAttribute.call(this, name, value);
  };
  const fetch = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    fetch(
      input instanceof Request ? new Request(local('other', input.url), input) : local('other', input),
      init,
    );
  const open = XMLHttpRequest.prototype.open as (this: XMLHttpRequest, ...args: unknown[]) => void;
  XMLHttpRequest.prototype.open = function (
    this: XMLHttpRequest,
    method: string,
    url: string | URL,
    ...rest: unknown[]
  ) {
    open.call(this, method, local('other', url), ...rest);
  } as typeof XMLHttpRequest.prototype.open;
  const beacon = navigator.sendBeacon?.bind(navigator);
  if (beacon)
    navigator.sendBeacon = (url: string | URL, data?: BodyInit | null) => beacon(local('other', url), data);
}

/** Cookies, local storage and title first, then the site's script, then the data layer pushes. */
function applySetup(): void {
  for (const [name] of cookiePairs(document.cookie).pairs) document.cookie = `${name}=; max-age=0; path=/`;
  localStorage.clear();
  for (const [name, value] of cookiePairs(setup.cookies).pairs) document.cookie = `${name}=${value}; path=/`;
  for (const [key, value] of storagePairs(setup.localStorage).pairs) localStorage.setItem(key, value);
  document.title = setup.title;
  if (setup.script.trim()) run('Page script', setup.script);
  const w = window as unknown as { dataLayer?: unknown[] };
  w.dataLayer = w.dataLayer || [];
  setup.dataLayer.forEach((text, i) => {
    if (!text.trim()) return;
    const value = run(`Data layer push ${i + 1}`, `(${text}\n)`);
    if (value !== undefined) w.dataLayer!.push(value);
  });
}

const parsed = new Map<string, Template>();
let sandbox: LiveSandboxPage | undefined;
let firings = 0;

async function fire(request: FireRequest): Promise<AgentFiring> {
  // A copy made in this page's realm: the sandbox only takes plain objects of its own page.
  const input = structuredClone(request);
  let template = parsed.get(input.tpl);
  if (!template) parsed.set(input.tpl, (template = parse(input.tpl)));
  sandbox ??= new LiveSandboxPage(
    { debugMode: input.debugMode, url: setup.url, referrer: setup.referrer },
    { host: (w, o) => new PreviewHost(w, o) },
  );
  const page = {
    url: setup.url,
    referrer: setup.referrer,
    cookie: document.cookie,
    window: window as unknown as Record<string, unknown>,
  };
  const { data } = formData(input.parameters, input.values, variableLookup(input.variables, page));
  const consoleBefore = consoleLines.length;
  blocked.length = 0;
  const started = performance.now();
  const result = await sandbox.fire(template, data);
  const durationMs = performance.now() - started;
  return toWire({
    firing: ++firings,
    durationMs,
    data,
    result: result as unknown as WireRunResult,
    pageCalls: result.pageCalls,
    console: consoleLines.slice(consoleBefore),
    blocked: [...blocked],
  }) as AgentFiring;
}

keepConsole();
routeRequests();
applySetup();

const agent: PreviewAgent = { setupErrors, fire };
(window as unknown as Record<string, unknown>)[AGENT_GLOBAL] = agent;
