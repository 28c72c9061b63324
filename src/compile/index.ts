// The compiler: a TypeScript template project → a GTM template. Stages, in order:
//   1 bundle (bundle.ts)  2 lower (lower.ts)  3 reject (reject.ts, with the type check, program.ts)
//   4 fields (fields.ts, cached by content)  5 permissions (permissions.ts)  6 tests (tests.ts)
//   7 format + assemble + check + print (format.ts, assemble.ts)
// Each stage is a function of its inputs; only `compile(dir)` reads the project from disk.
// The result has esbuild's shape: `errors` and `warnings` of one message type, pointing into the
// TypeScript sources.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check as checkTemplate } from '../check/index.js';
import type { Diagnostic } from '../diagnostics.js';
import { findApiUsage } from '../js/api-usage.js';
import { parseSandboxJs } from '../js/parse.js';
import { containerJson, type ContainerRecipe } from '../tpl/container.js';
import { metadataYaml } from '../tpl/metadata.js';
import { codeSectionName, type Template } from '../tpl/model.js';
import { parse } from '../tpl/parse.js';
import { printCanonical } from '../tpl/print.js';
import { assembleTemplate } from './assemble.js';
import { bundle } from './bundle.js';
import { extractFields, type FieldsResult } from './fields.js';
import { formatCode, formatMany } from './format.js';
import { lower } from './lower.js';
import { inferPermissions } from './permissions.js';
import { createProjectProgram, typeCheck, type ProjectProgram } from './program.js';
import { RECIPE_FILE, loadConfig, normalize, readProject, type ProjectSources } from './project.js';
import { findRejections } from './reject.js';
import { isScriptMain } from './script-main.js';
import { compileTests, testFiles } from './tests.js';
import { checkDataType, explainWrongContext } from './context.js';
import { CompiledCodeLocator } from './locate-code.js';
import type { ProjectConfig } from './project.js';

export type { ProjectSources } from './project.js';
export { readProject } from './project.js';

export interface CompiledFiles {
  'template.tpl': string;
  'container.json'?: string;
  'metadata.yaml'?: string;
}

