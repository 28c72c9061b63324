// Permission enforcement, GTM-style: every API call that touches the page asks the template's
// declared permissions (`___WEB_PERMISSIONS___`) first; a denied call throws an error naming the
// permission and the argument, and the run fails. `queryPermission` asks the same questions.
//
// Query arguments follow Google's permissions reference (the same ones `queryPermission` takes):
//   access_globals: (mode 'read'|'write'|'readwrite'|'execute', key)
//   inject_script / send_pixel / inject_hidden_iframe: (url)
//   get_url / get_referrer: (component?, queryKey?)
//   get_cookies: (name)    set_cookies: (name, options?)
//   read_data_layer / write_data_layer: (key)
//   access_local_storage: (mode 'read'|'write'|'readwrite', key)
//   access_consent: (consentType, mode 'read'|'write'|'readwrite')
//   others (logging, read_title, read_event_metadata, ...): ()

import type { Permission } from '../tpl/model.js';
import { permissionId, permissionParams, type PlainValue } from '../gtm/typed-value.js';
import { matchesUrlPattern } from '../gtm/url-pattern.js';

type Params = Record<string, PlainValue>;

/** `undefined` when allowed, otherwise why not (for the error message). */
type Checker = (params: Params, args: unknown[]) => string | undefined;

function list(value: PlainValue | undefined): PlainValue[] {
  return Array.isArray(value) ? value : [];
}

function maps(value: PlainValue | undefined): Record<string, PlainValue>[] {
  return list(value).filter(
    (v): v is Record<string, PlainValue> => !!v && typeof v === 'object' && !Array.isArray(v),
  );
}

/** `*` matches any run of characters; everything else is literal. */
function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
  );
  return re.test(text);
}

function modes(mode: unknown): ('read' | 'write' | 'execute')[] | undefined {
  if (mode === 'read' || mode === 'write' || mode === 'execute') return [mode];
  if (mode === 'readwrite') return ['read', 'write'];
  return undefined;
}

function urlChecker(params: Params, args: unknown[]): string | undefined {
  const url = args[0];
  if (typeof url !== 'string') return 'the URL is not a string';
  if (params.allowedUrls === 'any') return undefined;
  const patterns = list(params.urls).filter((u): u is string => typeof u === 'string');
  if (patterns.some((p) => matchesUrlPattern(p, url))) return undefined;
  return `'${url}' matches none of its URL patterns (${patterns.length ? patterns.join(', ') : 'none declared'})`;
}

const URL_COMPONENTS = ['protocol', 'host', 'port', 'path', 'query', 'extension', 'fragment'];

function urlPartsChecker(params: Params, args: unknown[]): string | undefined {
  const [component, queryKey] = args;
  if (params.urlParts !== 'any') {
    if (component === undefined || component === null || !URL_COMPONENTS.includes(String(component))) {
      return 'reading the whole URL needs "URL parts: any"';
    }
    if (params[String(component)] !== true) return `the URL component '${String(component)}' is not allowed`;
  }
  if (component === 'query' && queryKey !== undefined && params.queriesAllowed !== 'any') {
    const keys = list(params.queryKeys).map(String);
    if (!keys.includes(String(queryKey))) return `the query key '${String(queryKey)}' is not allowed`;
  }
  return undefined;
}

const CHECKERS: Record<string, Checker> = {
  access_globals(params, [mode, key]) {
    const wanted = modes(mode);
    if (!wanted) return `unknown access mode '${String(mode)}'`;
    const entry = maps(params.keys).find((k) => k.key === key);
    if (!entry) return `the key '${String(key)}' is not listed`;
    const missing = wanted.filter((m) => entry[m] !== true);
    return missing.length ? `the key '${String(key)}' lacks ${missing.join(' and ')} access` : undefined;
  },
  inject_script: urlChecker,
  inject_hidden_iframe: urlChecker,
  send_pixel: urlChecker,
  get_url: urlPartsChecker,
  get_referrer: urlPartsChecker,
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
      return true;
    });
    return ok ? undefined : `the cookie '${String(name)}' with these options is not listed`;
  },
  read_data_layer(params, [key]) {
    if (params.allowedKeys === 'any') return undefined;
    const patterns = list(params.keyPatterns).map(String);
    return patterns.some((p) => globMatch(p, String(key)))
      ? undefined
      : `the key '${String(key)}' is not listed`;
  },
  write_data_layer(params, [key]) {
    const patterns = list(params.keyPatterns).map(String);
    return patterns.some((p) => globMatch(p, String(key)))
      ? undefined
      : `the key '${String(key)}' is not listed`;
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
};

export interface PermissionVerdict {
  allowed: boolean;
  /** Why the call is denied, naming the permission and the argument. */
  reason?: string;
}

/** The declared permissions of one template, decoded once. */
export class PermissionSet {
  private readonly byId = new Map<string, Params>();

  constructor(permissions: readonly Permission[] | undefined) {
    for (const p of permissions ?? []) {
      const id = permissionId(p);
      if (id) this.byId.set(id, permissionParams(p));
    }
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  params(id: string): Params | undefined {
    return this.byId.get(id);
  }

  /** Asks `id` with `queryPermission`'s arguments. */
  query(id: string, args: unknown[]): PermissionVerdict {
    const params = this.byId.get(id);
    if (!params) return { allowed: false, reason: `the template does not declare the '${id}' permission` };
    const checker = CHECKERS[id];
    const why = checker ? checker(params, args) : undefined;
    return why === undefined ? { allowed: true } : { allowed: false, reason: `'${id}' denies it: ${why}` };
  }
}
