// The compiled code of a file's scenarios. GTM runs each scenario as its file's setup followed by
// the scenario's code, one function body (its tests page: the setup "runs before each test"), and
// compiling that body per scenario compiled the setup once per scenario: over the two corpus
// folders, 905 KB of the 1.27 MB that V8 compiled for scenarios was setup again.
//
// So where nothing a scenario can observe changes, a file's scenarios share one compiled function:
// its body is the setup, then a `switch` that calls the scenario the caller names, each scenario's
// code the body of a function of its own, called at once (V8 compiles each such function when it
// first runs). The setup still runs afresh for every scenario. What a function boundary could
// change, and the scenarios it keeps out (compiled with the setup as one body, as before):
// - the setup referring to a name the scenario binds (its `var`, `let`, function): in one body the
//   setup's code would see the scenario's binding;
// - the scenario binding a name the setup binds, or a parameter of the compiled function (a test
//   API name): in one body that is the same binding, or a redeclaration V8 refuses;
// - `arguments` outside the scenario's functions (the wrapper's would not be the outer one's), or a
//   directive at its start (`'use strict'` would apply to the scenario's function alone).
// A setup with either of those, or a combined body V8 does not
// compile, leaves every scenario of the file compiled on its own.

import { parseSandboxJsShared } from '../js/parse.js';
import { findFreeIdentifiers } from '../js/scope.js';
import type { ContainerContext } from '../tpl/model.js';
import type { Realm, RealmFunction } from './realm.js';
import type { SyntaxProblem } from './syntax.js';
import { TEST_GLOBAL_NAMES } from './test-api.js';
import {
  firstUndeclared,
  helpersFor,
  INSTRUMENTATION_NAMES,
  joinedSource,
  preparePart,
  TICK_PARAM,
  type PreparedPart,
  type ReadyPart,
} from './transform.js';

/** The parameter of a shared function that says which scenario to run. */
const SCENARIO_PARAM = '__gtmScenario';
const FILENAME = 'scenario.js';

/** A scenario ready to run: call `run` with the test globals (in `TEST_GLOBAL_NAMES` order) and the tick. */
export type ScenarioEntry =
  | { ok: true; run: (globals: readonly unknown[], tick: RealmFunction) => unknown }
  | { ok: false; message: string };

export class ScenarioCode {
  private setup: PreparedPart | undefined;
  private readonly parts: (PreparedPart | undefined)[];
  /** The scenarios the shared function holds, by index (empty until it is made). */
  private shared: Set<number> | undefined;
  private sharedSource = '';
  /** Time spent preparing each scenario's code before its turn (charged to it, not to the first). */
  private readonly preparedEarlyMs: number[];
  /** Of the current turn's time, how much went to preparing other scenarios. */
  private lentMs = 0;

  constructor(
    private readonly setupCode: string,
    private readonly codes: readonly string[],
    private readonly context: ContainerContext,
  ) {
    this.parts = codes.map(() => undefined);
    this.preparedEarlyMs = codes.map(() => 0);
  }

  /**
   * Scenario `index`'s compiled code in `realm`, or the problem that keeps it from running.
   * Throws what `realm.compileFunction` throws for code V8 refuses.
   */
  entry(realm: Realm, index: number): ScenarioEntry {
    const setup = (this.setup ??= preparePart(this.setupCode));
    const part = this.part(index);
    if (!setup.ok) return { ok: false, message: where(0, setup.problem) };
    if (!part.ok) return { ok: false, message: where(1, part.problem) };
    const ready = [setup, part];
    const undeclared = firstUndeclared(ready, TEST_GLOBAL_NAMES, this.context);
    if (undeclared) return { ok: false, message: where(undeclared.part, undeclared.problem) };

    this.shared ??= this.planShared(setup, index);
    if (this.shared.has(index)) {
      const fn = this.compiled(realm, this.sharedSource, [...TEST_GLOBAL_NAMES, TICK_PARAM, SCENARIO_PARAM]);
      if (fn) return { ok: true, run: (globals, tick) => fn(...globals, tick, index) };
      this.shared.clear(); // V8 refused the shared body: every scenario compiles on its own
    }
    // Compiled with the setup as one body, as GTM runs it (names were checked above).
    const key = `${this.setupCode}\n${this.codes[index]}`;
    let fn = realm.compiled.get(key);
    if (!fn) {
      fn = realm.compileFunction([...TEST_GLOBAL_NAMES, TICK_PARAM], joinedSource(ready), FILENAME);
      realm.compiled.set(key, fn);
    }
    const compiled = fn;
    return { ok: true, run: (globals, tick) => compiled(...globals, tick) };
  }

  /**
   * What to add to the time measured for scenario `index`'s turn, which has just ended: the time
   * spent on it before its turn, less what its turn spent preparing the others.
   */
  timeCorrectionMs(index: number): number {
    const correction = (this.preparedEarlyMs[index] ?? 0) - this.lentMs;
    this.preparedEarlyMs[index] = 0;
    this.lentMs = 0;
    return correction;
  }

  private part(index: number): PreparedPart {
    return (this.parts[index] ??= preparePart(this.codes[index] ?? '', { remember: false }));
  }

  /** The shared function's body, compiled once per realm; undefined when V8 refuses it. */
  private compiled(realm: Realm, source: string, params: string[]): RealmFunction | undefined {
    let fn = realm.compiled.get(source);
    if (!fn) {
      try {
        fn = realm.compileFunction(params, source, FILENAME);
      } catch {
        return undefined;
      }
      realm.compiled.set(source, fn);
    }
    return fn;
  }

  /** Which scenarios can share one compiled setup (see the top of this file), and its source. */
  private planShared(setup: ReadyPart, current: number): Set<number> {
    const members = new Set<number>();
    if (setup.leadingDirective || setup.topLevelArguments) return members;
    const parsed = parseSandboxJsShared(this.setupCode);
    if (!parsed.ok) return members;
    // Every name the setup does not bind itself: test API names, globals, and names it expects the
    // scenario to bind. A scenario may bind none of them, nor the setup's own names.
    const taken = new Set<string>([...TEST_GLOBAL_NAMES, ...INSTRUMENTATION_NAMES, SCENARIO_PARAM]);
    for (const free of findFreeIdentifiers(parsed.program, { globals: new Set() })) taken.add(free.name);
    for (const name of setup.scopeNames) taken.add(name);

    const ready: { index: number; part: ReadyPart }[] = [];
    for (let index = 0; index < this.codes.length; index++) {
      const started = performance.now();
      const part = this.part(index);
      if (index !== current) {
        this.preparedEarlyMs[index] = performance.now() - started;
        this.lentMs += this.preparedEarlyMs[index]!;
      }
      // A scenario with an undeclared name stays in: `entry` reports it before running anything.
      if (!part.ok || part.leadingDirective || part.topLevelArguments) continue;
      if ([...part.scopeNames].some((name) => taken.has(name))) continue;
      ready.push({ index, part });
    }
    // One scenario alone gains nothing from a shared body.
    if (ready.length < 2) return members;
    let body = `${helpersFor([setup, ...ready.map((r) => r.part)])}${setup.text}\nswitch (${SCENARIO_PARAM}) {`;
    for (const { index, part } of ready) {
      body += ` case ${index}: return (function () {${part.text}\n})();`;
      members.add(index);
    }
    this.sharedSource = `${body} }`;
    return members;
  }
}

function where(part: number, problem: SyntaxProblem): string {
  return `test code (${part === 0 ? 'setup' : 'scenario'} ${problem.line}:${problem.column}): ${problem.message}`;
}