export interface CompileResult {
  template?: Template;
  files?: CompiledFiles;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/**
 * Results of the pure stages kept between builds (the CLI keeps them on disk), by stage name and
 * a content hash of the stage's inputs and of the compiler itself. Values are plain JSON.
 */
export interface StageCache {
  get(stage: string, key: string): unknown;
  set(stage: string, key: string, value: unknown): void;
}

/** State carried from one build to the next in watch mode. */
export interface CompileSession {
  program?: ProjectProgram;
  /** Each memoised stage's last input hash and result: a stage whose inputs did not change is skipped. */
  memo?: Map<string, { key: string; value: unknown }>;
  /** The last rejections found in each file, reused for files the type checker did not revisit. */
  rejections?: Map<string, Diagnostic[]>;
  /** Timings of the last build's stages, in milliseconds (for watch output and the benchmark). */
  timings?: Record<string, number>;
}

export type TemplateChecker = (template: Template) => Diagnostic[] | Promise<Diagnostic[]>;

export interface CompileOptions {
  cache?: StageCache;
  session?: CompileSession;
  /** The checker run on the assembled template (zero errors required). Defaults to src/check. */
  check?: TemplateChecker | false;
}

let fingerprint: string | undefined;

/** Every .ts/.js file below `dir`, sorted, for hashing. */
function codeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...codeFiles(full));
    else if (/\.(ts|js)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/**
 * A hash of the toolchain's own code, so that cached stage results never outlive the compiler that
 * produced them. Any module can change a stage's output (the lowering, the checker, the model), so it
 * covers all of them: src/ when running from source, the bundle's folder (dist/) in the CLI.
 */
function compilerFingerprint(): string {
  if (fingerprint === undefined) {
    try {
      const self = fileURLToPath(import.meta.url);
      const root = self.endsWith('.ts')
        ? path.resolve(path.dirname(self), '..')
        : path.resolve(path.dirname(self), path.basename(path.dirname(self)) === 'chunks' ? '..' : '.');
      const hash = createHash('sha1');
      for (const file of codeFiles(root)) hash.update(file.slice(root.length)).update(readFileSync(file));
      fingerprint = hash.digest('hex').slice(0, 16);
    } catch {
      fingerprint = 'unknown';
    }
  }
  return fingerprint;
}

/** Compiles the template project in `dir`. */
export async function compile(dir: string, options: CompileOptions = {}): Promise<CompileResult> {
  return compileSources(readProject(dir), options);
}

/** The project-relative files the form type depends on: its file and the files it imports. */
function formFiles(sources: ProjectSources, file: string): string[] {
  const seen = new Set<string>();
  const visit = (rel: string) => {
    if (seen.has(rel)) return;
    const text = sources.files.get(rel);
    if (typeof text !== 'string') return;
    seen.add(rel);
    for (const m of text.matchAll(/from\s+['"](\.\.?\/[^'"]+)['"]/g)) {
      const base = normalize(rel.replace(/[^/]*$/, '') + m[1]);
      for (const candidate of [base, base + '.ts', base.replace(/\.js$/, '.ts'), base + '/index.ts']) {
        if (sources.files.has(candidate)) {
          visit(candidate);
          break;
        }
      }
    }
  };
  visit(normalize(file));
  return [...seen].sort();
}

export function fieldsCacheKey(sources: ProjectSources, file: string, typeName: string): string {
  const hash = createHash('sha256')
    .update(compilerFingerprint())
    .update('\0' + typeName);
  for (const rel of formFiles(sources, file)) hash.update('\0' + rel + '\0' + String(sources.files.get(rel)));
  return hash.digest('hex').slice(0, 32);
}

export async function compileSources(
  sources: ProjectSources,
  options: CompileOptions = {},
): Promise<CompileResult> {
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      timings[name] = (timings[name] ?? 0) + performance.now() - start;
    }
  };
  const diagnostics: Diagnostic[] = [];
  const done = (extra: Partial<CompileResult> = {}): CompileResult => {
    if (options.session) options.session.timings = timings;
    const sorted = sortDiagnostics(diagnostics);
    return {
      ...extra,
      errors: sorted.filter((d) => d.severity === 'error'),
      warnings: sorted.filter((d) => d.severity !== 'error'),
    };
  };

  const { config, errors: configErrors } = loadConfig(sources);
  diagnostics.push(...configErrors);
  if (!config || configErrors.length) return done();

  const allTs = [...sources.files.keys()].filter((f) => /\.m?ts$/.test(f)).sort();
  const tsFiles = allTs.filter((f) => !/\.d\.m?ts$/.test(f));
  const tests = testFiles(tsFiles, config.tests ?? 'tests');

  // Type check and rejections share one program (reused across watch builds). The project's own
  // declaration files are part of it, as in the editor: their global declarations are in scope.
  const mainFile = normalize(config.main);
  const mainText = sources.files.get(mainFile);
  const scriptMain = typeof mainText === 'string' && isScriptMain(mainText, mainFile);
  const project = await timed('program', () =>
    createProjectProgram(
      sources,
      allTs,
      options.session?.program,
      config.context,
      scriptMain ? mainFile : undefined,
    ),
  );
  if (options.session) options.session.program = project;
  diagnostics.push(
    ...explainWrongContext(await timed('typecheck', () => typeCheck(project)), config.context),
  );
  diagnostics.push(...checkDataType(project, normalize(config.main), config.type));
  diagnostics.push(...(await timed('reject', () => rejections(project, tsFiles, options.session))));

  // Stage 4: the form, from the cache when its sources did not change.
  const fieldsFile = normalize(config.fields.file);
  const key = fieldsCacheKey(sources, fieldsFile, config.fields.type);
  const fields = await memo(options, 'fields', key, () =>
    timed('fields', () => extractFields(project, fieldsFile, config.fields.type)),
  );
  diagnostics.push(...fields.diagnostics);

  // Stages 1–2 and 7a: bundle, lower and format the template code (skipped in watch mode when
  // no source file of the code changed).
  const codeKey = hashFiles(sources, (f) => !tests.includes(f), config.main + '\0' + config.type);
  const emitted = await memo(options, 'code', codeKey, () => emitCode(sources, config, timed));
  diagnostics.push(...emitted.diagnostics);
  if (emitted.code === undefined) return done();
  const code = emitted.code;

  // Stage 5: permissions from the final code.
  const parsed = parseSandboxJs(code);
  if (!parsed.ok) {
    diagnostics.push({
      code: 'lower/internal',
      severity: 'error',
      text: `the emitted code does not parse: ${parsed.error.message}`,
      line: parsed.error.line,
      column: parsed.error.column,
    });
    return done();
  }
  const mapper = new CompiledCodeLocator(code, sources, (f) => tests.includes(f));
  const inferred = await timed('permissions', () =>
    inferPermissions(
      findApiUsage(parsed.program),
      config.permissions,
      (line, column) => mapper.locate(line, column),
      code,
      config.context,
    ),
  );
  diagnostics.push(...inferred.errors);

  // Stage 6: tests (skipped in watch mode when neither the tests nor the form changed).
  const testsKey = hashFiles(sources, (f) => tests.includes(f), key);
  const compiledTests = await memo(options, 'tests', testsKey, () =>
    emitTests(project, tests, fields!, timed),
  );
  diagnostics.push(...compiledTests.diagnostics);

  // Stage 7b: assemble, check, print.
  const template = assembleTemplate({
    config,
    sources,
    parameters: fields.parameters,
    code,
    permissions: inferred.permissions,
    tests: compiledTests.tests,
  });
  // The checker is the safety net over what will be written: it runs on the printed .tpl read
  // back, once the stages found nothing (their findings are more precise than its would be).
  const text = await timed('print', () => printCanonical(template));
  if (options.check !== false && !diagnostics.some((d) => d.severity === 'error')) {
    const checker = options.check ?? checkTemplate;
    const printed = parse(text);
    const found = await timed('check', () => checker(printed));
    const codeName = codeSectionName(config.context);
    const codeSection = printed.layout?.sections.find((s) => s.name === codeName);
    for (const d of found) {
      const inCode = d.section === `___${codeName}___` && codeSection !== undefined;
      const at = inCode
        ? mapper.locate(d.line - codeSection.contentLine + 1, d.column)
        : { file: 'template.tpl', line: d.line, column: d.column };
      diagnostics.push({
        ...d,
        ...at,
        notes: [...(d.notes ?? []), ...(at.notes ?? []), 'found by the checker in the compiled template.tpl'],
      });
    }
  }
  if (diagnostics.some((d) => d.severity === 'error')) return done({ template });

  const files: CompiledFiles = { 'template.tpl': text };
  const recipeText = sources.files.get(RECIPE_FILE);
  if (typeof recipeText === 'string' && config.context === 'SERVER') {
    // container.json is a web container export; a server container's (clients, usageContext
    // SERVER) is not written yet, and a web one holding a server template would not import.
    diagnostics.push({
      code: 'project/bad-recipe',
      severity: 'error',
      text: `${RECIPE_FILE}: container.json is built for web containers only; remove ${RECIPE_FILE} from this server project`,
      file: RECIPE_FILE,
      line: 1,
      column: 1,
    });
  } else if (typeof recipeText === 'string') {
    let recipe: ContainerRecipe | undefined;
    try {
      recipe = JSON.parse(recipeText) as ContainerRecipe;
    } catch (err) {
      diagnostics.push({
        code: 'project/bad-recipe',
        severity: 'error',
        text: `${RECIPE_FILE} is not valid JSON: ${(err as Error).message}`,
        file: RECIPE_FILE,
        line: 1,
        column: 1,
      });
    }
    if (recipe) {
      const container = containerJson(template, text, recipe);
      for (const problem of container.errors)
        diagnostics.push({
          code: 'project/bad-recipe',
          severity: 'error',
          text: `${RECIPE_FILE}: ${problem}`,
          file: RECIPE_FILE,
          line: 1,
          column: 1,
        });
      if (container.container) files['container.json'] = JSON.stringify(container.container, null, 2) + '\n';
    }
  }
  if (config.gallery) files['metadata.yaml'] = metadataYaml(config.gallery);
  if (diagnostics.some((d) => d.severity === 'error')) return done({ template });
  return done({ template, files });
}

