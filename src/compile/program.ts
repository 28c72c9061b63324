// The TypeScript program of a template project: one program serves the type check (a misspelt
// `data.field` is a build error), the sandbox-subset rejections (which need symbols and types) and
// the form (the Fields type). Project files come from memory; the toolchain's typings and
// TypeScript's own lib files from disk. In watch mode the previous program is reused, so unchanged
// files are not parsed again.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { Diagnostic } from '../diagnostics.js';
import type { ProjectContext, ProjectSources } from './project.js';
import { wrapForTypeCheck, type CheckedScript } from './script-main.js';

/** Where the 'gtm' typings and tsconfig.template.json live (from src/ or from dist/). */
export function typesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    for (const candidate of [path.join(dir, 'types'), path.join(dir, 'src/compile/types')]) {
      if (existsSync(path.join(candidate, 'gtm.d.ts'))) return candidate;
    }
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the gtm typings (src/compile/types/gtm.d.ts)');
}

/**
 * The typings of each context: what 'gtm' and 'gtm/test' resolve to, and the globals file that
 * types `require`. A program holds one context's files only, so the other context's APIs do not
 * exist in it (tsconfig.template.json and tsconfig.server.json say the same for editors).
 */
export const CONTEXT_TYPINGS: Readonly<
  Record<ProjectContext, { gtm: string; test: string; globals: string }>
> = {
  WEB: { gtm: 'gtm.d.ts', test: 'gtm-test.d.ts', globals: 'gtm-globals.d.ts' },
  SERVER: { gtm: 'gtm-server.d.ts', test: 'gtm-server-test.d.ts', globals: 'gtm-server-globals.d.ts' },
};

/** The options of tsconfig.template.json (web) or tsconfig.server.json, as TypeScript compiler options. */
export function compilerOptions(context: ProjectContext = 'WEB'): ts.CompilerOptions {
  const types = typesDir();
  const typings = CONTEXT_TYPINGS[context];
  return {
    target: ts.ScriptTarget.ES2020,
    lib: ['lib.es2020.d.ts'],
    types: [],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    resolveJsonModule: true,
    allowImportingTsExtensions: true,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    paths: { gtm: [path.join(types, typings.gtm)], 'gtm/test': [path.join(types, typings.test)] },
  };
}

export interface ProjectProgram {
  program: ts.Program;
  /** Keeps each file's semantic diagnostics between watch builds; only affected files are re-checked. */
  builder: ts.SemanticDiagnosticsBuilderProgram;
  /**
   * The project files whose diagnostics had to be computed again in this program (all of them in
   * a first build): filled by `typeCheck`.
   */
  affected?: Set<string> | 'all';
  checker: ts.TypeChecker;
  /** Absolute file name → project-relative path, for project files only. */
  relative(fileName: string): string | undefined;
  sourceFile(relPath: string): ts.SourceFile | undefined;
}

const libCache = new Map<string, ts.SourceFile>();
/** Project files by absolute name with the text they were parsed from: unchanged files are reused. */
const projectFileCache = new Map<string, { text: string; file: ts.SourceFile }>();

/** The builder program tells changed files apart by a version: the content's hash. */
function withVersion(file: ts.SourceFile, text: string): ts.SourceFile {
  (file as ts.SourceFile & { version?: string }).version = createHash('sha1').update(text).digest('hex');
  return file;
}

/**
 * Builds the program over `rootFiles` (project-relative). `previous` lets TypeScript reuse
 * the source files that did not change (watch mode).
 */
