// Code against permissions: every API the code requires has its permission; the constant
// arguments of calls (global keys, URLs, cookie names, request headers, event data keys, consent
// types, …) are allowed by the declared configuration; a permission no required API needs is
// reported as unused. What a permission allows is decided by the one table the sandbox enforces
// (src/gtm/permissions.ts); this module only says which question each call asks.
//
// access_globals flags per API (Google's permission docs plus Simo Ahava's guide): callInWindow
// needs execute; copyFromWindow read; setInWindow read and write (gtm.js asks `readwrite` on the
// key: docs/runtime.md, "setInWindow asks for read and write"); createQueue read and write; createArgumentsQueue read and write on both keys; aliasInWindow write on the target
// and read on the source. Keys match exactly: `fbq` does not cover `fbq.queue`.
//
// A call the permissions deny fails when it runs, so it is an error, unless the code asks
// `queryPermission` about that permission: then it may well never make the call it cannot.

import { apiInfo, SANDBOX_APIS } from '../gtm/apis.js';
import {
  describeGtmDefault,
  globMatch,
  gtmDefaultParams,
  isGtmDefaultKnown,
  isGoogleDomainUrl,
  isWebUrlPermission,
  permissionDenial,
  type PermissionParams,
  URL_COMPONENTS,
  urlPatternsAllow,
} from '../gtm/permissions.js';
import { permissionId, permissionParams, type PlainValue } from '../gtm/typed-value.js';
import { hasUrlScheme, prefixCanMatchUrlPattern } from '../gtm/url-pattern.js';
import { askArguments, serverApiAccess } from '../gtm/api-access.js';
import type { ApiCall, ApiUsage, ArgValue, StaticValue } from '../js/api-usage.js';
import { permissionsSectionName, type Permission, type Template } from '../tpl/model.js';
import { isPlainObject, type Reporter } from './locate.js';

/** Permissions some API needs; others (e.g. only queried with queryPermission) are never called unused. */
const PERMISSIONS_OF_APIS: ReadonlySet<string> = new Set(
  Object.values(SANDBOX_APIS).flatMap((a) => (a.permission ? [a.permission] : [])),
);

/** One question a call asks its permission, in `queryPermission`'s terms, with the arguments it names. */
interface Question {
  permission: string;
  args: unknown[];
  /** What the call touches, for the message: "the global 'fbq'", "the request header 'origin'". */
  what: string;
}

const str = (a: ArgValue | undefined): string | undefined => (a?.kind === 'string' ? a.value : undefined);

/** The access_globals questions of the window APIs: [argument, mode]. */
const GLOBAL_ARGS: Record<string, [number, 'read' | 'write' | 'readwrite' | 'execute'][]> = {
  callInWindow: [[0, 'execute']],
  copyFromWindow: [[0, 'read']],
  setInWindow: [[0, 'readwrite']],
  createQueue: [[0, 'readwrite']],
  createArgumentsQueue: [
    [0, 'readwrite'],
    [1, 'readwrite'],
  ],
  aliasInWindow: [
    [0, 'write'],
    [1, 'read'],
  ],
};

const LOCAL_STORAGE_MODES: Record<string, 'read' | 'write'> = {
  getItem: 'read',
  setItem: 'write',
  removeItem: 'write',
};

/** The name of an object literal's own, non-computed key (`a` or `'a'`); undefined otherwise. */
function ownKeyName(p: {
  computed: boolean;
  key: { type: string; name?: string; value?: unknown };
}): string | undefined {
  if (p.computed) return undefined;
  if (p.key.type === 'Identifier') return p.key.name;
  return p.key.type === 'Literal' ? String(p.key.value) : undefined;
}

/**
 * The questions a web API call asks whose answer its constant arguments decide; none when an
 * argument that matters is not constant. URL APIs are handled apart (a constant prefix is enough
 * there). Server APIs ask what src/gtm/api-access.ts says (`serverQuestions`).
 */
