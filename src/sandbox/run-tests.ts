// `runTests`: a template's own ___TESTS___ scenarios, each in a fresh realm and page, with GTM's
// test semantics: `setup` runs first in the scenario's scope, mocks replace APIs (and skip
// permission checks), un-mocked APIs are the real ones with permission checks, and asynchronous
// work is not run before the scenario's assertions (GTM's runCode returns synchronously).

import { findApiUsage } from '../js/api-usage.js';
import { parseSandboxJs } from '../js/parse.js';
import type { Template } from '../tpl/model.js';
import { implementedApi } from './apis/index.js';
import { NodeRealm } from './node-realm.js';
import { SandboxError, type Realm } from './realm.js';
import { codeWhere, Session } from './runtime.js';
import { createTestGlobals, TestFailure, type RunCodeLog } from './test-api.js';
import { ScenarioCode } from './scenario-code.js';
import { withNotes } from './scenario-notes.js';
import { Page, type WorldInit } from './world.js';
import type { ServerRecord } from './server-world.js';

export interface ScenarioResult {
  name: string;
  status: 'pass' | 'fail' | 'error';
  message?: string;
  /** For errors the runtime raised itself: its stable code (`sandbox/time-limit`, ...). */
  code?: string;
  ms: number;
}

export interface RunTestsOptions {
  /** Fail a scenario when a run did not call exactly one of gtmOnSuccess/gtmOnFailure exactly once (tags). */
  once?: boolean;
  /** Check permissions for mocked APIs too (GTM does not). */
  strictPermissions?: boolean;
  /** Only scenarios whose name is in this list. */
  only?: readonly string[];
  /** Replace a scenario's code (the mutation tester uses this to run mutants of the template). */
  templateOverride?: Template;
  /** The page each scenario starts from (default: debug mode on, as in GTM's test tab). */
  world?: WorldInit;
  realm?: () => Realm;
  /**
   * Makes each scenario's page from `world` (default: a fresh simulated page). A real browser page
   * is reset here and put behind the `Page` instead.
   */
  page?: (world: WorldInit) => Page;
  /** Run only the scenarios from `startAt` up to, not including, `stopAt` (resuming a cut-short run). */
  startAt?: number;
  stopAt?: number;
  /**
   * `false`: no watchdog thread for hangs that no time check sees (a runaway regular expression in
   * a built-in), because the caller ends them itself (the CLI terminates a worker that stalls).
   */
  watchdog?: boolean;
  /** Called with each scenario's result as soon as it is known. */
  onResult?: (result: ScenarioResult) => void;
}

const TEST_TIMESTAMP = 1_700_000_000_000;
/**
 * The page of GTM's Tests tab: debug mode on, and a data layer holding the container's start
 * event, the object Google's container snippet pushes before gtm.js loads
 * (`{'gtm.start': new Date().getTime(), event: 'gtm.js'}`). Google documents neither the Tests
 * tab's page nor the `gtm.uniqueEventId` GTM adds to what it processes, so that id is left out; no
 * scenario of either corpus reads this data layer unmocked (each passes or fails alike with no data
 * layer, an empty one, or this one).
 */
const TEST_WORLD: WorldInit = {
  debugMode: true,
  timestamp: TEST_TIMESTAMP,
  dataLayer: [{ 'gtm.start': TEST_TIMESTAMP, event: 'gtm.js' }],
};
const DEFAULT_TIME_LIMIT_MS = 1000;

