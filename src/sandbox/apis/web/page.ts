// APIs that read or change page state other than `window`: URL, referrer, cookies, storage, data
// layer, consent, container data, title, event callbacks.

import type { ApiContext, ApiDefinition, FunctionApi } from '../types.js';
import { SandboxError } from '../../realm.js';
import { snapshot } from '../../values.js';
import { URL_COMPONENTS } from '../../../gtm/permissions.js';
import type { PageCookie } from '../../page-host.js';

/**
 * One component of a URL as GTM's getUrl/getReferrerUrl return it. As gtm.js's URL helper reads
 * the component: a truthy one in lower case (`'HOST'` is the host), and `url_no_fragment` the URL
 * without its fragment. Evidence in docs/runtime.md, "Web APIs".
 */
export function urlComponent(href: string, component: unknown): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return component === undefined || component === null ? href : '';
  }
  switch (component ? String(component).toLowerCase() : component) {
    case 'url_no_fragment':
      return href.includes('#') ? href.slice(0, href.indexOf('#')) : href;
    case 'protocol':
      return url.protocol.replace(/:$/, '');
    case 'host':
      return url.hostname;
    case 'port':
      return url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
    case 'path':
      return url.pathname;
    case 'query':
      return url.search.replace(/^\?/, '');
    case 'extension': {
      // As gtm.js reads it: what follows the path's last dot, up to the next slash, so a dot in a
      // directory counts ('/v1.2/page' gives '2'). Evidence in docs/runtime.md, "Web APIs".
      const pieces = url.pathname.split('.');
      return pieces.length > 1 ? pieces[pieces.length - 1]!.split('/')[0]! : '';
    }
    case 'fragment':
      return url.hash.replace(/^#/, '');
    default:
      return href;
  }
}

/**
 * A query parameter as gtm.js's own parser reads it (not URLSearchParams): the query is split on
 * `&` and `=`, a name matches when `decodeURIComponent(name)` with `+` read as a space equals the key,
 * and a value is `decodeURIComponent(value)` with every `+` then read as a space, so `%2B` gives a
 * space too. Malformed escapes throw, as there. The first match, or with `retrieveAll` every match
 * (an empty list when none). Evidence in docs/runtime.md, "Web APIs".
 */
function queryParameters(api: string, href: string, key: unknown, retrieveAll: unknown): unknown {
  let query = '';
  try {
    query = new URL(href).search.replace('?', '');
  } catch {
    // No URL (an empty referrer): no parameters.
  }
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text).replace(/\+/g, ' ');
    } catch {
      throw new SandboxError('sandbox/api-error', `Error in ${api}. URI malformed: ${text}`);
    }
  };
  const values: string[] = [];
  for (const pair of query.split('&')) {
    const parts = pair.split('=');
    if (decode(parts[0]!) !== key) continue;
    const value = decode(parts.slice(1).join('='));
    if (!retrieveAll) return value;
    values.push(value);
  }
  return retrieveAll ? values : undefined;
}

/**
 * The values of the cookies named `name`, as gtm.js's cookie reader gives them: names and values
 * trimmed, in the page's order, and each non-empty value decoded with `decodeURIComponent` when
 * `decode` is truthy (the API's `decode` defaults to true only when left out, so `null` or `0`
 * reads the raw values). The decoding is not guarded there, so a malformed escape throws. Evidence
 * in docs/runtime.md, "Web APIs".
 */
function cookieValues(cookies: PageCookie[], name: string, decode: unknown): string[] {
  const values: string[] = [];
  for (const cookie of cookies) {
    const cookieName = cookie.name.trim();
    if (!cookieName || cookieName !== name) continue;
    const value = cookie.value.trim();
    if (!value || !decode) {
      values.push(value);
      continue;
    }
    try {
      values.push(decodeURIComponent(value));
    } catch {
      throw new SandboxError('sandbox/api-error', `Error in getCookieValues. URI malformed: ${value}`);
    }
  }
  return values;
}

/**
 * A consent command's call: recorded in the firing, and queued on the page for the end of the
 * event, where it takes effect (docs/runtime.md, "Web APIs").
 */
