// `___WEB_PERMISSIONS___` / `___SERVER_PERMISSIONS___`: the envelope, the typed values, and the
// parameter shapes of the permissions GTM's editor writes (format notes §3).

import { SANDBOX_APIS } from '../gtm/apis.js';
import { decodeTyped, type PlainValue } from '../gtm/typed-value.js';
import { urlPatternProblem } from '../gtm/url-pattern.js';
import { permissionsSectionName, type Template } from '../tpl/model.js';
import { isPlainObject, kindOf, type JsonPath, type Reporter } from './locate.js';

type ParamSpec =
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'stringList'; urls?: boolean }
  | { kind: 'mapList'; keys: readonly string[]; booleans?: readonly string[] };

interface PermissionSpec {
  params: Record<string, ParamSpec>;
  required?: readonly string[];
}

const ANY_SPECIFIC = { kind: 'enum', values: ['any', 'specific', 'none'] } as const;
const URLS = { kind: 'stringList', urls: true } as const;

/** Shapes of the permissions seen in real templates; other params of these are left alone. */
export const PERMISSION_SPECS: Readonly<Record<string, PermissionSpec>> = {
  access_globals: {
    params: { keys: { kind: 'mapList', keys: ['key'], booleans: ['read', 'write', 'execute'] } },
    required: ['keys'],
  },
  logging: {
    params: { environments: { kind: 'enum', values: ['debug', 'all'] } },
    required: ['environments'],
  },
  inject_script: { params: { urls: URLS }, required: ['urls'] },
  inject_hidden_iframe: { params: { urls: URLS }, required: ['urls'] },
  send_pixel: { params: { allowedUrls: ANY_SPECIFIC, urls: URLS } },
  get_url: {
    params: { urlParts: ANY_SPECIFIC, queriesAllowed: ANY_SPECIFIC, queryKeys: { kind: 'stringList' } },
  },
  get_referrer: {
    params: { urlParts: ANY_SPECIFIC, queriesAllowed: ANY_SPECIFIC, queryKeys: { kind: 'stringList' } },
  },
  get_cookies: { params: { cookieAccess: ANY_SPECIFIC, cookieNames: { kind: 'stringList' } } },
  set_cookies: { params: { allowedCookies: { kind: 'mapList', keys: ['name'] } } },
  read_data_layer: { params: { allowedKeys: ANY_SPECIFIC, keyPatterns: { kind: 'stringList' } } },
  write_data_layer: { params: { keyPatterns: { kind: 'stringList' } } },
  access_local_storage: {
    params: { keys: { kind: 'mapList', keys: ['key'], booleans: ['read', 'write'] } },
  },
  access_consent: {
    params: { consentTypes: { kind: 'mapList', keys: ['consentType'], booleans: ['read', 'write'] } },
  },
  read_event_metadata: { params: {} },
  read_title: { params: {} },
  read_character_set: { params: {} },
  read_container_data: { params: {} },
  access_template_storage: { params: {} },
  read_analytics_storage: { params: {} },
  // Server permissions (Google's server-side API reference; shapes as the editor writes them).
  read_event_data: { params: { eventDataAccess: ANY_SPECIFIC, keyPatterns: { kind: 'stringList' } } },
  read_request: {
    params: {
      requestAccess: ANY_SPECIFIC,
      headerAccess: ANY_SPECIFIC,
      queryParameterAccess: ANY_SPECIFIC,
      headersAllowed: { kind: 'boolean' },
      bodyAllowed: { kind: 'boolean' },
      pathAllowed: { kind: 'boolean' },
      queryParametersAllowed: { kind: 'boolean' },
      remoteAddressAllowed: { kind: 'boolean' },
      headerWhitelist: { kind: 'mapList', keys: ['headerName'] },
      queryParameterWhitelist: { kind: 'mapList', keys: ['queryParameter'] },
    },
  },
  access_response: {
    params: {
      writeResponseAccess: ANY_SPECIFIC,
      writeHeaderAccess: ANY_SPECIFIC,
      writeStatusAllowed: { kind: 'boolean' },
      writeHeadersAllowed: { kind: 'boolean' },
      writeBodyAllowed: { kind: 'boolean' },
      writeHeaderWhitelist: { kind: 'mapList', keys: ['headerName'] },
    },
  },
  send_http: { params: { allowedUrls: ANY_SPECIFIC, urls: URLS, allowGoogleDomains: { kind: 'boolean' } } },
  send_pixel_from_browser: { params: { allowedUrls: ANY_SPECIFIC, urls: URLS } },
  access_bigquery: {
    params: { allowedTables: { kind: 'mapList', keys: ['projectId', 'datasetId', 'tableId', 'operation'] } },
  },
  access_firestore: {
    params: { allowedOptions: { kind: 'mapList', keys: ['projectId', 'path', 'operation'] } },
  },
  use_google_credentials: { params: { allowedScopes: { kind: 'stringList' } } },
  use_message: {
    params: { allowedActions: ANY_SPECIFIC, messageTypes: { kind: 'mapList', keys: ['type', 'action'] } },
  },
  return_response: { params: {} },
  run_container: { params: {} },
};

