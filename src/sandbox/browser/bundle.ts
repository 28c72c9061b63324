// The sandbox bundle a page loads (Node side): `entry.ts` and everything it needs (runtime, APIs,
// .tpl parser), built with the toolchain's own esbuild into one classic script that defines
// `window.gtmSandbox`. Needs the sources (src/), so it runs from a checkout; a published CLI ships
// the built file instead (`writeSandboxBundle`).

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** entry.ts beside this file; from the working directory when this module runs bundled elsewhere. */
function entryFile(): string {
  const beside = path.join(path.dirname(fileURLToPath(import.meta.url)), 'entry.ts');
  return existsSync(beside) ? beside : path.resolve('src/sandbox/browser/entry.ts');
}

let cached: Promise<string> | undefined;

/**
 * The runtime defaults to the Node realm (`node:vm`) where no realm is given; in a page every run
 * gets an `IframeRealm`, so the Node realm is replaced by a module that says so if ever reached.
 */
const withoutNodeRealm = {
  name: 'without-node-realm',
  setup(build: import('esbuild').PluginBuild) {
    build.onResolve({ filter: /[\\/]node-realm\.js$|^\.\/node-realm\.js$/ }, () => ({
      path: 'node-realm',
      namespace: 'page-stub',
    }));
    build.onLoad({ filter: /.*/, namespace: 'page-stub' }, () => ({
      contents:
        "export class NodeRealm { constructor() { throw new Error('the Node realm does not exist in a page: pass an IframeRealm'); } }",
      loader: 'js',
    }));
  },
};

/**
 * Bundles one entry that runs in a page (this sandbox's, or a page built on it such as the preview's)
 * into a classic script; CSS the entry imports comes back separately.
 */
export async function bundleForPage(entry: string): Promise<{ js: string; css: string }> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [withoutNodeRealm],
  });
  const text = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: text('.js'), css: text('.css') };
}

async function build(): Promise<string> {
  return (await bundleForPage(entryFile())).js;
}

/** The bundle's JavaScript text (built once per process). */
export function sandboxBundle(): Promise<string> {
  return (cached ??= build());
}

/** Writes the bundle to `file` (for a page served from disk, or a CLI that ships it prebuilt). */
export async function writeSandboxBundle(file: string): Promise<void> {
  await writeFile(file, await sandboxBundle());
}
