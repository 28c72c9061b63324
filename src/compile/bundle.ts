// Stage 1: bundle the project's modules into one script with esbuild. Imports from the virtual
// module 'gtm' become `__gtmRequire('api')` bindings (renamed to `require` after lowering, so that
// esbuild does not try to bundle them), JSON imports and package.json constants are inlined (only
// the properties the code reads: json-reads.ts), and the entry calls the template's default export
// with `data` (a script-style main is wrapped into that function first: script-main.ts).

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import type { Diagnostic } from '../diagnostics.js';
import { SANDBOX_APIS } from '../gtm/apis.js';
import { findJsonReads, pruneJson } from './json-reads.js';
import { isScriptMain, wrapScriptMain } from './script-main.js';
import type { ProjectSources } from './project.js';

/** The stand-ins the bundle uses for the sandbox's `require` and `data`, renamed after lowering. */
export const REQUIRE_STANDIN = '__gtmRequire';
export const DATA_STANDIN = '__gtmData';

export interface BundleResult {
  /** ES2020+ script: the modules, then `main(__gtmData);`. */
  code?: string;
  errors: Diagnostic[];
}

const LOADERS: Record<string, 'ts' | 'json' | 'js'> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.json': 'json',
  '.js': 'js',
};

/** The virtual 'gtm' module: every API as a pure binding, so unused ones are dropped. */
function gtmModuleSource(): string {
  return Object.keys(SANDBOX_APIS)
    .map((api) => `export const ${api} = /* @__PURE__ */ ${REQUIRE_STANDIN}(${JSON.stringify(api)});`)
    .join('\n');
}

/**
 * Serves project files from memory (falling back to disk outside the project, e.g. package.json).
 * A JSON file whose importers read only some of its properties is served with only those.
 */
export function projectPlugin(
  sources: ProjectSources,
  gtmModule: () => string = gtmModuleSource,
  /** The project-relative main module when it is in script style: served wrapped (script-main.ts). */
  scriptMain?: string,
): Plugin {
  const relativeOf = (abs: string) => path.relative(sources.root, abs).split(path.sep).join('/');
  const jsonReads = findJsonReads(sources);
  const pruned = (file: string, text: string) => {
    const reads = jsonReads.get(file);
    if (!reads || reads === 'all') return text;
    try {
      return JSON.stringify(pruneJson(JSON.parse(text), reads));
    } catch {
      return text; // esbuild reports the syntax error with its location.
    }
  };
  const candidates = (base: string) => [
    base,
    base + '.ts',
    base.replace(/\.js$/, '.ts'),
    base + '/index.ts',
    base + '.json',
  ];
  return {
    name: 'gtm-template-project',
    setup(b) {
      b.onResolve({ filter: /^gtm$/ }, () => ({ path: 'gtm', namespace: 'gtm' }));
      b.onLoad({ filter: /.*/, namespace: 'gtm' }, () => ({ contents: gtmModule(), loader: 'js' }));
      b.onResolve({ filter: /^\.\.?(\/|$)/ }, (args) => {
        const base = path.resolve(args.resolveDir, args.path);
        for (const candidate of candidates(base)) {
          if (sources.files.has(relativeOf(candidate))) return { path: candidate };
        }
        return undefined;
      });
      b.onLoad({ filter: /.*/ }, async (args) => {
        let text = sources.files.get(relativeOf(args.path));
        if (typeof text !== 'string' && args.path.endsWith('.json') && jsonReads.has(args.path))
          text = await readFile(args.path, 'utf8').catch(() => undefined);
        if (typeof text !== 'string') return undefined;
        if (args.path.endsWith('.json')) text = pruned(args.path, text);
        else if (scriptMain !== undefined && relativeOf(args.path) === scriptMain)
          text = wrapScriptMain(text);
        return {
          contents: text,
          loader: LOADERS[path.extname(args.path)] ?? 'ts',
          resolveDir: path.dirname(args.path),
        };
      });
    },
  };
}

/** Bundles `main` (project-relative) into one script that ends with `main(__gtmData);`. */
export async function bundle(sources: ProjectSources, main: string): Promise<BundleResult> {
  const entry = './' + main.replace(/^\.\//, '');
  const mainText = sources.files.get(main);
  const script = typeof mainText === 'string' && isScriptMain(mainText, main);
  // Imported on first use: a build whose bundle stage is cached never needs esbuild.
  const { build } = await import('esbuild');
  const result = await build({
    stdin: {
      contents: `import main from ${JSON.stringify(entry)};\nmain(${DATA_STANDIN});\n`,
      resolveDir: sources.root,
      sourcefile: '<entry>',
      loader: 'ts',
    },
    absWorkingDir: sources.root,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'esnext',
    treeShaking: true,
    legalComments: 'none',
    charset: 'utf8',
    define: { require: REQUIRE_STANDIN },
    plugins: [projectPlugin(sources, gtmModuleSource, script ? main : undefined)],
    logLevel: 'silent',
  }).catch((err: { errors?: import('esbuild').Message[] }) => ({
    errors: err.errors ?? [{ text: String(err), location: null } as unknown as import('esbuild').Message],
    warnings: [],
    outputFiles: [],
  }));
  const errors: Diagnostic[] = result.errors.map((m) => {
    // The entry is generated: a problem there is about the main module's default export.
    if (m.location?.file === '<entry>') {
      return {
        code: 'bundle/no-main',
        severity: 'error',
        text: `${m.text}: ${main} must \`export default function main(data)\`, or be a script that exports nothing (code at the top level, with \`declare const data: TagData<Fields>;\`) (template.json "main")`,
        file: main,
        section: main,
        line: 1,
        column: 1,
      } satisfies Diagnostic;
    }
    return {
      code: 'bundle/error',
      severity: 'error',
      text: m.text,
      file: m.location?.file,
      section: m.location?.file,
      line: m.location?.line ?? 1,
      column: (m.location?.column ?? 0) + 1,
    } satisfies Diagnostic;
  });
  if (errors.length) return { errors };
  const code = result.outputFiles?.[0]?.text ?? '';
  // esbuild's runtime helpers (namespace objects, CommonJS interop) use Object.defineProperty and
  // friends, which the sandbox lacks. Stage 3 names the usual cause; this catches any other.
  const helper =
    /^var (__defProp|__export|__commonJS|__toESM|__toCommonJS|__getOwnPropNames|__require)\b/m.exec(code);
  if (helper) {
    errors.push({
      code: 'bundle/runtime-helper',
      severity: 'error',
      text: `the bundle needs esbuild's ${helper[1]} helper, which the sandbox cannot run: import names from ES modules (no CommonJS modules, no 'import * as' used as a value)`,
      line: 1,
      column: 1,
    });
    return { errors };
  }
  return { code, errors };
}