/** What a permission without its parameter allows, for the message. */
const WITHOUT_PARAM: Record<string, string> = {
  access_globals: 'it allows no global: every call naming one is denied',
  inject_script: 'it allows no script URL',
  inject_hidden_iframe: 'it allows no iframe URL',
  logging: 'the environments are unspecified (GTM\'s editor writes "debug" by default)',
};

/** Every permission id this toolchain knows: the shapes above plus every API's permission. */
export const KNOWN_PERMISSIONS: ReadonlySet<string> = new Set([
  ...Object.keys(PERMISSION_SPECS),
  ...Object.values(SANDBOX_APIS).flatMap((a) => (a.permission ? [a.permission] : [])),
  'read_request',
  'send_http',
  'access_bigquery',
  'access_firestore',
  'return_response',
  'run_container',
  'access_response',
  'use_message',
  'send_pixel_from_browser',
]);

/** What is wrong with a permission key's `versionId` (GTM writes `"versionId": "1"`). */
function versionIdProblem(key: Record<string, unknown>): string {
  if (key.versionId !== undefined)
    return `"versionId" is always "1" in GTM's exports, found ${JSON.stringify(key.versionId)}.`;
  const others = Object.keys(key).filter((k) => k !== 'publicId');
  const instead = others.length
    ? ` (the key has ${others.map((k) => JSON.stringify(k)).join(', ')} instead)`
    : '';
  return `The permission's key has no "versionId"${instead}; GTM's exports always write "versionId": "1".`;
}

