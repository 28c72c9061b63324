// The giosg template as it ships: the generated, committed build/template.tpl (not the TypeScript),
// so these suites test exactly what GTM imports, and run right after `npm ci` without a build.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type Template } from '../../src/tpl/index.js';

export const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../build');

let cached: Template | undefined;

/** GIOSG_TEMPLATE_TPL points the suites at another build (e.g. `build --out /tmp/x` before committing). */
export const templatePath = process.env.GIOSG_TEMPLATE_TPL ?? path.join(buildDir, 'template.tpl');

export function builtTemplate(): Template {
  if (!cached) {
    const template = parse(readFileSync(templatePath, 'utf8'));
    if (template.syntaxErrors.length > 0) {
      throw new Error(`${templatePath} does not parse: ${JSON.stringify(template.syntaxErrors)}`);
    }
    cached = template;
  }
  return cached;
}

export const ORGANIZATION_ID = '826100fd-b473-49b0-bafd-d7332622bae8';
export const CLIENT_URL = `https://service.giosg.com/live2/${ORGANIZATION_ID}`;
/** giosg's documented example token: header {"alg":"HS256","typ":"JWT"}. */
export const HS256_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjb21pY191cmwiOiJodHRwOi8veGtjZC5jb20vMTM2MC8ifQ.BsjBt9a9imoj9P5_7aIAe5nuhPd5jb8HGvAJKPCwm6A';

/** `window._giosg._e` after a run: the queued calls, each an arguments list. */
export function queued(window: Record<string, unknown>): unknown[][] | undefined {
  const giosg = window._giosg as { _e?: unknown[][] } | undefined;
  return giosg?._e;
}
