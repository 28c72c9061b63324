// `___TESTS___`: YAML with `scenarios` (each a unique `name` and its `code`) and an optional `setup`
// whose declarations every scenario sees. Scenario code is sandboxed JavaScript with the test API.

import { isScalar, LineCounter, type Scalar } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { findApiUsage } from '../js/api-usage.js';
import { parseSandboxJs, parseSandboxJsShared, type JsParseResult } from '../js/parse.js';
import { topLevelDeclarations } from '../js/scope.js';
import { parseYamlLikeSnakeYaml } from '../tpl/lenient.js';
import type { Template } from '../tpl/model.js';
import { checkSandboxProgram, syntaxDiagnostic, topLevelApiBindings } from './js.js';
import { isPlainObject, kindOf, marker, type Position, type Reporter } from './locate.js';

const S = 'TESTS';
const SCENARIO_KEYS = ['name', 'code'];

/** Maps positions inside YAML string values back to the file. */
class YamlPositions {
  private readonly counter = new LineCounter();
  private readonly doc;

  private readonly content: string;

  constructor(
    content: string,
    private readonly firstLine: number,
  ) {
    // The text GTM's reader sees (quoted-scalar lines re-indented if needed; the same lines).
    const read = parseYamlLikeSnakeYaml(content);
    this.content = read.text;
    this.doc = read.doc;
    this.counter.addNewLine(0);
    for (let at = this.content.indexOf('\n'); at !== -1; at = this.content.indexOf('\n', at + 1))
      this.counter.addNewLine(at + 1);
  }

  private pos(offset: number): Position {
    const p = this.counter.linePos(offset);
    return { line: this.firstLine + p.line - 1, column: p.col };
  }

  node(path: (string | number)[]): Position {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | null)?.range;
      if (range) return this.pos(range[0]);
    }
    return { line: this.firstLine, column: 1 };
  }

  /** A line/column in the code held by the string at `path`: exact for block scalars (`|-`). */
  inString(path: (string | number)[], line: number, column: number): { at: Position; exact: boolean } {
    const node = this.doc.getIn(path, true) as Scalar | undefined;
    const start = this.node(path);
    if (!node || !isScalar(node) || !node.range) return { at: start, exact: false };
    if (node.type === 'BLOCK_LITERAL') {
      // The body starts on the line after the indicator, indented by the block's indentation.
      const bodyStart = this.content.indexOf('\n', node.range[0]) + 1;
      const indent = /^ */.exec(this.content.slice(bodyStart))![0].length;
      const first = this.pos(bodyStart);
      return { at: { line: first.line + line - 1, column: column + indent }, exact: true };
    }
    if (
      (node.type === 'PLAIN' || node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') &&
      line === 1
    ) {
      const quote = node.type === 'PLAIN' ? 0 : 1;
      return {
        at: { line: start.line, column: start.column + quote + column - 1 },
        exact: node.type !== 'QUOTE_DOUBLE',
      };
    }
    return { at: start, exact: false };
  }
}