function consentCommand(command: 'default' | 'update'): FunctionApi['call'] {
  return (ctx, [settings]) => {
    const entry = { command, settings: snapshot(settings) as Record<string, unknown> };
    ctx.record.consentCommands.push(entry);
    ctx.page.consentQueue.push(entry);
    return undefined;
  };
}

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Merges `from` into `to` as GTM's data layer does: arrays and plain objects recursively, by key. */
function mergeInto(from: Plain | unknown[], to: Plain | unknown[]): void {
  const source = from as Plain;
  const target = to as Plain;
  const merging = !source._clear;
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (Array.isArray(value) && merging) {
      if (!Array.isArray(target[key])) target[key] = [];
      mergeInto(value, target[key] as unknown[]);
    } else if (isPlainObject(value) && merging) {
      if (!isPlainObject(target[key])) target[key] = {};
      mergeInto(value, target[key] as Plain);
    } else {
      target[key] = value;
    }
  }
  delete target._clear;
}

/**
 * The data layer's model, as GTM keeps it (the semantics of Google's open-source data-layer-helper,
 * `src/helper/utils.js`): each pushed object is merged key by key; a dotted key is a path
 * (`{'gtm.start': 1}` sets `gtm.start`, which is why Google's data layer guide shows
 * `gtm: {uniqueEventId, start}`); arrays and plain objects merge recursively unless the pushed
 * object says `_clear: true`. Pushed `arguments` objects are commands, not state. Version 1 reads
 * keys as they were pushed, the last value winning.
 */
function dataLayerModel(dataLayer: unknown, version: unknown): Plain {
  const model: Plain = {};
  if (!Array.isArray(dataLayer)) return model;
  for (const message of dataLayer) {
    if (!isPlainObject(message)) continue;
    for (const key of Object.keys(message)) {
      if (version === 1) {
        model[key] = message[key];
        continue;
      }
      const expanded: Plain = {};
      let at = expanded;
      const parts = key.split('.');
      for (const part of parts.slice(0, -1)) at = at[part] = {};
      at[parts[parts.length - 1]!] = message[key];
      mergeInto(expanded, model);
    }
  }
  return model;
}

/**
 * What GTM's data layer model holds under `key` (version 2: dots step into nested objects, as a
 * Data Layer Variable reads it; version 1: the key as one name). Shared with the preview's variables.
 */
