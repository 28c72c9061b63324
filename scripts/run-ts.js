// Runs a TypeScript entry file (a benchmark or a maintenance script) under plain Node:
// esbuild bundles it to a temporary .mjs beside node_modules, then Node imports it.
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { mkdirSync } from 'node:fs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/run-ts.js <file.ts> [args...]');
  process.exit(2);
}
const outDir = path.join(root, 'node_modules/.cache/run-ts');
mkdirSync(outDir, { recursive: true });
const outfile = path.join(outDir, path.basename(entry).replace(/\.ts$/, '') + '.mjs');
await build({
  entryPoints: [path.resolve(entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'error',
  // Keep import.meta.url pointing at the source tree for file lookups relative to the entry.
  define: { 'import.meta.dirname': JSON.stringify(path.dirname(path.resolve(entry))) },
});
process.argv.splice(1, 2, path.resolve(entry));
await import(pathToFileURL(outfile).href);
