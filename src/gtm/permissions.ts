// What a declared permission allows: "does permission P, with these params, allow a call with these
// arguments?" One table for the sandbox (which enforces it on every call) and the checker (which
// asks it about literal arguments in the code).
//
// A question is asked with `queryPermission`'s arguments (Google's permissions reference):
//   web
//     access_globals: (mode 'read'|'write'|'readwrite'|'execute', key)
//     inject_script / send_pixel / inject_hidden_iframe: (url)
//     get_url / get_referrer: (component?, queryKey?)
//     read_data_layer / write_data_layer: (key)
//     access_local_storage: (mode 'read'|'write'|'readwrite', key)
//     access_consent: (consentType, mode 'read'|'write'|'readwrite')
//   both
//     get_cookies: (name)    set_cookies: (name, options?)
//   server
//     read_request: (part, name?), part one of REQUEST_PARTS ('header' and 'query_parameter' take a name)
//     access_response: (part, name?), part 'status' | 'header' | 'body' ('header' takes a name)
//     read_event_data: (keyPath?), no key path = all of the event data
//     send_http / send_pixel_from_browser: (url)
//     access_bigquery: (operation 'write', projectId, datasetId, tableId) or (operation, { projectId, datasetId, tableId })
//     access_firestore: (operation 'read'|'write', projectId, path, databaseId?) or (operation, { projectId, path, databaseId })
//     use_google_credentials: (scopes: string[])
//     use_message: (messageType, action 'listen'|'send')
//     use_custom_private_keys: (keyId)
//   others (logging, read_title, read_event_metadata, return_response, run_container,
//   access_template_storage, read_container_data, ...): ()

import { isWebUrlPattern, matchesUrlPattern, matchesWebUrlPattern } from './url-pattern.js';
import type { PlainValue } from './typed-value.js';

export type PermissionParams = Record<string, PlainValue>;

/** `undefined` when allowed, otherwise why not (for the error message). */
export type PermissionRule = (params: PermissionParams, args: unknown[]) => string | undefined;

function list(value: PlainValue | undefined): PlainValue[] {
  return Array.isArray(value) ? value : [];
}

function maps(value: PlainValue | undefined): Record<string, PlainValue>[] {
  return list(value).filter(
    (v): v is Record<string, PlainValue> => !!v && typeof v === 'object' && !Array.isArray(v),
  );
}

/** `*` matches any run of characters; everything else is literal. */
export function globMatch(pattern: string, text: string): boolean {
  if (!pattern.includes('*')) return pattern === text;
  let re = globs.get(pattern);
  if (!re) {
    re = new RegExp(
      '^' +
        pattern
          .split('*')
          .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*') +
        '$',
    );
    if (globs.size > 1000) globs.clear();
    globs.set(pattern, re);
  }
  return re.test(text);
}

/** Compiled glob patterns: the same few patterns are asked about on every call. */
const globs = new Map<string, RegExp>();

/**
 * A data layer or event data key pattern: a glob, where `a.*` also covers `a` itself. Real exports
 * declare `ecommerce.*` and read `ecommerce` (kixell's EEC converter, three knowit-experience
 * converters, praba's `transactionProducts.*`, knowit's `user_data.*` for getEventData('user_data')):
 * reading a key returns everything below it, which is what `a.*` grants.
 */
export function keyPatternMatches(pattern: string, key: string): boolean {
  return globMatch(pattern, key) || (pattern.endsWith('.*') && key === pattern.slice(0, -2));
}

/**
 * read_data_layer as published gtm.js builds assert it (find_string id 52036953935, pages at offsets
 * 112000 and 176000; quoted in docs/runtime.md, "Permissions"): a key that is not a string is
 * refused ("Keys must be strings."); a pattern is dotted names with at most a final `.*` (`Yd`), and
 * one that is not throws "Invalid key filter." when the patterns are walked in order; a key is
 * dotted names (`Xd` for each part), matched exactly or, by `a.*`, as `a` or anything below it. So
 * `items.*` does not allow `items.0`, and `a*` allows nothing. write_data_layer's configuration is
 * documented in the same words ("a leading series of dotted references, with a trailing
 * wildcard", Google's permissions reference) and reads the same.
 */
