// The toolchain as a library: the same pure functions of the `Template` model the CLI calls.
// `import { compile, check, runTests } from 'gtm-template'`.

export type { Diagnostic, Severity } from './diagnostics.js';
export { formatDiagnostic, hasErrors } from './diagnostics.js';
export type {
  Template,
  Parameter,
  Permission,
  TemplateInfo,
  TemplateTests,
  TestScenario,
} from './tpl/model.js';
export { parse, print, printCanonical, formatTemplate } from './tpl/index.js';
export { check, checkSource, checkSandboxJs } from './check/index.js';
export { runTemplate, runTests } from './sandbox/index.js';
export type { RunResult, RunOptions, ScenarioResult, RunTestsOptions, WorldInit } from './sandbox/index.js';
export { compile, compileSources, readProject } from './compile/index.js';
export type { CompileResult, CompileOptions, CompiledFiles, ProjectSources } from './compile/index.js';
export { importTemplate } from './import/index.js';
export type { ImportOptions, ImportResult, ImportNote } from './import/index.js';
export { roundTrip, compareRebuilt, compareForms, comparePermissions } from './import/equivalence.js';
export type { RoundTrip } from './import/equivalence.js';
export { initProject } from './init/index.js';
export type { InitOptions, InitResult } from './init/index.js';
