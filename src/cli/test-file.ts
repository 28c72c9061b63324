// One file's ___TESTS___ run, as `gtm-template test` reports it; the same in this process and in a
// test worker (test-workers.ts), so both give identical results.

import { runTests, type ScenarioResult } from '../sandbox/index.js';
import { parse, type Template } from '../tpl/index.js';
import { TEMPLATE_TYPES } from '../tpl/model.js';
import { bestEffortJson } from '../tpl/lenient.js';
import { hasNoScenarios, testsShapeProblem } from './test-screen.js';

export interface FileReport {
  file: string;
  scenarios: ScenarioResult[];
  /** A problem with the file itself (its tests cannot be read). */
  problem?: string;
  /** What a reader should know about the file; its scenarios still ran. */
  note?: string;
}

/**
 * A JSON section that does not parse makes GTM refuse the file at import, so its Tests tab never
 * runs the scenarios. They still run here, as they would once the section is fixed (`check` says
 * where): the note says so. Of an unreadable ___INFO___, the template's type is read as far as the
 * section allows, since it decides what `--once` asks of the code.
 */
function unreadableSection(
  file: string,
  template: Template,
): { note: string; template: Template } | undefined {
  const fault = template.syntaxErrors.find((e) => e.section !== 'TESTS');
  if (!fault) return undefined;
  let read = '';
  if (fault.section === 'INFO' && template.info === undefined) {
    const content = template.layout?.sections.find((s) => s.name === 'INFO')?.content ?? '';
    const type = (bestEffortJson(content) as { type?: unknown } | undefined)?.type;
    if (typeof type === 'string' && (TEMPLATE_TYPES as readonly string[]).includes(type)) {
      template = { ...template, info: { type } as Template['info'] };
      read = ` (its type read as far as the section allows: ${type})`;
    } else read = ' (its type could not be read: run as a tag)';
  }
  return {
    note:
      `${file}:${fault.line}:${fault.column}: ___${fault.section}___ does not parse (${fault.message}), so GTM ` +
      `refuses to import the file and its Tests tab never runs these scenarios; they ran here all the ` +
      `same${read}. \`gtm-template check\` shows the fault (test/unreadable-section)`,
    template,
  };
}

export interface TestFileOptions {
  once: boolean;
  strictPermissions: boolean;
}

export interface TestFileHooks {
  /** The names of the scenarios about to run (all of them, also those before `startAt`). */
  onBegin?: (names: string[]) => void;
  onResult?: (result: ScenarioResult) => void;
  /** Run the scenarios from this index, and stop before `stopAt` (a worker was lost in between). */
  startAt?: number;
  stopAt?: number;
  /** `false` when the caller ends hangs no time check sees (see `RunTestsOptions.watchdog`). */
  watchdog?: boolean;
}

export function testFile(
  file: string,
  text: string,
  options: TestFileOptions,
  hooks: TestFileHooks = {},
): FileReport {
  // Most templates have no scenarios, and their report needs nothing but the ___TESTS___ section:
  // the rest of such a file is not read (over the 290 corpus files, 228 have none and hold 5.5 of
  // the 8.5 MB). Anything else, a file with scenarios or a problem to report, is read whole below.
  if (hasNoScenarios(text)) {
    hooks.onBegin?.([]);
    return { file, scenarios: [] };
  }
  const template = parse(text);
  // Text without a single section marker is not a template (a wrong file, or an empty one): say so,
  // rather than report it as a template with no scenarios.
  if ((template.layout?.sections.length ?? 0) === 0) {
    return {
      file,
      scenarios: [],
      problem: `${file}:1:1: no section markers found (such as ___INFO___ or ___TESTS___, each alone on its line): this is not a GTM template file (test/not-a-template)`,
    };
  }
  const testsError = template.syntaxErrors.find((e) => e.section === 'TESTS');
  if (testsError) {
    return {
      file,
      scenarios: [],
      problem: `${file}:${testsError.line}:${testsError.column}: ___TESTS___ is not valid YAML: ${testsError.message} (test/bad-tests-section)`,
    };
  }
  // A section that reads as YAML but is not GTM's `{scenarios, setup}` mapping (a bare list, a
  // string) holds tests GTM cannot run: say so, rather than report the file as having none.
  const shapeProblem = testsShapeProblem(template.tests as unknown);
  if (shapeProblem) {
    const section = template.layout?.sections.find((s) => s.name === 'TESTS');
    return {
      file,
      scenarios: [],
      problem: `${file}:${section?.contentLine ?? 1}:1: ___TESTS___ must be a YAML mapping with a "scenarios" list (and optionally "setup"), ${shapeProblem}; no scenario was run (test/bad-tests-section)`,
    };
  }
  const scenarios = template.tests?.scenarios ?? [];
  hooks.onBegin?.(scenarios.map((s) => s.name));
  const unreadable = unreadableSection(file, template);
  return {
    file,
    ...(unreadable ? { note: unreadable.note } : {}),
    scenarios: runTests(unreadable?.template ?? template, {
      ...options,
      startAt: hooks.startAt,
      stopAt: hooks.stopAt,
      onResult: hooks.onResult,
      watchdog: hooks.watchdog,
    }),
  };
}