const DATA_LAYER_KEY_PART = /^[a-z$_][\w$]*$/i;
const DATA_LAYER_KEY_PATTERN = /^(?:[a-z_$][a-z_$0-9]*\.)*[a-z_$][a-z_$0-9]*(?:\.\*)?$/i;

function dataLayerKeyDenial(patterns: readonly string[], key: unknown): string | undefined {
  if (typeof key !== 'string') return 'the data layer key is not a string';
  const dotted = key !== '' && key.split('.').every((part) => DATA_LAYER_KEY_PART.test(part));
  for (const pattern of patterns) {
    if (!DATA_LAYER_KEY_PATTERN.test(pattern))
      return `its key pattern '${pattern}' is invalid (dotted names, with at most a final '.*')`;
    if (dotted && keyPatternMatches(pattern, key)) return undefined;
  }
  return dotted
    ? `the key '${key}' is not listed`
    : `the key '${key}' is not a dotted path of names (such as 'ecommerce.items')`;
}

function modes(mode: unknown): ('read' | 'write' | 'execute')[] | undefined {
  if (mode === 'read' || mode === 'write' || mode === 'execute') return [mode];
  if (mode === 'readwrite') return ['read', 'write'];
  return undefined;
}

const WEB_URL_PERMISSIONS: ReadonlySet<string> = new Set([
  'inject_script',
  'send_pixel',
  'inject_hidden_iframe',
]);

/** Whether URL permission `id` is a web one, matched as gtm.js matches it. */
export function isWebUrlPermission(id: string): boolean {
  return WEB_URL_PERMISSIONS.has(id);
}

/**
 * Whether the URL patterns of permission `id` allow `url`. gtm.js walks a web permission's patterns
 * in order and throws at the first one it cannot read ("Invalid Wildcard", then "Invalid script URL
 * filter."), so such a pattern denies every URL no earlier pattern allowed.
 */
export function urlPatternsAllow(id: string, patterns: readonly string[], url: string): boolean {
  // The web permissions follow gtm.js's reading; the server ones the general one (url-pattern.ts).
  const web = isWebUrlPermission(id);
  for (const p of patterns) {
    if (web && !isWebUrlPattern(p)) return false;
    if (web ? matchesWebUrlPattern(p, url) : matchesUrlPattern(p, url)) return true;
  }
  return false;
}

function urlRule(id: string): PermissionRule {
  return (params, args) => {
    const url = args[0];
    if (typeof url !== 'string') return 'the URL is not a string';
    if (params.allowedUrls === 'any') return undefined;
    const patterns = list(params.urls).filter((u): u is string => typeof u === 'string');
    if (urlPatternsAllow(id, patterns, url)) return undefined;
    return `'${url}' matches none of its URL patterns (${patterns.length ? patterns.join(', ') : 'none declared'})`;
  };
}

/**
 * Hosts "Allow Google Domains" opens for send_http. Google's permission page names the option but
 * not the list; these are the domains Google's own server tags send to.
 */
const GOOGLE_DOMAINS = [
  'google.com',
  'googleapis.com',
  'google-analytics.com',
  'googleadservices.com',
  'googlesyndication.com',
  'googletagmanager.com',
  'doubleclick.net',
];

export function isGoogleDomainUrl(url: string): boolean {
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
    host = parsed.hostname.toLowerCase();
  } catch {
    return false;
  }
  return GOOGLE_DOMAINS.some((d) => host === d || host.endsWith('.' + d)) || GOOGLE_COUNTRY_HOST.test(host);
}

/**
 * Google's country domains (www.google.de, google.co.uk, google.com.au, google.cat): Google's own
 * tags send to them (analytics.js sends remarketing hits to 'https://www.google.%/ads/ga-audiences'
 * with '%' a country domain such as 'de' or 'co.uk'), and gtm.js builds recognise a Google host with
 * `/^(www\.)?google(\.com?)?(\.[a-z]{2}t?)?$/`. The same shape, after any subdomain.
 */
const GOOGLE_COUNTRY_HOST = /(^|\.)google(\.com?)?\.[a-z]{2}t?$/;

/** The URL components getUrl reads and get_url guards (Google's API and permissions references). */
export const URL_COMPONENTS: readonly string[] = [
  'protocol',
  'host',
  'port',
  'path',
  'query',
  'extension',
  'fragment',
];
/** The referrer's components: Google's permissions reference lists no fragment for get_referrer. */
const REFERRER_COMPONENTS = URL_COMPONENTS.filter((c) => c !== 'fragment');