function webQuestions(call: ApiCall): Question[] {
  const [a0] = call.args;
  const globals = GLOBAL_ARGS[call.api];
  if (globals && !call.method) {
    return globals.flatMap(([i, mode]) => {
      const key = str(call.args[i]);
      return key === undefined
        ? []
        : [{ permission: 'access_globals', args: [mode, key], what: `the global '${key}'` }];
    });
  }
  const one = (permission: string, args: unknown[], what: string): Question[] => [{ permission, args, what }];
  switch (call.api) {
    case 'getCookieValues':
      return str(a0) === undefined ? [] : one('get_cookies', [str(a0)], `the cookie '${str(a0)}'`);
    case 'copyFromDataLayer':
      return str(a0) === undefined
        ? []
        : one('read_data_layer', [str(a0)], `the data layer key '${str(a0)}'`);
    case 'gtagSet': {
      // gtagSet('key', value) asks write_data_layer about 'key' when the value is a literal; an
      // object value would be asked about its flattened keys ('key.sub'), so only literals count.
      // The object form gtagSet({key: literal, ...}) asks the same about each such own key.
      type Arg = (typeof call.node.arguments)[number] | undefined;
      const isLiteral = (v: Arg) => v?.type === 'Literal' && !('regex' in v && v.regex);
      const first = call.node.arguments[0];
      if (first?.type === 'ObjectExpression') {
        return first.properties.flatMap((p): Question[] => {
          const key = p.type === 'Property' && isLiteral(p.value as Arg) ? ownKeyName(p) : undefined;
          return key === undefined ? [] : one('write_data_layer', [key], `the data layer key '${key}'`);
        });
      }
      return str(a0) === undefined || !isLiteral(call.node.arguments[1])
        ? []
        : one('write_data_layer', [str(a0)], `the data layer key '${str(a0)}'`);
    }
    case 'setDefaultConsentState':
    case 'updateConsentState': {
      // Each consent type the settings name is written (as the sandbox asks); `region` and
      // `wait_for_update` are settings, not consent types. Only an object literal's own keys count.
      const settings = call.node.arguments[0];
      if (settings?.type !== 'ObjectExpression') return [];
      return settings.properties.flatMap((p): Question[] => {
        const type = p.type === 'Property' ? ownKeyName(p) : undefined;
        if (type === undefined || type === 'region' || type === 'wait_for_update') return [];
        return [{ permission: 'access_consent', args: [type, 'write'], what: `the consent type '${type}'` }];
      });
    }
    case 'isConsentGranted':
    case 'addConsentListener':
      return str(a0) === undefined
        ? []
        : one('access_consent', [str(a0), 'read'], `the consent type '${str(a0)}'`);
    case 'getQueryParameters':
      return str(a0) === undefined ? [] : one('get_url', ['query', str(a0)], `the query key '${str(a0)}'`);
    case 'getReferrerQueryParameters':
      return str(a0) === undefined
        ? []
        : one('get_referrer', ['query', str(a0)], `the query key '${str(a0)}'`);
    case 'localStorage': {
      const mode = call.method ? LOCAL_STORAGE_MODES[call.method] : undefined;
      return mode && str(a0) !== undefined
        ? one('access_local_storage', [mode, str(a0)], `the local storage key '${str(a0)}'`)
        : [];
    }
    case 'getUrl':
    case 'getReferrerUrl': {
      // No component: the whole URL. A component GTM reads only with that part allowed.
      const permission = call.api === 'getUrl' ? 'get_url' : 'get_referrer';
      // What is not a component reads the whole URL, as the sandbox asks it.
      if (call.args.length === 0) return one(permission, [], 'the whole URL');
      const component = str(a0);
      if (component === undefined) return [];
      return URL_COMPONENTS.includes(component)
        ? one(permission, [component], `the URL component '${component}'`)
        : one(permission, [], 'the whole URL');
    }
    default:
      return [];
  }
}

/** A query argument nothing constant decides. */
const UNKNOWN = Symbol('unknown');

/** A static value as the plain value a permission rule reads, or UNKNOWN. */
function plain(v: StaticValue): unknown {
  switch (v.kind) {
    case 'string':
      return v.value;
    case 'constant':
      return v.value;
    case 'array': {
      const items = v.items.map(plain);
      return v.complete && !items.includes(UNKNOWN) ? items : UNKNOWN;
    }
    case 'object': {
      if (!v.complete) return UNKNOWN;
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(v.props)) {
        const value = plain(p);
        if (value === UNKNOWN) return UNKNOWN;
        out[k] = value;
      }
      return out;
    }
    default:
      return UNKNOWN;
  }
}

