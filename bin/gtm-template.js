#!/usr/bin/env node
// Starts the bundled CLI. `npm ci` builds dist/cli.js (the `prepare` script); if the sources are
// newer than the bundle (a developer editing src/), it is rebuilt first, which takes ~100 ms.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist/cli.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

const src = path.join(root, 'src');
if (!existsSync(bundle) || (existsSync(src) && newestMtime(src) > statSync(bundle).mtimeMs)) {
  const { buildCli } = await import(pathToFileURL(path.join(root, 'scripts/build-cli.js')).href);
  await buildCli();
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