/**
 * get_url and get_referrer, as published gtm.js builds assert get_url (find_string ids 12496382909,
 * page at offset 236000, and 7265489007, page at offset 161343; quoted in docs/runtime.md,
 * "Permissions"): with URL parts "any" every component and query key may be read. Otherwise only
 * the components whose boolean is true, never the whole URL ("Prohibited from getting entire URL
 * when components are specified"), and, unless queries are "any", only the listed query keys and
 * never the whole query. A component or query key that is not a string is refused; an empty one
 * asks for the whole URL or query. An entry without `urlParts` allows every part (Google's
 * permissions reference: "If no value is set, the default is all").
 */
function urlPartsRule(components: readonly string[]) {
  return (params: PermissionParams, args: unknown[]): string | undefined => {
    const [component, queryKey] = args;
    const specific = params.urlParts !== undefined && params.urlParts !== 'any';
    if (!component)
      return specific ? 'reading the whole URL is not allowed with URL parts "specific"' : undefined;
    if (typeof component !== 'string') return 'the URL component is not a string';
    if (!specific) return undefined;
    if (!components.includes(component)) return `'${component}' is not a URL component`;
    if (params[component] !== true) return `the URL component '${component}' is not allowed`;
    if (component !== 'query' || params.queriesAllowed === 'any') return undefined;
    if (!queryKey) return 'reading the whole query is not allowed with query keys "specific"';
    if (typeof queryKey !== 'string') return 'the query key is not a string';
    const keys = list(params.queryKeys);
    return keys.includes(queryKey) ? undefined : `the query key '${queryKey}' is not allowed`;
  };
}

/** The parts of the incoming request `read_request` guards. */
export const REQUEST_PARTS = [
  'body',
  'header',
  'method',
  'path',
  'query_parameter',
  'query_string',
  'remote_address',
] as const;

function readRequestRule(params: PermissionParams, [part, name]: unknown[]): string | undefined {
  if (!(REQUEST_PARTS as readonly unknown[]).includes(part)) return `unknown request part '${String(part)}'`;
  if (params.requestAccess === 'any') return undefined;
  switch (part) {
    case 'body':
      return params.bodyAllowed === true ? undefined : 'reading the request body is not allowed';
    case 'path':
      return params.pathAllowed === true ? undefined : 'reading the request path is not allowed';
    case 'remote_address':
      return params.remoteAddressAllowed === true ? undefined : 'reading the remote address is not allowed';
    case 'method':
      // The permission has no switch for the method: any read_request grant covers it.
      return undefined;
    case 'header': {
      if (params.headersAllowed !== true) return 'reading request headers is not allowed';
      if (params.headerAccess === 'any') return undefined;
      const names = maps(params.headerWhitelist).map((h) => String(h.headerName ?? '').toLowerCase());
      return names.includes(String(name).toLowerCase())
        ? undefined
        : `the header '${String(name)}' is not listed`;
    }
    case 'query_string':
    case 'query_parameter': {
      if (params.queryParametersAllowed !== true) return 'reading query parameters is not allowed';
      if (params.queryParameterAccess === 'any') return undefined;
      if (part === 'query_string' || name === undefined)
        return 'reading all query parameters needs "Query parameters: any"';
      const names = maps(params.queryParameterWhitelist).map((q) => String(q.queryParameter ?? ''));
      return names.includes(String(name)) ? undefined : `the query parameter '${String(name)}' is not listed`;
    }
  }
  return undefined;
}

/** The headers `setPixelResponse` sets (Google's server API reference), besides status and body. */
export const PIXEL_RESPONSE_HEADERS = ['Content-Type', 'Cache-Control', 'Expires', 'Pragma'] as const;

