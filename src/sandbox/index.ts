// The offline GTM sandbox: run a template as GTM would (`runTemplate`, or `SandboxPage` for several
// firings on one page), or its own ___TESTS___ (`runTests`). See README "Tests and benchmarks".

export { runTemplate, SandboxPage, type RunResult, type RunOptions, type Outcome } from './run-template.js';
export { runTests, unsupportedApis, type ScenarioResult, type RunTestsOptions } from './run-tests.js';
export type { WorldInit, ScriptBehaviour, ContainerVersion, CookieWrite } from './world.js';
export type { Realm } from './realm.js';
export { SandboxError } from './realm.js';
export { generateMutants, type Mutant, type MutantKind } from './mutate.js';
export { mutationScore, type MutationReport, type MutantResult } from './mutation-score.js';