export function dataLayerValue(dataLayer: unknown, key: string, version: 1 | 2 = 2): unknown {
  const model = dataLayerModel(dataLayer, version);
  if (version === 1) return model[key];
  // gtm.js walks the path as `if (b === null) return false; if (b === undefined) break; b = b[part]`:
  // a null on the way reads false, and a string's own properties are read ('title.length').
  let node: unknown = model;
  for (const part of key.split('.')) {
    if (node === null) return false;
    if (node === undefined) break;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function consentSettingsCheck(api: string) {
  return (ctx: ApiContext, [settings]: unknown[]) => {
    if (!settings || typeof settings !== 'object') return;
    for (const type of Object.keys(settings)) {
      if (type === 'region' || type === 'wait_for_update') continue;
      ctx.demand(api, 'access_consent', type, 'write');
    }
  };
}

function flattenKeys(value: unknown, prefix: string, out: string[], seen: Set<unknown>): void {
  if (value && typeof value === 'object' && !Array.isArray(value) && !seen.has(value)) {
    seen.add(value);
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix) out.push(prefix);
    for (const k of keys)
      flattenKeys((value as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k, out, seen);
  } else if (prefix) {
    out.push(prefix);
  }
}

/**
 * What gtag's cookies say about the visitor: `_ga` = `GA1.1.<client id>`, and per measurement ID
 * `_ga_<ID>` = `GS1.1.<session id>.<session number>...` (the classic format) or, since May 2025,
 * `GS2.1.s<session id>$o<session number>$g…$t…` (fields named by their first letter, in any
 * order; see `gaSession`). A `cookie_prefix`
 * goes in front of the default names, as gtag names its cookies: prefix `example` reads
 * `example_ga` and `example_ga_<ID>` (Google's gtag.js cookie guide, "Cookie prefix").
 */
/** The session a `_ga_<ID>` cookie value holds, in either of gtag's formats; undefined if neither. */
function gaSession(value: string): { session_id: string; session_number: number } | undefined {
  const parts = value.split('.');
  if (parts[0] === 'GS2') {
    const fields = new Map(
      parts
        .slice(2)
        .join('.')
        .split('$')
        .map((f) => [f.charAt(0), f.slice(1)] as const),
    );
    const id = fields.get('s');
    return id ? { session_id: id, session_number: Number(fields.get('o')) } : undefined;
  }
  return parts.length < 4 ? undefined : { session_id: parts[2]!, session_number: Number(parts[3]) };
}

function analyticsStorage(ctx: ApiContext, options: unknown): unknown {
  const prefix = String((options as { cookie_prefix?: unknown } | undefined)?.cookie_prefix ?? '');
  const name = (n: string) => prefix + n;
  const cookies = ctx.page.host.cookies();
  const ga = cookies.find((c) => c.name === name('_ga'))?.value;
  const gaParts = ga?.split('.') ?? [];
  const sessions: { measurement_id: string; session_id: string; session_number: number }[] = [];
  for (const c of cookies) {
    if (!c.name.startsWith(name('_ga_'))) continue;
    const session = gaSession(c.value);
    if (session) sessions.push({ measurement_id: 'G-' + c.name.slice(name('_ga_').length), ...session });
  }
  return ctx.bridge.toSandbox({
    client_id: gaParts.length >= 4 ? gaParts.slice(2).join('.') : undefined,
    sessions,
  });
}

function templateStore(ctx: ApiContext): Map<string, unknown> {
  let store = ctx.page.templateStorage.get(ctx.templateKey);
  if (!store) ctx.page.templateStorage.set(ctx.templateKey, (store = new Map()));
  return store;
}

export const PAGE_APIS: Record<string, ApiDefinition> = {
  getUrl: {
    check: (ctx, [component]) =>
      ctx.demand('getUrl', 'get_url', URL_COMPONENTS.includes(String(component)) ? component : undefined),
    call: (ctx, [component]) => urlComponent(ctx.page.url, component),
  },
  getQueryParameters: {
    check: (ctx, [key]) => ctx.demand('getQueryParameters', 'get_url', 'query', key),
    call: (ctx, [key, retrieveAll]) => queryParameters('getQueryParameters', ctx.page.url, key, retrieveAll),
  },
  getReferrerUrl: {
    check: (ctx, [component]) =>
      ctx.demand(
        'getReferrerUrl',
        'get_referrer',
        URL_COMPONENTS.includes(String(component)) ? component : undefined,
      ),
    call: (ctx, [component]) => (ctx.page.referrer ? urlComponent(ctx.page.referrer, component) : ''),
  },
  getReferrerQueryParameters: {
    check: (ctx, [key]) => ctx.demand('getReferrerQueryParameters', 'get_referrer', 'query', key),
    call: (ctx, [key, retrieveAll]) =>
      queryParameters('getReferrerQueryParameters', ctx.page.referrer, key, retrieveAll),
  },
  getCookieValues: {
    check: (ctx, [name]) => ctx.demand('getCookieValues', 'get_cookies', name),
    call: (ctx, [name, decode = true]) => cookieValues(ctx.page.host.cookies(), String(name), decode),
  },
  setCookie: {
    check: (ctx, [name, _value, options]) => ctx.demand('setCookie', 'set_cookies', name, options),
    call: (ctx, [name, value, options, encode]) => {
      const text = String(value);
      const stored = encode === false ? text : encodeURIComponent(text);
      const opts = (options && typeof options === 'object' ? snapshot(options) : {}) as Record<
        string,
        unknown
      >;
      ctx.record.cookiesSet.push({
        name: String(name),
        value: text,
        options: opts,
        encode: encode !== false,
      });
      ctx.page.host.setCookie(String(name), stored, opts);
      return undefined;
    },
  },
  localStorage: {
    methods: {
      getItem: {
        check: (ctx, [key]) => ctx.demand('localStorage.getItem', 'access_local_storage', 'read', key),
        call: (ctx, [key]) => ctx.page.host.localStorage.getItem(String(key)),
      },
      setItem: {
        check: (ctx, [key]) => ctx.demand('localStorage.setItem', 'access_local_storage', 'write', key),
        // Google's reference: "Returns true if successful"; gtm.js builds that leave the API out
        // keep its shape as `setItem:function(a,b){return!1}`. A storage that refuses the write
        // (quota, a blocked storage on a real page) makes it false.
        call: (ctx, [key, value]) => {
          try {
            ctx.page.host.localStorage.setItem(String(key), String(value));
            return true;
          } catch {
            return false;
          }
        },
      },
      removeItem: {
        check: (ctx, [key]) => ctx.demand('localStorage.removeItem', 'access_local_storage', 'write', key),
        call: (ctx, [key]) => {
          ctx.page.host.localStorage.removeItem(String(key));
          return undefined;
        },
      },
    },
  },
  templateStorage: {
    methods: {
      getItem: {
        check: (ctx) => ctx.demand('templateStorage.getItem', 'access_template_storage'),
        // A key never stored reads as null, as the Web Storage API's getItem does: templates
        // test `getItem(k) !== null` (see docs/runtime.md, "templateStorage.getItem").
        call: (ctx, [key]) => {
          const store = templateStore(ctx);
          const name = String(key);
          return store.has(name) ? store.get(name) : null;
        },
      },
      setItem: {
        check: (ctx) => ctx.demand('templateStorage.setItem', 'access_template_storage'),
        call: (ctx, [key, value]) => {
          templateStore(ctx).set(String(key), value);
          return undefined;
        },
      },
      removeItem: {
        check: (ctx) => ctx.demand('templateStorage.removeItem', 'access_template_storage'),
        call: (ctx, [key]) => {
          templateStore(ctx).delete(String(key));
          return undefined;
        },
      },
      clear: {
        check: (ctx) => ctx.demand('templateStorage.clear', 'access_template_storage'),
        call: (ctx) => {
          templateStore(ctx).clear();
          return undefined;
        },
      },
    },
  },
  copyFromDataLayer: {
    check: (ctx, [key]) => ctx.demand('copyFromDataLayer', 'read_data_layer', key),
    call: (ctx, [key, version]) =>
      ctx.bridge.toSandbox(dataLayerValue(ctx.page.window.dataLayer, String(key), version === 1 ? 1 : 2)),
  },
  gtagSet: {
    check: (ctx, [first, second]) => {
      const keys: string[] = [];
      if (typeof first === 'string') flattenKeys(second, first, keys, new Set());
      else flattenKeys(first, '', keys, new Set());
      for (const key of keys) ctx.demand('gtagSet', 'write_data_layer', key);
    },
    call: (ctx, [first, second]) => {
      const settings = typeof first === 'string' ? { [first]: snapshot(second) } : snapshot(first);
      ctx.record.gtagSets.push(settings as Record<string, unknown>);
      return undefined;
    },
  },
  isConsentGranted: {
    check: (ctx, [type]) => ctx.demand('isConsentGranted', 'access_consent', type, 'read'),
    call: (ctx, [type]) => ctx.page.consentGranted(String(type)),
  },
  addConsentListener: {
    check: (ctx, [type]) => ctx.demand('addConsentListener', 'access_consent', type, 'read'),
    call: (ctx, [type, listener]) => {
      ctx.addConsentListener(String(type), listener);
      return undefined;
    },
  },
  setDefaultConsentState: {
    check: consentSettingsCheck('setDefaultConsentState'),
    call: consentCommand('default'),
  },
  updateConsentState: {
    check: consentSettingsCheck('updateConsentState'),
    call: consentCommand('update'),
  },
  readAnalyticsStorage: {
    check: (ctx) => ctx.demand('readAnalyticsStorage', 'read_analytics_storage'),
    call: (ctx, [options]) => analyticsStorage(ctx, options),
  },
  readTitle: {
    check: (ctx) => ctx.demand('readTitle', 'read_title'),
    call: (ctx) => ctx.page.title,
  },
  readCharacterSet: {
    check: (ctx) => ctx.demand('readCharacterSet', 'read_character_set'),
    call: (ctx) => ctx.page.characterSet,
  },
};
