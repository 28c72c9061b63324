// Bundles the TypeScript toolchain into dist/ so `gtm-template` starts in plain Node 20 (which
// cannot run .ts files) without a TypeScript loader on every start: dist/cli.js (the command) and
// dist/index.js (the library). Code splitting keeps each command in its own chunk, loaded on
// demand: `check` never loads TypeScript or esbuild. `--declarations` also writes the library's
// typings (dist/types/), which only the packed package needs (`npm pack` runs it via prepack).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Node 20 imports a CommonJS package into ESM only after scanning its whole source for named
// exports; for TypeScript's 9 MB bundle that scan costs ~0.3 s on every `build`. A plain require
// does not scan, so the CLI loads it that way (the sources keep their ordinary default import).
const requireTypeScript = {
  name: 'require-typescript',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, () => ({ path: 'typescript', namespace: 'require-cjs' }));
    build.onLoad({ filter: /.*/, namespace: 'require-cjs' }, (args) => ({
      contents: `import { createRequire } from 'node:module';\nexport default createRequire(import.meta.url)(${JSON.stringify(args.path)});\n`,
      loader: 'js',
    }));
  },
};

/** Packages loaded from node_modules at run time rather than bundled. */
const EXTERNAL = ['esbuild', 'prettier', 'typescript', 'typescript-json-schema', 'playwright-core', 'ajv'];

export async function buildCli() {
  const result = await build({
    metafile: true,
    absWorkingDir: root, // metafile paths are relative to it
    entryPoints: [path.join(root, 'src/cli.ts'), path.join(root, 'src/index.ts')],
    outdir: path.join(root, 'dist'),
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The small pure-JavaScript libraries every command uses (yaml, acorn, jsonc-parser, tldts,
    // @noble/hashes) are bundled in: loading yaml's ~60 CommonJS files one by one cost a start of
    // `gtm-template check` on one file ~55 ms of its ~180. The big tools stay packages, loaded only
    // by the commands that need them; ajv too, whose compiled validators require its runtime files.
    external: EXTERNAL,
    // ESM builds where a package has one (jsonc-parser's UMD build requires its files dynamically).
    mainFields: ['module', 'main'],
    // yaml's CommonJS build requires Node's built-ins ('process'); an ES module has no `require`.
    banner: {
      js: "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    logLevel: 'error',
    plugins: [requireTypeScript],
  });
  removeStaleChunks(result.metafile);
}

/**
 * Chunk names carry a content hash, so every change leaves the previous chunks behind; a packed
 * package would ship them. Keeps only what this build wrote (the same set for any build of the
 * same sources, so two builds at once agree on it).
 */
function removeStaleChunks(metafile) {
  const written = new Set(Object.keys(metafile.outputs).map((out) => path.resolve(root, out)));
  const chunks = path.join(root, 'dist/chunks');
  for (const name of readdirSync(chunks)) {
    const file = path.join(chunks, name);
    if (!written.has(file)) rmSync(file, { force: true });
  }
}

/** The library's .d.ts files (dist/types/), emitted by TypeScript from src/index.ts. */
export function buildDeclarations() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.types.json')], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('declaration emit failed (tsc -p tsconfig.types.json)');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli();
  if (process.argv.includes('--declarations')) buildDeclarations();
}