function accessResponseRule(params: PermissionParams, [part, name]: unknown[]): string | undefined {
  if (params.writeResponseAccess === 'any') return undefined;
  switch (part) {
    case undefined: {
      // No part: the whole response, as setPixelResponse writes it (status, body and its headers).
      const asks: unknown[][] = [['status'], ['body'], ...PIXEL_RESPONSE_HEADERS.map((h) => ['header', h])];
      for (const ask of asks) {
        const why = accessResponseRule(params, ask);
        if (why) return why;
      }
      return undefined;
    }
    case 'status':
      return params.writeStatusAllowed === true ? undefined : 'setting the response status is not allowed';
    case 'body':
      return params.writeBodyAllowed === true ? undefined : 'setting the response body is not allowed';
    case 'header': {
      if (params.writeHeadersAllowed !== true) return 'setting response headers is not allowed';
      if (params.writeHeaderAccess === 'any') return undefined;
      const names = maps(params.writeHeaderWhitelist).map((h) => String(h.headerName ?? '').toLowerCase());
      return names.includes(String(name).toLowerCase())
        ? undefined
        : `the response header '${String(name)}' is not listed`;
    }
    default:
      return `unknown response part '${String(part)}'`;
  }
}

/** Event data key paths: a pattern covers the key itself and, ending in `.*`, everything below. */
function readEventDataRule(params: PermissionParams, [keyPath]: unknown[]): string | undefined {
  if (params.eventDataAccess === 'any') return undefined;
  if (keyPath === undefined) return 'reading all event data needs "Event data access: any"';
  const key = String(keyPath);
  const patterns = list(params.keyPatterns).map(String);
  return patterns.some((p) => keyPatternMatches(p, key) || (!p.includes('*') && key.startsWith(p + '.')))
    ? undefined
    : `the event data key '${key}' is not listed`;
}

function operationCovers(declared: PlainValue | undefined, wanted: string): boolean {
  const op = String(declared ?? '');
  return op === wanted || op === 'read_write' || op === 'any' || op === '*';
}

function idMatches(pattern: PlainValue | undefined, value: unknown): boolean {
  if (pattern === undefined || pattern === '' || pattern === '*') return true;
  return globMatch(String(pattern), String(value ?? ''));
}

/**
 * A project ID pattern. Google's server permissions reference (access_bigquery, access_firestore):
 * "Setting a project ID configuration of GOOGLE_CLOUD_PROJECT will allow using the
 * GOOGLE_CLOUD_PROJECT environment variable as the project ID when projectId is excluded".
 */
function projectMatches(pattern: PlainValue | undefined, projectId: unknown): boolean {
  if (projectId === undefined || projectId === null) {
    return pattern === undefined || pattern === '' || pattern === '*' || pattern === 'GOOGLE_CLOUD_PROJECT';
  }
  return idMatches(pattern, projectId);
}

/**
 * `queryPermission('access_bigquery', operation, options)` takes the table as one object
 * (`{ projectId, datasetId, tableId }`, Google's server permissions reference), and so does
 * access_firestore's (`{ projectId, path, databaseId }`); the sandbox and the checker ask with the
 * fields as separate arguments. Both read the same.
 */
function spread(args: unknown[], fields: readonly string[]): unknown[] {
  const [operation, options] = args;
  if (args.length !== 2 || !options || typeof options !== 'object' || Array.isArray(options)) return args;
  const o = options as Record<string, unknown>;
  return [operation, ...fields.map((f) => o[f])];
}

const sendHttpUrls = urlRule('send_http');

