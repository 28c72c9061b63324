// The two HTML documents the server serves: the preview page (form, simulated page editor,
// results) and the simulated page the tag fires on. Both are self-contained: scripts and styles
// are inlined, so they work with no network.

import type { AppAssets } from './assets.js';
import { escapeHtml } from './form/render.js';
import type { PageSetup } from './page/setup.js';

/** Text safe inside an inline `<script>` or `<style>`: no `</script`/`</style` can end it early. */
export function inlineSafe(text: string): string {
  return text.replace(/<\/(script|style)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON safe inside `<script type="application/json">`. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function renderAppPage(assets: AppAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gtm-template preview</title>
<style>${inlineSafe(assets.css)}</style>
</head>
<body>
<div id="app"><p class="loading">Loading the template…</p></div>
<script>${inlineSafe(assets.js)}</script>
</body>
</html>
`;
}

/**
 * The site the tag fires on. The agent (the sandbox and the preview's probes) runs first; it then
 * applies the setup the page carries: cookies, local storage, title, the site's own script and the
 * data layer pushes, in that order, as a real site's HTML would.
 */
export function renderSimulatedPage(setup: PageSetup, agentJs: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(setup.title)}</title>
<script id="preview-setup" type="application/json">${jsonForScript(setup)}</script>
<script>${inlineSafe(agentJs)}</script>
</head>
<body>
<main class="simulated-site" style="font: 14px/1.4 system-ui, sans-serif; color: #5f6368; padding: 16px">
<p>The simulated page at <strong>${escapeHtml(setup.url)}</strong>. The tag fires here.</p>
</main>
</body>
</html>
`;
}