export function checkTests(template: Template, r: Reporter): void {
  const tests = template.tests as unknown;
  if (tests === undefined) return;
  const section = r.locate.section(S);
  const yaml = section ? new YamlPositions(section.content, section.contentLine) : undefined;
  const at = (path: (string | number)[]): Position => yaml?.node(path) ?? { line: 1, column: 1 };

  if (!isPlainObject(tests)) {
    r.error(
      'tests/not-mapping',
      `___TESTS___ must be a YAML mapping with "scenarios" (and optionally "setup"), found ${kindOf(tests)}.`,
      S,
      at([]),
    );
    return;
  }
  for (const key of Object.keys(tests)) {
    if (key !== 'scenarios' && key !== 'setup')
      r.error(
        'tests/unknown-key',
        `Unknown key "${key}" in ___TESTS___: only "scenarios" and "setup" are allowed.`,
        S,
        at([key]),
      );
  }

  const context = template.context;
  // The names the template's code requires, read only if a scenario mocks a name no API has.
  let templateRequires: Set<string> | undefined;
  const requiredByTemplate = (name: string): boolean => {
    if (!templateRequires) {
      const parsed = typeof template.code === 'string' ? parseSandboxJsShared(template.code) : undefined;
      templateRequires = new Set(parsed?.ok ? findApiUsage(parsed.program).requires.map((q) => q.api) : []);
    }
    return templateRequires.has(name);
  };
  // Each piece of test code is parsed once, for its declarations and for its checks.
  const parsedCode = new Map<string, JsParseResult>();
  const parseOnce = (code: string): JsParseResult => {
    let parsed = parsedCode.get(code);
    if (!parsed) parsedCode.set(code, (parsed = parseSandboxJs(code, { locations: false })));
    return parsed;
  };
  const jsDiagnostics = (
    code: string,
    path: (string | number)[],
    globals: string[],
    what: string,
    apiBindings?: ReadonlyMap<string, string>,
  ) => {
    const parsed = parseOnce(code);
    const found = parsed.ok
      ? checkSandboxProgram(parsed.program, {
          kind: 'test',
          context,
          globals,
          apiBindings,
          requiredByTemplate,
        })
      : [syntaxDiagnostic(parsed.error)];
    for (const d of found) {
      const mapped = yaml?.inString(path, d.line, d.column) ?? { at: { line: 1, column: 1 }, exact: false };
      const diag: Diagnostic = {
        ...d,
        text: `${what}: ${d.text}`,
        section: marker(S),
        line: mapped.at.line,
        column: mapped.at.column,
      };
      if (!mapped.exact)
        diag.notes = [...(d.notes ?? []), `at line ${d.line}, column ${d.column} of the ${what}`];
      r.diagnostics.push(diag);
    }
  };

  // GTM runs setup and then a scenario as one function body: the scenario sees what setup
  // declares, and setup's callbacks may use what a scenario declares (TikTok's tests do).
  const declared = (code: unknown): string[] => {
    if (typeof code !== 'string') return [];
    const parsed = parseOnce(code);
    return parsed.ok ? topLevelDeclarations(parsed.program) : [];
  };
  const scenarioList = Array.isArray(tests.scenarios) ? (tests.scenarios as unknown[]) : [];
  const setupNames = declared(tests.setup);
  // What setup binds to require('x') (e.g. `const Object = require('Object')`) is that API in every
  // scenario too, so `Object.keys(…)` there is the API's method.
  const setupParsed = typeof tests.setup === 'string' ? parseOnce(tests.setup) : undefined;
  const setupApis = setupParsed?.ok ? topLevelApiBindings(setupParsed.program) : undefined;
  if (tests.setup !== undefined) {
    if (typeof tests.setup !== 'string') {
      r.error(
        'tests/invalid-setup',
        `"setup" must be a string of code, found ${kindOf(tests.setup)}.`,
        S,
        at(['setup']),
      );
    } else {
      const scenarioNames = scenarioList.flatMap((s) => (isPlainObject(s) ? declared(s.code) : []));
      jsDiagnostics(tests.setup, ['setup'], scenarioNames, 'setup code');
    }
  }

  const scenarios = tests.scenarios;
  if (scenarios === undefined || scenarios === null) return;
  if (!Array.isArray(scenarios)) {
    r.error(
      'tests/invalid-scenarios',
      `"scenarios" must be a list, found ${kindOf(scenarios)}.`,
      S,
      at(['scenarios']),
    );
    return;
  }
  const names = new Set<string>();
  scenarios.forEach((s, i) => {
    const path = ['scenarios', i];
    if (!isPlainObject(s)) {
      r.error(
        'tests/invalid-scenario',
        `Each scenario must be a mapping with "name" and "code", found ${kindOf(s)}.`,
        S,
        at(path),
      );
      return;
    }
    for (const key of Object.keys(s)) {
      if (!SCENARIO_KEYS.includes(key))
        r.warning(
          'tests/unknown-scenario-key',
          `Unknown scenario key "${key}": a scenario has only "name" and "code".`,
          S,
          at([...path, key]),
        );
    }
    if (typeof s.name !== 'string' || s.name.trim() === '') {
      r.error('tests/missing-name', 'This scenario has no "name".', S, at(path));
    } else if (names.has(s.name)) {
      r.error(
        'tests/duplicate-name',
        `Two scenarios are named "${s.name}"; names must be unique.`,
        S,
        at([...path, 'name']),
      );
    } else names.add(s.name);
    if (typeof s.code !== 'string') {
      r.error(
        'tests/missing-code',
        `Scenario ${typeof s.name === 'string' ? `"${s.name}" ` : ''}has no "code" string.`,
        S,
        at(path),
      );
    } else {
      jsDiagnostics(s.code, [...path, 'code'], setupNames, `scenario "${String(s.name)}"`, setupApis);
    }
  });
}