export const PERMISSION_RULES: Readonly<Record<string, PermissionRule>> = {
  access_globals(params, [mode, key]) {
    const wanted = modes(mode);
    if (!wanted) return `unknown access mode '${String(mode)}'`;
    const entry = maps(params.keys).find((k) => k.key === key);
    if (!entry) return `the key '${String(key)}' is not listed`;
    const missing = wanted.filter((m) => entry[m] !== true);
    return missing.length ? `the key '${String(key)}' lacks ${missing.join(' and ')} access` : undefined;
  },
  inject_script: urlRule('inject_script'),
  inject_hidden_iframe: urlRule('inject_hidden_iframe'),
  send_pixel: urlRule('send_pixel'),
  send_pixel_from_browser: urlRule('send_pixel_from_browser'),
  send_http(params, args) {
    if (params.allowGoogleDomains === true && typeof args[0] === 'string' && isGoogleDomainUrl(args[0]))
      return undefined;
    return sendHttpUrls(params, args);
  },
  get_url: urlPartsRule(URL_COMPONENTS),
  get_referrer: urlPartsRule(REFERRER_COMPONENTS),
  get_cookies(params, [name]) {
    if (params.cookieAccess === 'any') return undefined;
    const names = list(params.cookieNames).map(String);
    return names.some((n) => globMatch(n, String(name)))
      ? undefined
      : `the cookie '${String(name)}' is not listed`;
  },
  set_cookies(params, [name, options]) {
    const opts = (options && typeof options === 'object' ? options : {}) as Record<string, unknown>;
    const ok = maps(params.allowedCookies).some((c) => {
      if (!globMatch(String(c.name ?? ''), String(name))) return false;
      const domain =
        c.domain === undefined || c.domain === '*' || c.domain === 'any' ? '*' : String(c.domain);
      if (opts.domain !== undefined && opts.domain !== 'auto' && !globMatch(domain, String(opts.domain)))
        return false;
      const path = c.path === undefined || c.path === 'any' ? '*' : String(c.path);
      if (opts.path !== undefined && !globMatch(path, String(opts.path))) return false;
      if (c.secure === 'secure' && opts.secure !== true) return false;
      // "restrictions on name, domain, path, secure attribute, and expiration" (Google's
      // permissions reference): "session" allows only cookies without an expiry, "non_session"
      // only cookies with one (`max-age` or `expires`).
      const persistent = opts['max-age'] !== undefined || opts.expires !== undefined;
      if (c.session === 'session' && persistent) return false;
      if (c.session === 'non_session' && !persistent) return false;
      return true;
    });
    return ok ? undefined : `the cookie '${String(name)}' with these options is not listed`;
  },
  read_data_layer(params, [key]) {
    if (params.allowedKeys === 'any') return undefined;
    return dataLayerKeyDenial(list(params.keyPatterns).map(String), key);
  },
  write_data_layer(params, [key]) {
    return dataLayerKeyDenial(list(params.keyPatterns).map(String), key);
  },
  access_local_storage(params, [mode, key]) {
    const wanted = modes(mode);
    if (!wanted || wanted.includes('execute')) return `unknown access mode '${String(mode)}'`;
    const entry = maps(params.keys).find((k) => k.key === key);
    if (!entry) return `the key '${String(key)}' is not listed`;
    const missing = wanted.filter((m) => entry[m] !== true);
    return missing.length ? `the key '${String(key)}' lacks ${missing.join(' and ')} access` : undefined;
  },
  access_consent(params, [consentType, mode]) {
    const wanted = modes(mode);
    if (!wanted || wanted.includes('execute')) return `unknown access mode '${String(mode)}'`;
    const entry = maps(params.consentTypes).find((k) => k.consentType === consentType);
    if (!entry) return `the consent type '${String(consentType)}' is not listed`;
    const missing = wanted.filter((m) => entry[m] !== true);
    return missing.length
      ? `the consent type '${String(consentType)}' lacks ${missing.join(' and ')} access`
      : undefined;
  },
  read_request: readRequestRule,
  access_response: accessResponseRule,
  read_event_data: readEventDataRule,
  access_bigquery(params, args) {
    const [operation, projectId, datasetId, tableId] = spread(args, ['projectId', 'datasetId', 'tableId']);
    const ok = maps(params.allowedTables).some(
      (t) =>
        operationCovers(t.operation, String(operation)) &&
        projectMatches(t.projectId, projectId) &&
        idMatches(t.datasetId, datasetId) &&
        idMatches(t.tableId, tableId),
    );
    return ok
      ? undefined
      : `the table ${String(projectId ?? '(default project)')}.${String(datasetId)}.${String(tableId)} is not listed for ${String(operation)}`;
  },
  access_firestore(params, args) {
    const [operation, projectId, path, databaseId] = spread(args, ['projectId', 'path', 'databaseId']);
    const ok = maps(params.allowedOptions).some(
      (o) =>
        operationCovers(o.operation, String(operation)) &&
        projectMatches(o.projectId, projectId) &&
        idMatches(o.path, path) &&
        (o.databaseId === undefined || databaseId === undefined || idMatches(o.databaseId, databaseId)),
    );
    return ok ? undefined : `the document path '${String(path)}' is not listed for ${String(operation)}`;
  },
  use_google_credentials(params, [scopes]) {
    const allowed = list(params.allowedScopes).map(String);
    const wanted = Array.isArray(scopes) ? scopes.map(String) : [String(scopes)];
    const missing = wanted.filter((s) => !allowed.includes(s));
    return missing.length ? `the OAuth scope(s) ${missing.join(', ')} are not listed` : undefined;
  },
  use_message(params, [messageType, action]) {
    if (params.allowedActions === 'any') return undefined;
    const ok = maps(params.messageTypes).some(
      (m) =>
        globMatch(String(m.type ?? ''), String(messageType)) &&
        (m.action === action || m.action === 'listen_and_send' || m.action === 'any'),
    );
    return ok ? undefined : `the message type '${String(messageType)}' is not listed for ${String(action)}`;
  },
  use_custom_private_keys(params, [keyId]) {
    // The parameter's name is not in any template we have seen; without a list, nothing is denied.
    if (!Array.isArray(params.keyIds)) return undefined;
    const ids = list(params.keyIds).map(String);
    return ids.includes(String(keyId)) ? undefined : `the key id '${String(keyId)}' is not listed`;
  },
};