/** The questions a server API call asks (src/gtm/api-access.ts), with the arguments resolved. */
function serverQuestions(call: ApiCall, usage: ApiUsage): { q: Question; known: boolean }[] {
  return serverApiAccess(call.api, call.method).map((access) => {
    // An argument not passed (or a property a complete literal leaves out): the rule sees it absent.
    const args = askArguments(access, call, usage).map((k) => (k.kind === 'absent' ? undefined : plain(k)));
    const known = !args.includes(UNKNOWN);
    return { q: { permission: access.permission, args, what: describeAsk(access.permission, args) }, known };
  });
}

/** What a server question touches, in words. */
function describeAsk(permission: string, args: unknown[]): string {
  const [a0, a1] = args;
  const name = (v: unknown) => (typeof v === 'string' ? ` '${v}'` : '');
  switch (permission) {
    case 'read_event_data':
      return a0 === undefined ? 'all of the event data' : `the event data key${name(a0)}`;
    case 'read_request':
      return `the request ${String(a0).replace('_', ' ')}${name(a1)}`;
    case 'access_response':
      return a0 === undefined ? 'the whole response' : `the response ${String(a0)}${name(a1)}`;
    case 'get_cookies':
    case 'set_cookies':
      return `the cookie${name(a0)}`;
    case 'use_message':
      return `the message type${name(a0)}`;
    default:
      return `what it asks of "${permission}"`;
  }
}

/** setCookie: only the name is judged (its options are rarely constant, and narrow the match). */
function cookieNameDenial(params: PermissionParams, name: string): string | undefined {
  const allowed = Array.isArray(params.allowedCookies) ? params.allowedCookies : [];
  return allowed.some((c) => isPlainObject(c) && globMatch(String(c.name ?? ''), name))
    ? undefined
    : `the cookie '${name}' is not listed`;
}

/** Permissions whose URL is judged by the URL check below (a constant prefix decides there). */
const URL_PERMISSIONS: ReadonlySet<string> = new Set([
  'inject_script',
  'send_pixel',
  'inject_hidden_iframe',
  'send_http',
  'send_pixel_from_browser',
]);

/** The URL permission each URL API needs (its first argument is the URL). */
const URL_APIS: Record<string, string> = {
  injectScript: 'inject_script',
  sendPixel: 'send_pixel',
  injectHiddenIframe: 'inject_hidden_iframe',
  sendHttpRequest: 'send_http',
  sendHttpGet: 'send_http',
  sendPixelFromBrowser: 'send_pixel_from_browser',
};

/**
 * Whether some URL starting with `prefix` could be allowed by `pattern`. gtm.js drops a final `/*`
 * before it walks a web pattern, so `https://host/lib/*` also allows `https://host/library.js`: the
 * question is asked of that reading too (src/gtm/url-pattern.ts).
 */
function prefixCanMatch(id: string, pattern: string, prefix: string): boolean {
  if (prefixCanMatchUrlPattern(pattern, prefix)) return true;
  return isWebUrlPermission(id) && pattern.endsWith('/*')
    ? prefixCanMatchUrlPattern(pattern.slice(0, -2) + '*', prefix)
    : false;
}