function errorMessage(err: unknown): string {
  const e = err as { message?: unknown; name?: unknown; code?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const isPlain = typeof e?.code === 'string' || e?.name === 'Error' || typeof e?.name !== 'string';
  return isPlain ? message : `${String(e.name)}: ${message}`;
}

/** `message`, and `code` when the runtime raised the error itself. */
function errorFields(err: unknown): { message: string; code?: string } {
  const code = err instanceof SandboxError ? err.code : undefined;
  return code ? { message: errorMessage(err), code } : { message: errorMessage(err) };
}

function onceProblem(runs: RunCodeLog[]): string | undefined {
  for (let i = 0; i < runs.length; i++) {
    const { successes, failures } = runs[i]!;
    if (successes + failures !== 1) {
      return `--once: run ${i + 1} called gtmOnSuccess ${successes} and gtmOnFailure ${failures} time(s); a tag must call exactly one of them exactly once`;
    }
  }
  return undefined;
}

/**
 * --once for a client: each run either leaves the request to the next client (never claims it)
 * or claims it and returns the response exactly once.
 */
function clientOnceProblem(server: ServerRecord, runs: number): string | undefined {
  const returned = server.response.returned;
  if (server.claimed && returned < runs)
    return `--once: the client claimed the request but returned the response in ${returned} of ${runs} run(s)`;
  if (returned > runs) return `--once: the client called returnResponse ${returned} times in ${runs} run(s)`;
  return undefined;
}

/** APIs the template code requires that this runtime does not implement (tests may still mock them). */
export function unsupportedApis(template: Template): string[] {
  const parsed = parseSandboxJs(template.code ?? '');
  if (!parsed.ok) return [];
  const names = new Set(findApiUsage(parsed.program).requires.map((r) => r.api));
  return [...names].filter((name) => !implementedApi(name, template.context)).sort();
}

/** Runs every scenario of `template` (none when it has no tests). Never throws. */
export function runTests(template: Template, options: RunTestsOptions = {}): ScenarioResult[] {
  const scenarios = (template.tests?.scenarios ?? [])
    .slice(options.startAt ?? 0, options.stopAt)
    .filter((s) => !options.only || options.only.includes(s.name));
  const setupCode = typeof template.tests?.setup === 'string' ? template.tests.setup : '';
  // Compiled once per file where it can be (scenario-code.ts), and per realm.
  const code = new ScenarioCode(
    setupCode,
    scenarios.map((s) => (typeof s.code === 'string' ? s.code : '')),
    template.context,
  );
  const limitMs = (options.world ?? TEST_WORLD).timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const results: ScenarioResult[] = [];
  const report = (result: ScenarioResult) => {
    results.push(result);
    options.onResult?.(result);
  };
  let unsupported: string[] | undefined;
  // One realm for all scenarios: sandbox code cannot reach the built-ins, and stray globals are
  // cleared between scenarios; each scenario still gets a fresh page, mocks and record.
  let realm: Realm | undefined;
  let next = 0;
  let start = 0;
  while (next < scenarios.length) {
    start = performance.now();
    try {
      realm ??= options.realm ? options.realm() : sharedRealm();
    } catch (err) {
      report({ name: scenarios[next]!.name, status: 'error', ...errorFields(err), ms: 0 });
      next++;
      continue;
    }
    const current = realm;
    const runRemaining = () => {
      for (; next < scenarios.length; next++) {
        const scenario = scenarios[next]!;
        start = performance.now();
        current.resetGlobals();
        const result = runScenario(options.templateOverride ?? template, code, next, options, current);
        if (result.status === 'error' && result.message?.startsWith('not supported: ')) {
          unsupported ??= unsupportedApis(template);
          if (unsupported.length > 1)
            result.message += ` (the template requires these APIs this runtime does not implement: ${unsupported.join(', ')})`;
        }
        const ms = performance.now() - start + code.timeCorrectionMs(next);
        report({ name: scenario.name, ...result, ms });
      }
    };
    try {
      // Each run has its own limit (ticks); one backstop for all of them ends what no tick sees.
      const backstopMs =
        options.watchdog === false ? Infinity : (2 * (scenarios.length - next) + 1) * limitMs;
      if (current.batch) current.batch(runRemaining, backstopMs);
      else runRemaining();
    } catch (err) {
      // The backstop cut the scenario running at that moment short; its realm's state is unknown.
      report({
        name: scenarios[next]!.name,
        status: 'error',
        ...errorFields(err),
        ms: performance.now() - start,
      });
      next++;
      if (realm === shared) shared = undefined;
      realm = undefined;
    }
  }
  return results;
}

/**
 * The Node realm test runs share when the caller brings none. Creating a realm costs more than
 * most scenarios, and nothing carries over: sandbox code cannot reach the built-ins' prototypes,
 * stray globals are cleared before each scenario, and compiled code is forgotten per template.
 */
let shared: NodeRealm | undefined;
function sharedRealm(): NodeRealm {
  shared ??= new NodeRealm();
  shared.compiled.clear();
  return shared;
}

function runScenario(
  template: Template,
  code: ScenarioCode,
  index: number,
  options: RunTestsOptions,
  realm: Realm,
): Omit<ScenarioResult, 'name' | 'ms'> {
  let session: Session | undefined;
  return withNotes(runScenarioIn(), session);

  function runScenarioIn(): Omit<ScenarioResult, 'name' | 'ms'> {
    try {
      const world = options.world ?? TEST_WORLD;
      const page = options.page ? options.page(world) : new Page(world);
      const live = new Session(template, page, realm, {
        strictPermissions: options.strictPermissions,
        unansweredRequestsPend: true,
      });
      session = live;
      const runs: RunCodeLog[] = [];
      const entry = code.entry(realm, index);
      if (!entry.ok) return { status: 'error', message: entry.message };
      const globals = createTestGlobals(live, runs);
      realm.guard(() => entry.run(globals, realm.tick), page.timeLimitMs);
      if (template.context === 'SERVER') {
        // A server scenario ends when its asynchronous work has settled: promise reactions first,
        // then callLater and HTTP callbacks, in order. Assertions queued with callLater count.
        realm.guard(() => live.drain(), page.timeLimitMs);
      }
      if (options.once && template.context === 'SERVER' && template.info?.type === 'CLIENT') {
        const problem = clientOnceProblem(live.record.server, runs.length);
        if (problem) return { status: 'fail', message: problem };
      }
      if (options.once && (template.info?.type ?? 'TAG') === 'TAG') {
        // GTM's Tests tab asserts before asynchronous work runs; --once asks how each firing ends, so
        // the pending callbacks (script loads, callLater) run first, and their outcomes count.
        realm.guard(() => live.drain(), page.timeLimitMs);
        const problem = onceProblem(runs);
        if (problem) return { status: 'fail', message: problem };
      }
      return { status: 'pass' };
    } catch (err) {
      if (err instanceof TestFailure) return { status: 'fail', message: err.message };
      const fields = errorFields(err);
      // GTM's Tests tab shows the message alone; where the template code was is what an author
      // needs to find it.
      const where = codeWhere(template, realm, err);
      return where
        ? { status: 'error', ...fields, message: `${fields.message} (${where})` }
        : { status: 'error', ...fields };
    }
  }
}
