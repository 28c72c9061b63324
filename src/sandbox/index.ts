// The offline GTM sandbox: run a template as GTM would (`runTemplate`), or its own ___TESTS___
// (`runTests`). See README "Tests and benchmarks" and the issue "An offline GTM sandbox".

export { runTemplate, SandboxPage, type RunResult, type RunOptions, type Outcome } from './run-template.js';
export type { WorldInit, ScriptBehaviour, ContainerVersion, CookieWrite } from './world.js';
export type { Realm } from './realm.js';
export { SandboxError } from './realm.js';
export { runTests, type ScenarioResult, type RunTestsOptions } from './run-tests.js';
