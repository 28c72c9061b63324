// Driving the sandbox in a page from a test: open a page of the test site, fire the built giosg
// template there (`gtmSandbox.fire`), and read back what the page and giosg's stand-in saw.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { Outcome } from '../../src/sandbox/index.js';
import { templatePath } from '../template/built-template.js';
import type { StandInLog } from './giosg-standin.js';

export const TEMPLATE_TEXT = readFileSync(templatePath, 'utf8');

/** A `RunResult` as it leaves the page (`toWire`). */
export interface WireResult {
  outcome: Outcome;
  error?: string;
  errorCode?: string;
  calls: { name: string; args: unknown[] }[];
  logs: unknown[][];
  injectedScripts: { url: string; cacheToken?: string }[];
  pixels: string[];
  iframes: string[];
  cookiesSet: unknown[];
  window: Record<string, unknown>;
  localStorage: Record<string, string>;
  cookies: { name: string; value: string }[];
  gtmOnSuccessCount: number;
  gtmOnFailureCount: number;
}

interface SandboxGlobal {
  gtmSandbox: {
    open(world?: object, options?: object): void;
    fire(template: string, data: object): Promise<WireResult>;
  };
  __giosgStandIn?: StandInLog;
  __firings?: Promise<WireResult>[];
}

/** Opens a sandbox on the page (debug mode by default, as GTM's Preview). */
export async function openSandbox(page: Page, world: object = { debugMode: true }): Promise<void> {
  await page.evaluate((w) => (window as unknown as SandboxGlobal).gtmSandbox.open(w), world);
}

/** Fires the built template once and waits for it to finish (its loads completed). */
export function fire(page: Page, data: Record<string, unknown>): Promise<WireResult> {
  return page.evaluate(
    ([text, d]) => (window as unknown as SandboxGlobal).gtmSandbox.fire(text as string, d as object),
    [TEMPLATE_TEXT, data] as const,
  );
}

/**
 * An inline `<script>` that fires the template while the page is being parsed (so before whatever
 * comes after it in the HTML); the firing's result is kept in `window.__firings`.
 */
export function firingScript(data: Record<string, unknown>): string {
  // `<` escaped so the template text cannot end the script element.
  const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
  return `<script>
  gtmSandbox.open({ debugMode: true });
  (window.__firings = window.__firings || []).push(gtmSandbox.fire(${json(TEMPLATE_TEXT)}, ${json(data)}));
</script>`;
}

/** The results of the firings started by `firingScript`, once they have finished. */
export function pageFirings(page: Page): Promise<WireResult[]> {
  return page.evaluate(() => Promise.all((window as unknown as SandboxGlobal).__firings ?? []));
}

/** What giosg's stand-in recorded, or undefined while it has not loaded. */
export function standIn(page: Page): Promise<StandInLog | undefined> {
  return page.evaluate(() => (window as unknown as SandboxGlobal).__giosgStandIn);
}

/** `window._giosg._e` as lists of arguments, or undefined when there is no queue. */
export function giosgQueue(page: Page): Promise<unknown[][] | undefined> {
  return page.evaluate(() => {
    const giosg = (window as unknown as { _giosg?: { _e?: ArrayLike<unknown>[] } })._giosg;
    return giosg?._e ? Array.from(giosg._e, (args) => Array.from(args)) : undefined;
  });
}

/** `_giosg._c` and `_giosg._h` on the page. */
export function giosgFields(page: Page): Promise<{ _c: unknown; _h: unknown }> {
  return page.evaluate(() => {
    const giosg = (window as unknown as { _giosg?: { _c?: unknown; _h?: unknown } })._giosg;
    return { _c: giosg?._c, _h: giosg?._h };
  });
}

/** The `src` of every script element that loads giosg's client. */
export function clientScripts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('script[src*="/live2/"]'), (s) => (s as HTMLScriptElement).src),
  );
}