export function createProjectProgram(
  sources: ProjectSources,
  rootFiles: string[],
  previous?: ProjectProgram,
  context: ProjectContext = 'WEB',
  /** The project-relative main module when it is in script style: checked wrapped (script-main.ts). */
  scriptMain?: string,
): ProjectProgram {
  const options = compilerOptions(context);
  const root = sources.root;
  const abs = (rel: string) => path.join(root, rel);
  const relativeOf = (fileName: string): string | undefined => {
    const rel = path.relative(root, fileName).split(path.sep).join('/');
    return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel;
  };
  const scripts = new Map<string, CheckedScript>();
  const projectText = (fileName: string): string | undefined => {
    const rel = relativeOf(fileName);
    const value = rel === undefined ? undefined : sources.files.get(rel);
    if (typeof value !== 'string') return undefined;
    if (rel !== scriptMain) return value;
    if (!scripts.has(value)) scripts.set(value, wrapForTypeCheck(value, rel));
    return scripts.get(value)!.text;
  };
  const host = ts.createCompilerHost(options, true);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (fileName) => projectText(fileName) ?? readFile(fileName);
  host.fileExists = (fileName) => projectText(fileName) !== undefined || fileExists(fileName);
  // Projects compiled from memory have folders that exist only as prefixes of their files.
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (dir) => {
    const rel = relativeOf(dir);
    if (rel !== undefined && (rel === '' || [...sources.files.keys()].some((f) => f.startsWith(rel + '/'))))
      return true;
    return directoryExists ? directoryExists(dir) : true;
  };
  host.getSourceFile = (fileName, languageVersion) => {
    const text = projectText(fileName);
    if (text !== undefined) {
      const hit = projectFileCache.get(fileName);
      if (hit && hit.text === text) return hit.file;
      const file = withVersion(ts.createSourceFile(fileName, text, languageVersion, true), text);
      projectFileCache.set(fileName, { text, file });
      const script = [...scripts].find(([, wrapped]) => wrapped.text === text);
      if (script) scriptPositions.set(file, { original: script[1].original, text: script[0] });
      return file;
    }
    // Lib files and the toolchain's typings never change during a process: parse them once.
    const cached = libCache.get(fileName);
    if (cached) return cached;
    const diskText = readFile(fileName);
    if (diskText === undefined) return undefined;
    const file = withVersion(ts.createSourceFile(fileName, diskText, languageVersion, true), diskText);
    libCache.set(fileName, file);
    return file;
  };
  host.getCurrentDirectory = () => root;
  const rootNames = [...rootFiles.map(abs), path.join(typesDir(), CONTEXT_TYPINGS[context].globals)];
  const builder = ts.createSemanticDiagnosticsBuilderProgram(rootNames, options, host, previous?.builder);
  const program = builder.getProgram();
  return {
    program,
    builder,
    checker: program.getTypeChecker(),
    relative: relativeOf,
    sourceFile: (rel) => program.getSourceFile(abs(rel)),
  };
}

/** Position of a node (or offset) in its file as a diagnostic location. */
/** Source files whose text is a wrapped script-style main: positions are reported in the original. */
const scriptPositions = new WeakMap<ts.SourceFile, { original: (pos: number) => number; text: string }>();

export function locate(file: ts.SourceFile, pos: number): { line: number; column: number } {
  const script = scriptPositions.get(file);
  if (script) {
    const before = script.text.slice(0, script.original(pos));
    const line = before.split('\n').length;
    return { line, column: before.length - before.lastIndexOf('\n') };
  }
  const lc = file.getLineAndCharacterOfPosition(pos);
  return { line: lc.line + 1, column: lc.character + 1 };
}

/** "Cannot find name 'x'" and its variants with a hint about lib or @types. */
const MISSING_NAME_CODES = new Set([2304, 2552, 2580, 2581, 2582, 2583, 2584, 2591, 2592, 2593]);

/** TypeScript's own errors in the project's files, as diagnostics with TypeScript locations. */
export function typeCheck(project: ProjectProgram): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Visit the affected files first (the builder re-checks only those), then read every file's
  // diagnostics, most from the builder's cache.
  const affected = new Set<string>();
  let everything = false;
  for (;;) {
    const next = project.builder.getSemanticDiagnosticsOfNextAffectedFile();
    if (!next) break;
    if ('fileName' in next.affected) {
      const rel = project.relative((next.affected as ts.SourceFile).fileName);
      if (rel !== undefined) affected.add(rel);
    } else everything = true;
  }
  project.affected = everything ? 'all' : affected;
  const all = [
    ...project.program.getOptionsDiagnostics(),
    ...project.program.getSyntacticDiagnostics(),
    ...project.program.getGlobalDiagnostics(),
    ...project.builder.getSemanticDiagnostics(),
  ];
  for (const d of all) {
    const rel = d.file ? project.relative(d.file.fileName) : undefined;
    if (d.file && rel === undefined) continue;
    const where = d.file && d.start !== undefined ? locate(d.file, d.start) : { line: 1, column: 1 };
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    out.push({
      code: `ts/${d.code}`,
      severity: d.category === ts.DiagnosticCategory.Error ? 'error' : 'warning',
      // TypeScript suggests adding the DOM or Node typings for `window`, `console`, `process`:
      // wrong advice for the sandbox, which has none of them.
      text: MISSING_NAME_CODES.has(d.code)
        ? text.replace(/\s*(Do you need|Try changing|Try `npm).*$/s, '')
        : text,
      notes: MISSING_NAME_CODES.has(d.code)
        ? [
            /^Cannot find name 'data'/.test(text)
              ? 'a main module in script style declares data: `declare const data: TagData<Fields>;` (VariableData, ClientData), or takes it as a parameter: `export default function main(data: TagData<Fields>)`'
              : "template code has no browser or Node globals: use the sandbox APIs from 'gtm' (e.g. logToConsole, copyFromWindow)",
          ]
        : undefined,
      file: rel,
      section: rel,
      ...where,
    });
  }
  return out;
}