/** Why `params` of permission `id` deny a call with `args`, or `undefined` when they allow it. */
export function permissionDenial(id: string, params: PermissionParams, args: unknown[]): string | undefined {
  const rule = Object.prototype.hasOwnProperty.call(PERMISSION_RULES, id) ? PERMISSION_RULES[id] : undefined;
  return rule ? rule(params, args) : undefined;
}

// Permissions GTM adds itself. GTM detects the permissions a template needs from the APIs its code
// requires, "as edits are made in the custom template editor … and when code is compiled"
// (Google's permissions reference). A permission the file does not declare is therefore added when
// GTM imports or saves the file, with GTM's own default configuration, and calls are checked
// against that. The defaults below are the ones real exports show for entries GTM added itself
// (no `clientAnnotations.isEditedByUser`): 54 `logging` entries with environments "debug";
// `get_url` and `get_referrer` with URL parts and queries "any"; `send_http` with allowedUrls
// "specific" and no URLs; `access_globals`, `inject_script` and `access_consent` with
// `"param": []`. Permissions not listed get no parameters, which allows nothing that needs one.
// `access_response` is added as writeResponseAccess "any" with writeHeaderAccess "specific": the
// entry an export of a generated server client shows without an edit mark, and the pair 5 of the
// 8 corpus entries (and 8 of the 10 the code search finds) keep, as the permission form saves it
// while "Response access" stays on its first choice (docs/diagnostics.md, "Permissions GTM adds
// itself").

const GTM_DEFAULT_PARAMS: Readonly<Record<string, Readonly<PermissionParams>>> = {
  logging: { environments: 'debug' },
  get_url: { urlParts: 'any', queriesAllowed: 'any' },
  get_referrer: { urlParts: 'any', queriesAllowed: 'any' },
  send_http: { allowedUrls: 'specific' },
  send_pixel: { allowedUrls: 'specific' },
  access_response: { writeResponseAccess: 'any', writeHeaderAccess: 'specific' },
};

/**
 * Permissions whose configuration, when GTM adds them itself, exports show: the defaults above,
 * and those GTM writes with `"param": []` (access_globals, inject_script and access_consent
 * entries without an edit mark). For any other permission the default is not known, so what "no
 * parameters" would deny is a guess, not a known failure (the checker warns instead of erring).
 */
const GTM_DEFAULTS_SEEN: ReadonlySet<string> = new Set([
  ...Object.keys(GTM_DEFAULT_PARAMS),
  'access_globals',
  'inject_script',
  'access_consent',
]);

/** Whether exports show the configuration GTM gives permission `id` when it adds it itself. */
export function isGtmDefaultKnown(id: string): boolean {
  return GTM_DEFAULTS_SEEN.has(id);
}

/** The parameters GTM gives permission `id` when it adds the permission itself. */
export function gtmDefaultParams(id: string): PermissionParams {
  return { ...(Object.prototype.hasOwnProperty.call(GTM_DEFAULT_PARAMS, id) ? GTM_DEFAULT_PARAMS[id] : {}) };
}

/** The default configuration in words, for messages ("environments: \"debug\""). */
export function describeGtmDefault(id: string): string {
  const params = gtmDefaultParams(id);
  const keys = Object.keys(params);
  if (keys.length === 0) return 'no parameters';
  return keys.map((k) => `${k}: ${JSON.stringify(params[k])}`).join(', ');
}
