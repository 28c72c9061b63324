// Headless Chromium that never reaches the network (Node side), for the browser tests, the
// benchmarks and the screenshot script. Debian's `chromium` runs through `playwright-core`
// (browsers cannot be downloaded here); `scripts/chromium.ts` installs it where it is missing.
//
// Every request a page makes that is not for loopback goes through Playwright's routing and is
// answered locally (a stand-in registered with `answer`, or a recorded 1×1 pixel for images) or
// aborted. Behind that, Chromium is started with a proxy that does not exist, so a request that
// escaped the routing would fail instead of leaving the machine; `escaped()` lists such requests
// and tests assert it is empty.

import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page, Request, Route } from 'playwright-core';

/** Where Debian (and most Linux distributions) put Chromium; `CHROMIUM_PATH` wins. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

/** The one line a missing browser gets: what is missing and how to install it. */
export const CHROMIUM_MISSING =
  "Chromium not found, so the browser suites cannot run: install Debian's chromium with `sudo npm run setup:browser` (runs apt-get install -y chromium), or set CHROMIUM_PATH to a Chromium executable.";

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Nothing listens on port 9 (discard): a request that escaped Playwright's routing fails here.
  // Chromium never proxies loopback, so pages served from localhost still load.
  '--proxy-server=http://127.0.0.1:9',
];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium executable to use, or `undefined` when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return isExecutable(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  return CANDIDATES.find(isExecutable);
}

/** `Chromium 156.0.… built on Debian …`, or undefined when it does not start. */
export function chromiumVersion(executable: string): string | undefined {
  try {
    return execFileSync(executable, ['--version'], { encoding: 'utf8', timeout: 20_000 }).trim();
  } catch {
    return undefined;
  }
}

export function isLoopback(url: string): boolean {
  let host: string;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'ws:' && u.protocol !== 'wss:')
      return true; // data:, blob:, about: never reach the network
    host = u.hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** How a stand-in answers a request (Playwright's `route.fulfill` options, or `'abort'`). */
export type Answer =
  | { status?: number; contentType?: string; body?: string | Buffer; headers?: Record<string, string> }
  | 'abort';

export interface OffsiteRequest {
  url: string;
  method: string;
  resourceType: string;
  /** `stand-in`: answered by an `answer` handler; `pixel`: the recorded 1×1 image; `aborted`. */
  answer: 'stand-in' | 'pixel' | 'aborted';
}

type Matcher = (url: string) => boolean;

/** A transparent 1×1 GIF: what every image request off loopback gets unless a stand-in answers. */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export interface LaunchOptions {
  /** Default: `findChromium()`. */
  executablePath?: string;
}

export class OfflineBrowser {
  /** Every request off loopback, in order, with how it was answered. */
  readonly offsite: OffsiteRequest[] = [];
  private readonly handlers: { match: Matcher; answer: (request: Request) => Answer | Promise<Answer> }[] =
    [];
  private readonly handled = new WeakSet<Request>();
  private readonly seen: Request[] = [];
  private readonly sockets: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    private readonly userDataDir: string,
  ) {}

  /** Starts Chromium with a fresh profile. Throws `CHROMIUM_MISSING` (one line) when there is none. */
  static async launch(options: LaunchOptions = {}): Promise<OfflineBrowser> {
    const executablePath = options.executablePath ?? findChromium();
    if (!executablePath) throw new Error(CHROMIUM_MISSING);
    const { chromium } = await import('playwright-core');
    const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'gtm-template-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_FLAGS,
      serviceWorkers: 'block',
      timeout: 60_000,
    });
    const browser = new OfflineBrowser(context, userDataDir);
    await browser.guard();
    return browser;
  }

  private async guard(): Promise<void> {
    this.context.on('request', (request) => this.seen.push(request));
    this.context.on('page', (page) => this.watchSockets(page));
    for (const page of this.context.pages()) this.watchSockets(page);
    await this.context.route('**/*', (route) => this.route(route));
  }

  private watchSockets(page: Page): void {
    page.on('websocket', (ws) => {
      if (!isLoopback(ws.url())) this.sockets.push(ws.url());
    });
  }

  private async route(route: Route): Promise<void> {
    const request = route.request();
    const url = request.url();
    if (isLoopback(url)) return route.continue();
    this.handled.add(request);
    const entry: OffsiteRequest = {
      url,
      method: request.method(),
      resourceType: request.resourceType(),
      answer: 'aborted',
    };
    this.offsite.push(entry);
    const handler = this.handlers.find((h) => h.match(url));
    if (handler) {
      const answer = await handler.answer(request);
      if (answer === 'abort') return route.abort('blockedbyclient');
      entry.answer = 'stand-in';
      return route.fulfill(answer);
    }
    if (request.resourceType() === 'image') {
      entry.answer = 'pixel';
      return route.fulfill({ status: 200, contentType: 'image/gif', body: PIXEL_GIF });
    }
    return route.abort('blockedbyclient');
  }

  /**
   * Answers requests off loopback whose URL starts with `match` (or satisfies it) with `answer`,
   * e.g. a stand-in script. Later registrations are tried after earlier ones.
   */
  answer(
    match: string | RegExp | Matcher,
    answer: Answer | ((request: Request) => Answer | Promise<Answer>),
  ): void {
    const test: Matcher =
      typeof match === 'string'
        ? (url) => url.startsWith(match)
        : match instanceof RegExp
          ? (url) => match.test(url)
          : match;
    this.handlers.push({ match: test, answer: typeof answer === 'function' ? answer : () => answer });
  }

  /** Requests (and WebSockets) off loopback that were not answered locally: must be empty. */
  escaped(): string[] {
    return [
      ...this.seen.filter((r) => !isLoopback(r.url()) && !this.handled.has(r)).map((r) => r.url()),
      ...this.sockets,
    ];
  }

  /** Forgets the offsite log (between tests on one browser). */
  clearLog(): void {
    this.offsite.length = 0;
  }

  async newPage(): Promise<Page> {
    return this.context.newPage();
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}