/** Stage 3, re-run only on the files the type checker had to revisit (all of them without a session). */
function rejections(
  project: ProjectProgram,
  files: string[],
  session: CompileSession | undefined,
): Diagnostic[] {
  const previous = session?.rejections;
  const affected = project.affected;
  const redo =
    !previous || affected === 'all' || affected === undefined
      ? files
      : files.filter((f) => affected.has(f) || !previous.has(f));
  const found = findRejections(project, redo);
  const byFile = new Map<string, Diagnostic[]>(
    previous && redo !== files ? [...previous].filter(([f]) => files.includes(f)) : [],
  );
  for (const f of redo) byFile.set(f, []);
  for (const d of found) byFile.get(d.file!)?.push(d);
  if (session) session.rejections = byFile;
  return [...byFile.values()].flat();
}

type Timed = <T>(name: string, fn: () => T | Promise<T>) => Promise<T>;

/** A content hash of the project files `include` selects, plus `extra`. */
function hashFiles(sources: ProjectSources, include: (file: string) => boolean, extra: string): string {
  const hash = createHash('sha256').update(compilerFingerprint()).update(extra);
  for (const file of [...sources.files.keys()].sort()) {
    const value = sources.files.get(file)!;
    if (include(file) && typeof value === 'string') hash.update('\0' + file + '\0' + value);
  }
  return hash.digest('hex');
}

