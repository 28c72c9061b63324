// `import`: a Template → the files of a TypeScript template project that builds back into an
// equivalent template (the inverse of src/compile/). Stages, one module each: the form
// (fields.ts), the code (code.ts), the scenarios (tests.ts), template.json with the icon and the
// permission overrides (config.ts). What could not be carried over as it was is listed in `notes`.
// A file the type checker finds errors in (real templates are plain JavaScript) starts with
// `// @ts-nocheck`, so that the project builds at once; the note says how many errors it hides.
// `roundTrip` (equivalence.ts) builds the result and compares it with the original.

import path from 'node:path';
import { createProjectProgram, typeCheck } from '../compile/program.js';
import type { ProjectSources } from '../compile/project.js';
import { PROJECT_GITIGNORE, projectPackageJson, projectTsconfig } from '../init/index.js';
import type { ContainerContext, Template } from '../tpl/model.js';
import { repeatedKeysWithTwoValues } from '../tpl/repeated-keys.js';
import { mainSource } from './code.js';
import { configFor, templateType } from './config.js';
import { FieldsWriter } from './fields.js';
import { Notes, type ImportNote } from './report.js';
import { arrowNote } from './syntax.js';
import { testsSource } from './tests.js';

export type { ImportNote } from './report.js';

export interface ImportOptions {
  /** The project folder's name (the npm package name derives from it). */
  name: string;
  /** The version range of gtm-template the project's package.json asks for. */
  toolchainVersion: string;
  /**
   * Where the project will be compiled from, for the type check that decides on `@ts-nocheck`
   * (any absolute path; nothing is read from it).
   */
  root?: string;
}

export interface ImportResult {
  /** Project-relative path → content; absent when the template cannot be imported at all. */
  files?: Map<string, string | Uint8Array>;
  notes: ImportNote[];
  /** Why nothing was imported. */
  error?: { code: string; text: string };
}

const TESTS_FILE = 'tests/template.test.ts';

/** The project's TypeScript files that have type errors, with their counts. */
function typeErrors(
  files: Map<string, string | Uint8Array>,
  root: string,
  context: ContainerContext,
): Map<string, number> {
  const sources: ProjectSources = { root, files };
  const ts = [...files.keys()].filter((f) => f.endsWith('.ts'));
  const program = createProjectProgram(sources, ts, undefined, context, 'src/main.ts');
  const counts = new Map<string, number>();
  for (const d of typeCheck(program)) {
    if (d.severity !== 'error' || !d.file) continue;
    counts.set(d.file, (counts.get(d.file) ?? 0) + 1);
  }
  return counts;
}

/** Why there is no code: no section at all, or sections GTM does not read (a misspelt name). */
function noCodeText(template: Template): string {
  const unknown = Object.keys(template.unknownSections);
  const known = template.info || template.parameters || template.permissions || template.tests;
  const base =
    'the template has no code section (___SANDBOXED_JS_FOR_WEB_TEMPLATE___, or ___SANDBOXED_JS_FOR_SERVER___ in a server template)';
  if (unknown.length)
    return `${base}; ${unknown.map((n) => `___${n}___`).join(', ')} ${unknown.length === 1 ? 'is not a section' : 'are not sections'} GTM reads`;
  if (!known) return `${base}: the file has no ___NAME___ section lines at all (is it a .tpl file?)`;
  return base;
}

export function importTemplate(template: Template, options: ImportOptions): ImportResult {
  const notes = new Notes();
  if (template.code === undefined) {
    return {
      notes: notes.list,
      error: {
        code: 'import/no-code',
        text: noCodeText(template),
      },
    };
  }
  if (template.syntaxErrors.length) {
    const e = template.syntaxErrors[0]!;
    return {
      notes: notes.list,
      error: {
        code: 'import/unreadable',
        text: `${e.section} does not parse (line ${e.line}): ${e.message}`,
      },
    };
  }
  for (const lost of repeatedKeysWithTwoValues(template))
    notes.add(
      'import/repeated-key',
      `___${lost.section}___`,
      `writes ${lost.what}: the project has the last, as JSON.parse reads it; the earlier value is not in it`,
    );
  const kind = templateType(template);
  const main = mainSource(template.code, { kind, context: template.context });
  if (main.text === undefined)
    return { notes: notes.list, error: { code: 'import/bad-code', text: main.error! } };
  if (main.parenthesized) notes.add('import/arrow-parentheses', 'code', arrowNote(main.parenthesized));

  const { config, icon } = configFor(template, notes);
  const fields = new FieldsWriter(notes).source(template.parameters ?? []);
  const tests = testsSource(template.tests, notes);

  const files = new Map<string, string | Uint8Array>();
  files.set('template.json', JSON.stringify(config, null, 2) + '\n');
  files.set('src/fields.ts', fields);
  files.set('src/main.ts', main.text);
  if (tests) files.set(TESTS_FILE, tests);
  if (icon) files.set(icon.file, icon.bytes);

  const root = options.root ?? path.resolve('gtm-template-import', options.name);
  for (const [file, count] of typeErrors(files, root, template.context)) {
    const text = files.get(file) as string;
    files.set(
      file,
      '// @ts-nocheck\n' +
        `// The imported code has ${count} type error${count === 1 ? '' : 's'} in TypeScript's strict mode: remove the line\n` +
        '// above to see them, and add types as you go (the build type-checks every file).\n' +
        text,
    );
    notes.add(
      'import/ts-nocheck',
      file,
      `${count} type error${count === 1 ? '' : 's'} (plain JavaScript in strict TypeScript): the file starts with // @ts-nocheck`,
    );
  }

  files.set('tsconfig.json', projectTsconfig(template.context));
  files.set('package.json', projectPackageJson(options.name, kind, options.toolchainVersion));
  files.set('.gitignore', PROJECT_GITIGNORE);
  return { files, notes: notes.list };
}
