// The preview page's script and styles, and the simulated page's agent (the sandbox in the page),
// built with the toolchain's own esbuild from `src/preview/client/`, once per process. Nothing is
// fetched at run time: the server inlines them into the pages it serves. A published package
// without `src/` ships them prebuilt in `dist/preview/` (`scripts/build-cli.js`).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForPage } from '../sandbox/browser/bundle.js';

export interface AppAssets {
  js: string;
  css: string;
}

export interface PreviewAssets {
  app(): Promise<AppAssets>;
  pageAgent(): Promise<string>;
}

/** The folder holding package.json of this toolchain, from wherever this module was bundled to. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'gtm-template')
          return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the gtm-template package folder');
    dir = parent;
  }
}

const ENTRIES = { app: 'src/preview/client/app.ts', pageAgent: 'src/preview/client/page-agent.ts' } as const;
export const PREBUILT_DIR = 'dist/preview';

/** Writes the prebuilt assets into `<out>/dist/preview/` from the sources in `root` (run on pack). */
export async function writePrebuiltAssets(root = packageRoot(), out = root): Promise<string[]> {
  const dir = path.join(out, PREBUILT_DIR);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const name of Object.keys(ENTRIES) as (keyof typeof ENTRIES)[]) {
    const { js, css } = await bundleForPage(path.join(root, ENTRIES[name]));
    for (const [ext, text] of [
      ['js', js],
      ['css', css],
    ] as const) {
      if (!text) continue;
      const file = path.join(dir, `${name}.${ext}`);
      writeFileSync(file, text);
      written.push(file);
    }
  }
  return written;
}

/** Builds the assets from the sources when present, else reads the prebuilt ones. */
export function previewAssets(root = packageRoot()): PreviewAssets {
  const fromSource = existsSync(path.join(root, ENTRIES.app));
  const load = (name: keyof typeof ENTRIES) => {
    if (fromSource) return bundleForPage(path.join(root, ENTRIES[name]));
    const base = path.join(root, PREBUILT_DIR, name);
    return Promise.resolve({
      js: readFileSync(`${base}.js`, 'utf8'),
      css: existsSync(`${base}.css`) ? readFileSync(`${base}.css`, 'utf8') : '',
    });
  };
  let app: Promise<AppAssets> | undefined;
  let agent: Promise<string> | undefined;
  return {
    app: () => (app ??= load('app')),
    pageAgent: () => (agent ??= load('pageAgent').then((a) => a.js)),
  };
}