/** Runs a pure stage unless the session (watch mode) or the stage cache has its result for `key`. */
async function memo<T>(
  options: CompileOptions,
  stage: string,
  key: string,
  run: () => Promise<T>,
): Promise<T> {
  const hit = options.session?.memo?.get(stage);
  if (hit && hit.key === key) return hit.value as T;
  const cached = options.cache?.get(stage, key) as T | undefined;
  const value = cached ?? (await run());
  if (options.session) (options.session.memo ??= new Map()).set(stage, { key, value });
  if (cached === undefined) options.cache?.set(stage, key, value);
  return value;
}

/** Stages 1, 2 and 7a: the template code as it will be printed. */
async function emitCode(
  sources: ProjectSources,
  config: ProjectConfig,
  timed: Timed,
): Promise<{ code?: string; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const bundled = await timed('bundle', () => bundle(sources, normalize(config.main)));
  diagnostics.push(...bundled.errors);
  if (bundled.code === undefined) return { diagnostics };
  // A variable returns main's value; so does a script-style main of any type, whose top-level
  // `return x` is the template's own (GTM's runCode hands it to a test).
  const mainText = sources.files.get(normalize(config.main));
  const script = typeof mainText === 'string' && isScriptMain(mainText, config.main);
  const lowered = await timed('lower', () =>
    lower(bundled.code!, { returnLast: config.type === 'MACRO' || script }),
  );
  diagnostics.push(...lowered.errors);
  try {
    return { code: await timed('format', () => formatCode(lowered.code)), diagnostics };
  } catch (err) {
    diagnostics.push({
      code: 'format/failed',
      severity: 'error',
      text: `formatting the emitted code failed: ${(err as Error).message}`,
      line: 1,
      column: 1,
    });
    return { diagnostics };
  }
}

/** Stage 6 with its formatting. */
async function emitTests(project: ProjectProgram, files: string[], fields: FieldsResult, timed: Timed) {
  const compiled = await timed('tests', () =>
    compileTests(project, files, fields.dataSchema, fields.dataKeys),
  );
  const tests = compiled.tests;
  if (tests) {
    await timed('format', async () => {
      const formatted = await formatMany(tests.scenarios.map((s) => s.code));
      tests.scenarios.forEach((s, i) => (s.code = formatted[i]!));
      if (tests.setup) tests.setup = await formatCode(tests.setup).catch(() => tests.setup!);
    });
  }
  return compiled;
}

function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      a.line - b.line ||
      a.column - b.column ||
      a.code.localeCompare(b.code),
  );
}
