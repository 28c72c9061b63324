// The one report a test run can give without the sandbox: a file whose ___TESTS___ section reads
// cleanly and holds no scenarios. Apart from test-file.ts (which loads the sandbox) so that the
// worker pool's own thread can screen files too: a file it answers here is never copied to a
// worker, and a run whose files hold no scenarios starts no worker at all (a worker costs ~75 ms
// to start on this 2-core machine).

import { parseTestsSection } from '../tpl/index.js';

/**
 * A ___TESTS___ section longer than this is not read on its own: such a section holds scenarios
 * (the longest without any, over both corpus folders, has 864 characters), and reading it twice,
 * alone and then with the whole file, cost ~7% of a cold test pass.
 */
const SCREEN_TESTS_CHARS = 4096;

/**
 * True when `text` has no scenarios to run and nothing to report (its report is `{ file,
 * scenarios: [] }`); false when the file must be read whole: it has scenarios, or a problem that
 * its report names.
 */
export function hasNoScenarios(text: string): boolean {
  const quick = parseTestsSection(text, { maxChars: SCREEN_TESTS_CHARS });
  return (
    quick.sectionCount > 0 &&
    !quick.tooLong &&
    quick.syntaxErrors.length === 0 &&
    !testsShapeProblem(quick.tests as unknown) &&
    (quick.tests?.scenarios?.length ?? 0) === 0
  );
}

/** Why a `___TESTS___` value that parsed is not GTM's `{scenarios, setup}` mapping, if it is not. */
export function testsShapeProblem(tests: unknown): string | undefined {
  if (tests === undefined || tests === null) return undefined;
  if (Array.isArray(tests)) return 'found a list';
  if (typeof tests !== 'object') return `found a ${typeof tests}`;
  const scenarios = (tests as { scenarios?: unknown }).scenarios;
  if (scenarios != null && !Array.isArray(scenarios)) return '"scenarios" is not a list';
  return undefined;
}