export function checkPermissions(template: Template, r: Reporter): void {
  const S = permissionsSectionName(template.context);
  const list = template.permissions as unknown;
  if (list === undefined) return;
  const at = (path: JsonPath) => r.locate.json(S, path);
  if (!Array.isArray(list)) {
    r.error(
      'permissions/not-array',
      `___${S}___ must be a JSON array of permissions, found ${kindOf(list)}.`,
      S,
      at([]),
    );
    return;
  }
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const before = r.diagnostics.length;
    checkEntry(entry, i);
    const id = permissionIdOf(entry);
    const broken = r.diagnostics
      .slice(before)
      .some((d) => d.severity === 'error' && d.code !== 'permissions/duplicate');
    if (id !== undefined && broken) r.malformedPermissions.add(id);
  });

  function checkEntry(entry: unknown, i: number): void {
    const instance = isPlainObject(entry) ? entry.instance : undefined;
    const key = isPlainObject(instance) ? instance.key : undefined;
    const id = isPlainObject(key) ? key.publicId : undefined;
    // The section is protocol-buffer JSON (typed values, numeric `type`s): a list field that is
    // absent reads as the empty list, so an entry without `param` is one with `"param": []`.
    const paramAbsent = isPlainObject(instance) && !Object.prototype.hasOwnProperty.call(instance, 'param');
    const params = paramAbsent ? [] : isPlainObject(instance) ? instance.param : undefined;
    if (
      !isPlainObject(entry) ||
      !isPlainObject(instance) ||
      typeof id !== 'string' ||
      !Array.isArray(params)
    ) {
      r.error(
        'permissions/invalid-envelope',
        'A permission is { "instance": { "key": { "publicId": "…", "versionId": "1" }, "param": [ … ] }, "isRequired": true }.',
        S,
        at([i]),
      );
      return;
    }
    if (paramAbsent)
      r.warning(
        'permissions/no-param-list',
        `Permission "${id}" has no "param" list; GTM reads it as "param": [] (protocol-buffer JSON reads an absent list as empty), and its exports always write the list.`,
        S,
        at([i, 'instance']),
      );
    if (isPlainObject(key) && key.versionId !== '1')
      r.warning('permissions/unexpected-version-id', versionIdProblem(key), S, at([i, 'instance', 'key']));
    if (seen.has(id))
      r.error(
        'permissions/duplicate',
        `Permission "${id}" is declared twice; merge the two entries.`,
        S,
        at([i, 'instance', 'key', 'publicId']),
      );
    seen.add(id);
    if (!KNOWN_PERMISSIONS.has(id))
      r.warning(
        'permissions/unknown-permission',
        `Unknown permission "${id}": GTM will not recognise it.`,
        S,
        at([i, 'instance', 'key', 'publicId']),
      );

    const decoded: Record<string, PlainValue> = {};
    params.forEach((p, j) => {
      if (!isPlainObject(p) || typeof p.key !== 'string') {
        r.error(
          'permissions/invalid-envelope',
          'Each permission parameter is { "key": "…", "value": { "type": …, … } }.',
          S,
          at([i, 'instance', 'param', j]),
        );
        return;
      }
      const value = decodeTyped(p.value);
      if (value === undefined) {
        r.error(
          'permissions/invalid-typed-value',
          `The value of "${p.key}" is not a valid typed value: {type:1,string}, {type:2,listItem}, {type:3,mapKey,mapValue} (equal lengths, string keys) or {type:8,boolean}.`,
          S,
          at([i, 'instance', 'param', j, 'value', 'type']),
        );
        return;
      }
      decoded[p.key] = value;
      const spec = PERMISSION_SPECS[id]?.params[p.key];
      if (spec) checkParam(id, p.key, value, spec, [i, 'instance', 'param', j, 'value']);
    });
    // GTM itself writes a permission it detected in the code with `"param": []` until someone
    // configures it (real exports of access_globals and inject_script), and saves it that way: a
    // missing parameter allows nothing. The calls it then denies are reported at the call.
    for (const required of PERMISSION_SPECS[id]?.required ?? []) {
      if (!(required in decoded) && params.every((p) => !isPlainObject(p) || p.key !== required))
        r.warning(
          'permissions/missing-param',
          `Permission "${id}" has no "${required}" parameter: ${WITHOUT_PARAM[id] ?? 'it allows nothing'}.`,
          S,
          at([i, 'instance', 'param']),
          ['GTM saves a permission it added itself this way; configure it in the Permissions tab.'],
        );
    }
  }

  function checkParam(id: string, key: string, value: PlainValue, spec: ParamSpec, path: JsonPath): void {
    // Point at the payload of the typed value ("string": …, "listItem": …), where the fix goes.
    const payload =
      typeof value === 'string'
        ? 'string'
        : typeof value === 'boolean'
          ? 'boolean'
          : Array.isArray(value)
            ? 'listItem'
            : 'mapKey';
    const bad = (what: string) =>
      r.error(
        'permissions/invalid-param',
        `"${key}" of permission "${id}" must be ${what}.`,
        S,
        at([...path, payload]),
      );
    switch (spec.kind) {
      case 'enum':
        if (typeof value !== 'string' || !spec.values.includes(value))
          bad(spec.values.map((v) => `"${v}"`).join(' or '));
        return;
      case 'string':
        if (typeof value !== 'string') bad('a string');
        return;
      case 'boolean':
        if (typeof value !== 'boolean') bad('a boolean');
        return;
      case 'stringList': {
        if (!Array.isArray(value)) {
          bad(`a list of strings, not ${typedKind(value)}`);
          return;
        }
        const odd = value.findIndex((v) => typeof v !== 'string');
        if (odd !== -1) {
          r.error(
            'permissions/invalid-param',
            `"${key}" of permission "${id}" must be a list of strings; item ${odd + 1} is ${typedKind(value[odd]!)}.`,
            S,
            at([...path, 'listItem', odd]),
          );
          return;
        }
        if (spec.urls) {
          value.forEach((pattern, k) => {
            const problem = urlPatternProblem(pattern as string);
            if (problem)
              r.error(
                'permissions/invalid-url-pattern',
                `URL pattern ${JSON.stringify(pattern)} of "${id}": ${problem}.`,
                S,
                at([...path, 'listItem', k, 'string']),
              );
          });
        }
        return;
      }
      case 'mapList':
        if (!Array.isArray(value) || value.some((v) => !isPlainObject(v))) {
          bad(`a list of maps with ${[...spec.keys, ...(spec.booleans ?? [])].join(', ')}`);
          return;
        }
        value.forEach((item, k) => {
          const map = item as Record<string, PlainValue>;
          for (const name of spec.keys) {
            if (typeof map[name] !== 'string' || map[name] === '')
              r.error(
                'permissions/invalid-param',
                `Item ${k + 1} of "${key}" in permission "${id}" needs a non-empty "${name}" string.`,
                S,
                at([...path, 'listItem', k]),
              );
          }
          for (const name of spec.booleans ?? []) {
            if (map[name] !== undefined && typeof map[name] !== 'boolean')
              r.error(
                'permissions/invalid-param',
                `"${name}" of item ${k + 1} of "${key}" in permission "${id}" must be a boolean.`,
                S,
                at([...path, 'listItem', k]),
              );
          }
        });
        return;
    }
  }
}

/** A decoded typed value's kind in the words of GTM's value types (a map is type 3, a list type 2). */
function typedKind(value: PlainValue): string {
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (Array.isArray(value)) return 'a list';
  return isPlainObject(value) ? 'a map' : kindOf(value);
}

function permissionIdOf(entry: unknown): string | undefined {
  const instance = isPlainObject(entry) ? entry.instance : undefined;
  const key = isPlainObject(instance) ? instance.key : undefined;
  const id = isPlainObject(key) ? key.publicId : undefined;
  return typeof id === 'string' ? id : undefined;
}
