// Bundles the TypeScript CLI into dist/cli.js so `gtm-template` starts in plain Node 20
// (which cannot run .ts files) without a TypeScript loader on every start. Code splitting keeps
// each command in its own chunk, loaded on demand: `check` never loads TypeScript or esbuild.
import { build } from 'esbuild';
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

export async function buildCli() {
  await build({
    entryPoints: [path.join(root, 'src/cli.ts')],
    outdir: path.join(root, 'dist'),
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'error',
    plugins: [requireTypeScript],
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli();
}
