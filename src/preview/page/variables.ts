// GTM variables on the simulated page: `{{Page URL}}` and the other built-ins, and the variables the
// user defines (constant, Data Layer Variable, 1st-party cookie, JavaScript variable), read from the
// page at the moment the tag fires, as GTM evaluates them for each event.

import { dataLayerValue } from '../../sandbox/apis/web/page.js';
import type { VariableLookup } from '../form/data.js';
import { constantValue, type VariableDefinition } from './setup.js';

/** What variables read from the page. */
export interface PageView {
  /** The simulated address (`location.href` as the tag sees it). */
  url: string;
  referrer: string;
  /** `document.cookie`, as text. */
  cookie: string;
  window: Record<string, unknown>;
}

function readPath(root: unknown, path: string): unknown {
  let node = root;
  for (const part of path.split('.')) {
    if (node === null || node === undefined) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function cookieValue(cookieText: string, name: string): string | undefined {
  for (const part of cookieText.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      // GTM's 1st-party cookie variable decodes the value (its "URI-decode cookie" option).
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

/** The name of the event the page is on: the last `event` pushed, else GTM's first, `gtm.js`. */
function currentEvent(dataLayer: unknown): string {
  if (!Array.isArray(dataLayer)) return 'gtm.js';
  for (let i = dataLayer.length - 1; i >= 0; i--) {
    const item = dataLayer[i] as { event?: unknown } | null;
    if (item && typeof item === 'object' && typeof item.event === 'string') return item.event;
  }
  return 'gtm.js';
}

function builtIn(name: string, page: PageView): { found: true; value: unknown } | undefined {
  let url: URL | undefined;
  try {
    url = new URL(page.url);
  } catch {
    url = undefined;
  }
  switch (name) {
    case 'Page URL':
      return { found: true, value: page.url };
    case 'Page Hostname':
      return { found: true, value: url?.hostname ?? '' };
    case 'Page Path':
      return { found: true, value: url?.pathname ?? '' };
    case 'Referrer':
      return { found: true, value: page.referrer };
    case 'Event':
      return { found: true, value: currentEvent(page.window.dataLayer) };
    default:
      return undefined;
  }
}

/** Reads one variable from the page now. */
export function variableValue(def: VariableDefinition, page: PageView): unknown {
  const key = def.value.trim();
  switch (def.kind) {
    case 'constant':
      return constantValue(def.value);
    case 'dataLayer':
      return dataLayerValue(page.window.dataLayer, key);
    case 'cookie':
      return cookieValue(page.cookie, key);
    case 'jsVariable':
      return readPath(page.window, key);
  }
}

/** The lookup `formData` resolves `{{name}}` with: the user's variables first, then the built-ins. */
export function variableLookup(defs: readonly VariableDefinition[], page: PageView): VariableLookup {
  return (name) => {
    const def = defs.find((d) => d.name.trim() === name);
    if (def) return { found: true, value: variableValue(def, page) };
    return builtIn(name, page) ?? { found: false };
  };
}