export function checkCodePermissions(template: Template, usage: ApiUsage, r: Reporter): void {
  const CODE = r.locate.codeSection();
  const PERMS = permissionsSectionName(template.context);
  const inCode = (line: number, column: number) => r.locate.inSection(CODE, line, column);
  // A permissions section that is there but unreadable (bad JSON, not an array) has its own
  // finding; comparing the code with it would only add wrong ones.
  const declared = r.locate.section(PERMS) !== undefined || template.permissions !== undefined;
  if (declared && !Array.isArray(template.permissions)) return;
  const permissions = Array.isArray(template.permissions) ? (template.permissions as unknown[]) : [];
  const byId = new Map<string, { permission: Permission; index: number }>();
  /** Permissions declared with a malformed entry (reported by the permissions step): not judged. */
  const unreadable = r.malformedPermissions;
  permissions.forEach((p, index) => {
    const id = isPlainObject(p) ? permissionId(p as Permission) : undefined;
    if (id && !byId.has(id)) byId.set(id, { permission: p as Permission, index });
  });
  // A permission the code needs but the file lacks is added by GTM on import or save, with GTM's
  // default configuration; calls are then checked against that (src/gtm/permissions.ts).
  const paramsCache = new Map<string, Record<string, PlainValue>>();
  const paramsOf = (id: string): Record<string, PlainValue> => {
    let params = paramsCache.get(id);
    if (!params) {
      const found = byId.get(id);
      params = found ? permissionParams(found.permission) : gtmDefaultParams(id);
      paramsCache.set(id, params);
    }
    return params;
  };
  /** A note for a denial by a permission the file lacks: GTM's default decided it. */
  const undeclared = (id: string): string[] =>
    byId.has(id)
      ? []
      : [
          `___${PERMS}___ does not declare "${id}"; GTM adds it on import with its default configuration (${describeGtmDefault(id)}), which does not allow this.`,
        ];
  const inContext = (api: string) => apiInfo(api)?.contexts.includes(template.context) ?? false;
  // Permissions the code asks about: a call may be guarded by the answer, so denials are not judged.
  const queried = new Set(
    usage.calls
      .filter((c) => c.api === 'queryPermission')
      .flatMap((c) => (str(c.args[0]) ? [str(c.args[0])!] : [])),
  );
  const judged = (id: string) => !unreadable.has(id) && !queried.has(id);

  // 1. Every required API's permission is declared.
  const needed = new Set<string>();
  const reportedMissing = new Set<string>();
  for (const req of usage.requires) {
    const info = apiInfo(req.api);
    if (!info?.permission || !info.contexts.includes(template.context)) continue;
    needed.add(info.permission);
    if (byId.has(info.permission) || reportedMissing.has(info.permission)) continue;
    reportedMissing.add(info.permission);
    r.warning(
      'code-permissions/missing-permission',
      `The code requires '${req.api}', which needs the "${info.permission}" permission, but ___${PERMS}___ does not declare it; GTM adds it when it imports or saves the template, with its default configuration (${describeGtmDefault(info.permission)}).`,
      CODE,
      inCode(req.line, req.column),
      [
        "Declare it in the template editor's Permissions tab, so the file says what access the template gets.",
      ],
    );
  }

  // 2. Constant arguments are allowed by the permission's configuration.
  for (const call of usage.calls) {
    if (!inContext(call.api)) continue;
    const questions =
      template.context === 'SERVER'
        ? serverQuestions(call, usage).filter(({ q }) => !URL_PERMISSIONS.has(q.permission))
        : webQuestions(call).map((q) => ({ q, known: true }));
    for (const { q, known } of questions) {
      if (!judged(q.permission)) continue;
      let why: string | undefined;
      if (known) why = permissionDenial(q.permission, paramsOf(q.permission), q.args);
      else if (q.permission === 'set_cookies' && typeof q.args[0] === 'string')
        why = cookieNameDenial(paramsOf('set_cookies'), q.args[0]); // options not constant: the name alone
      if (why) denied(call, q, why);
    }
    if (template.context === 'WEB' && call.api === 'setCookie' && !call.method && judged('set_cookies')) {
      // The web table asks the name only (options are rarely constant, and narrow the match).
      const name = str(call.args[0]);
      const why = name === undefined ? undefined : cookieNameDenial(paramsOf('set_cookies'), name);
      if (why) denied(call, { permission: 'set_cookies', args: [name], what: `the cookie '${name}'` }, why);
    }
  }

  function denied(call: ApiCall, q: Question, why: string): void {
    if (q.permission === 'access_globals') {
      const [mode, key] = q.args as [string, string];
      const flags = mode === 'readwrite' ? ['read', 'write'] : [mode];
      r.error(
        'code-permissions/global-not-allowed',
        `${call.api}('${key}') needs ${flags.join(' and ')} access to the global '${key}', but the "access_globals" permission does not grant it (${why}).`,
        CODE,
        inCode(call.line, call.column),
        [
          ...undeclared('access_globals'),
          `Add the key '${key}' with ${flags.join(' + ')} ticked to access_globals.`,
        ],
      );
      return;
    }
    const uses = `${call.api}${call.method ? `.${call.method}` : ''} uses ${q.what}`;
    if (unknownDefault(q.permission)) {
      mayBeDenied(call, q.permission, uses, why);
      return;
    }
    r.error(
      'code-permissions/argument-not-allowed',
      `${uses}, which the "${q.permission}" permission does not allow (${why}); the call fails when it runs.`,
      CODE,
      inCode(call.line, call.column),
      [...undeclared(q.permission), `Allow it in the "${q.permission}" permission, or do not make the call.`],
    );
  }

  /** An undeclared permission whose GTM-added configuration no export shows. */
  function unknownDefault(id: string): boolean {
    return !byId.has(id) && !isGtmDefaultKnown(id);
  }

  /**
   * A call that "no parameters" would deny, by a permission the file lacks and whose configuration
   * when GTM adds it is not known: whether it fails depends on that default, so it is a warning.
   */
  function mayBeDenied(call: ApiCall, id: string, what: string, why: string): void {
    r.warning(
      'code-permissions/unknown-default',
      `${what}; ___${PERMS}___ does not declare "${id}", which GTM adds on import with a default configuration no export shows. With no parameters it would not allow this (${why}), and the call would fail when it runs.`,
      CODE,
      inCode(call.line, call.column),
      [`Declare "${id}" in the Permissions tab and allow what the call needs.`],
    );
  }

  // 3. Constant URLs (or their constant start) match a declared pattern.
  for (const call of usage.calls) {
    const id = URL_APIS[call.api];
    if (!id || call.method || !inContext(call.api) || !judged(id)) continue;
    const params = paramsOf(id);
    if (params.allowedUrls === 'any') continue;
    const arg: ArgValue | undefined = call.args[0];
    if (!arg || arg.kind === 'other') continue;
    if (id === 'send_http' && params.allowGoogleDomains === true) {
      const url = arg.kind === 'string' ? arg.value : arg.prefix;
      // A prefix decides it only once its host is complete.
      if (isGoogleDomainUrl(url) && (arg.kind === 'string' || /^https?:\/\/[^/?#]+[/?#]/.test(url))) continue;
    }
    const patterns = Array.isArray(params.urls)
      ? (params.urls as PlainValue[]).filter((p): p is string => typeof p === 'string')
      : [];
    // A web URL without a scheme resolves against the page when the call runs (resolveOnPage):
    // `//host/…` is judged as on an https page (GTM's Tests tab, and the sites tags run on), and a
    // path alone is on the page's own host, which the checker does not know.
    let url = arg.kind === 'string' ? arg.value : arg.prefix;
    if (isWebUrlPermission(id) && url !== '' && !hasUrlScheme(url)) {
      if (!url.startsWith('//')) continue;
      url = 'https:' + url;
    }
    // A whole URL is judged as the permission judges it when the call runs; a URL whose start
    // alone is known, by the wider reading that allows at least as much (src/gtm/url-pattern.ts).
    const ok =
      arg.kind === 'string'
        ? urlPatternsAllow(id, patterns, url)
        : patterns.some((p) => prefixCanMatch(id, p, url));
    if (ok) continue;
    const shown = arg.kind === 'string' ? `'${arg.value}'` : `a URL starting with '${arg.prefix}'`;
    if (unknownDefault(id)) {
      mayBeDenied(call, id, `${call.api} loads ${shown}`, 'no URL pattern is declared');
      continue;
    }
    r.error(
      'code-permissions/url-not-allowed',
      `${call.api} loads ${shown}, which no URL pattern of the "${id}" permission allows.`,
      CODE,
      inCode(call.line, call.column),
      [
        ...undeclared(id),
        patterns.length
          ? `Declared patterns: ${patterns.join(', ')}.`
          : 'The permission declares no URL patterns.',
      ],
    );
  }

  // 4. Permissions nothing needs. Skipped when a dynamic require() hides what the code uses. A
  // permission the code asks about with queryPermission is used: the answer depends on it.
  if (usage.dynamicRequires.length > 0) return;
  for (const [id, { index }] of byId) {
    if (needed.has(id) || queried.has(id) || !PERMISSIONS_OF_APIS.has(id)) continue;
    r.warning(
      'code-permissions/unused-permission',
      id === 'logging'
        ? 'The "logging" permission is declared but the code never requires logToConsole.'
        : `The "${id}" permission is declared but no API the code requires needs it; templates should ask for the least access they use.`,
      PERMS,
      r.locate.json(PERMS, [index, 'instance', 'key', 'publicId']),
    );
  }
}
