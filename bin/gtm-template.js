#!/usr/bin/env node
// Starts the bundled CLI (dist/cli.js). An installed package ships the bundle and never rebuilds it.
// Only in the toolchain's own source checkout (src/cli.ts present) is the bundle rebuilt when the
// sources are newer than it (a developer editing src/), which takes ~100 ms.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist/cli.js');
const src = path.join(root, 'src');
const checkout = existsSync(path.join(src, 'cli.ts')) && existsSync(path.join(root, 'scripts/build-cli.js'));

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

if (checkout && (!existsSync(bundle) || newestMtime(src) > statSync(bundle).mtimeMs)) {
  const { buildCli } = await import(pathToFileURL(path.join(root, 'scripts/build-cli.js')).href);
  await buildCli();
}
if (!existsSync(bundle)) {
  process.stderr.write(
    `gtm-template: the package at ${root} has no dist/cli.js (install/incomplete-package): reinstall it, ` +
      'or in a source checkout run npm ci\n',
  );
  process.exit(2);
}
// A reader that stops early (`gtm-template check … | head`) closes the pipe. The rest of the output
// then has nowhere to go, which is no fault of the command: it finishes, and its exit code counts.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
  });
const { main, tuneEngineFor } = await import(pathToFileURL(bundle).href);
// V8 flags for the batch commands, in this process only (src/cli/engine.ts says why).
tuneEngineFor(process.argv.slice(2));
process.exitCode = await main(process.argv.slice(2));
