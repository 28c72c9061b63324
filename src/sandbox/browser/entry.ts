/// <reference lib="dom" />
// The entry point of the sandbox bundle a page loads (`bundle.ts` builds it): one global,
// `window.gtmSandbox`, documented in README.md beside this file. Everything it returns is plain
// data (`toWire`), so callers outside the page (Playwright, a preview UI) get it unchanged.

import { parse } from '../../tpl/parse.js';
import type { Template } from '../../tpl/model.js';
import type { WorldInit } from '../world.js';
import { LiveSandboxPage, runTestsInPage, type LiveOptions } from './live-sandbox.js';
import { toWire } from './wire.js';

const parsed = new Map<string, Template>();

/** A template from its `.tpl` text (parsed once per text), or a parsed template as is. */
function templateOf(template: string | Template): Template {
  if (typeof template !== 'string') return template;
  let t = parsed.get(template);
  if (!t) {
    t = parse(template);
    if (t.syntaxErrors.length > 0) {
      const first = t.syntaxErrors[0]!;
      throw new Error(`the template does not parse: ${JSON.stringify(first)}`);
    }
    parsed.set(template, t);
  }
  return t;
}

let current: LiveSandboxPage | undefined;

export const gtmSandbox = {
  /** Bumped when the shape of this object or of its results changes. */
  version: 1,
  /**
   * Starts a sandbox on this page: `world`'s page fields are applied to the real page, its GTM
   * fields (consent, container version, clock, debug mode…) kept for the firings that follow. Later
   * firings share the page, the script cache and GTM's state, until the next `open`. Without `open`,
   * the first firing opens one with no world.
   */
  open(world: WorldInit = {}, options: LiveOptions = {}): void {
    current = new LiveSandboxPage(world, options);
  },
  /** The sandbox `fire` uses, for callers inside the page that want the unconverted `RunResult`. */
  current(): LiveSandboxPage {
    return (current ??= new LiveSandboxPage());
  },
  /** Fires a template (`.tpl` text or parsed) once on this page; resolves to a plain `RunResult`. */
  async fire(template: string | Template, data: Record<string, unknown> = {}): Promise<unknown> {
    return toWire(await gtmSandbox.current().fire(templateOf(template), data));
  },
  /** Runs a template's ___TESTS___ scenarios on this page (reset before each); plain `ScenarioResult`s. */
  runTests(template: string | Template, options: { world?: WorldInit; only?: string[] } = {}): unknown {
    return toWire(runTestsInPage(templateOf(template), options));
  },
  parse: templateOf,
  toWire,
};

(globalThis as unknown as { gtmSandbox: typeof gtmSandbox }).gtmSandbox = gtmSandbox;
