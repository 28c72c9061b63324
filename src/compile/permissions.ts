// Stage 5: permissions inferred from the compiled code. Each required API and its constant
// arguments give exactly the access needed (access_globals keys with read/write/execute,
// URL patterns from literal URLs or their literal prefixes, logging for debug only; server
// permissions in server-permissions.ts).
// `template.json` `permissions` declares what the code cannot show (a non-literal argument): a
// declared permission is used as declared (access_globals keys join the inferred ones); a
// non-literal argument that no declaration covers fails the build, naming the call and what to declare.

import type { Diagnostic } from '../diagnostics.js';
import { apiInfo } from '../gtm/apis.js';
import { makePermission, type PlainValue } from '../gtm/typed-value.js';
import type { ApiCall, ApiUsage, ArgValue } from '../js/api-usage.js';
import type { Permission } from '../tpl/model.js';
import type { PermissionOverrides, ProjectContext } from './project.js';
import { inferServerPermissions } from './server-permissions.js';
import { urlPatternFor } from './url-inference.js';

export { urlPatternFor } from './url-inference.js';

interface GlobalAccess {
  read: boolean;
  write: boolean;
  execute: boolean;
}

/** Which access each access_globals API needs on which argument (format notes §3.2). */
const GLOBAL_ACCESS: Record<string, [argIndex: number, access: Partial<GlobalAccess>][]> = {
  callInWindow: [[0, { execute: true }]],
  copyFromWindow: [[0, { read: true }]],
  setInWindow: [[0, { read: true, write: true }]],
  createQueue: [[0, { read: true, write: true }]],
  createArgumentsQueue: [
    [0, { read: true, write: true }],
    [1, { read: true, write: true }],
  ],
  aliasInWindow: [
    [0, { write: true }],
    [1, { read: true }],
  ],
};

/** URL-taking APIs: permission id, the parameter holding the patterns, the URL argument. */
const URL_APIS: Record<string, { permission: string; param: string; extra?: Record<string, PlainValue> }> = {
  injectScript: { permission: 'inject_script', param: 'urls' },
  injectHiddenIframe: { permission: 'inject_hidden_iframe', param: 'urls' },
  sendPixel: { permission: 'send_pixel', param: 'urls', extra: { allowedUrls: 'specific' } },
};

const URL_PERMISSIONS = new Set(Object.values(URL_APIS).map((u) => u.permission));

/** Permissions with no parameters, or whose only inferable form is "any". */
const FIXED: Record<string, Record<string, PlainValue>> = {
  logging: { environments: 'debug' },
  get_url: { urlParts: 'any', queriesAllowed: 'any' },
  get_referrer: { urlParts: 'any', queriesAllowed: 'any' },
  read_event_metadata: {},
  read_title: {},
  read_character_set: {},
  read_container_data: {},
  read_analytics_storage: {},
  access_template_storage: {},
  return_response: {},
  run_container: {},
};

export interface CodeLocator {
  /** Maps a position in the compiled code to a TypeScript location, when it can. */
  (line: number, column: number): { file?: string; line: number; column: number };
}

function describeCall(call: ApiCall): string {
  return `${call.api}${call.method ? '.' + call.method : ''}(…)`;
}

export interface PermissionsResult {
  permissions: Permission[];
  errors: Diagnostic[];
}

/** access_globals key entries by key name; entries of one key have their access flags combined. */
function globalKeysByName(items: PlainValue[]): Map<string, Record<string, PlainValue>> {
  const out = new Map<string, Record<string, PlainValue>>();
  for (const item of items as Record<string, PlainValue>[]) {
    const prev = out.get(String(item.key));
    out.set(String(item.key), {
      key: String(item.key),
      read: !!(prev?.read || item.read),
      write: !!(prev?.write || item.write),
      execute: !!(prev?.execute || item.execute),
    });
  }
  return out;
}

/** Infers the permissions `usage` needs, merged with the project's overrides. */
export function inferPermissions(
  usage: ApiUsage,
  overrides: PermissionOverrides = {},
  locate: CodeLocator = (line, column) => ({ line, column }),
  /** The compiled code `usage` was found in, to quote an argument that cannot be followed. */
  code?: string,
  context: ProjectContext = 'WEB',
): PermissionsResult {
  const errors: Diagnostic[] = [];
  const globals = new Map<string, GlobalAccess>();
  const urls = new Map<string, Set<string>>();
  const needed = new Set<string>();
  const overridden = (id: string) => Object.prototype.hasOwnProperty.call(overrides, id);

  /** The compiled text of argument `index` of `call` (what the compiler could not follow). */
  const argText = (call: ApiCall, index: number): string => {
    const node = call.node.arguments[index];
    if (!node) return 'missing';
    const text = code?.slice(node.start, node.end).replace(/\s+/g, ' ');
    if (!text) return `argument ${index + 1}`;
    return text.length > 60 ? text.slice(0, 57) + '…' : text;
  };
  const fail = (call: ApiCall, what: string, declare: string) => {
    errors.push({
      code: 'permissions/not-inferable',
      severity: 'error',
      text: `${describeCall(call)}: ${what}`,
      notes: [`declare it in template.json: ${declare}`],
      ...locate(call.line, call.column),
    });
  };

  for (const req of usage.requires) {
    const info = apiInfo(req.api);
    // An API of the other context is a type error already; it grants nothing here.
    if (info?.permission && info.contexts.includes(context)) needed.add(info.permission);
  }
  for (const at of usage.dynamicRequires) {
    errors.push({
      code: 'permissions/dynamic-require',
      severity: 'error',
      text: "require() needs a constant string: GTM decides the template's permissions from the API names",
      ...locate(at.line, at.column),
    });
  }

  for (const call of usage.calls) {
    const access = GLOBAL_ACCESS[call.api];
    if (access) {
      for (const [index, flags] of access) {
        const arg = call.args[index];
        if (arg?.kind === 'string') {
          const entry = globals.get(arg.value) ?? { read: false, write: false, execute: false };
          globals.set(arg.value, {
            read: entry.read || !!flags.read,
            write: entry.write || !!flags.write,
            execute: entry.execute || !!flags.execute,
          });
        } else if (!overridden('access_globals')) {
          const what = Object.entries(flags)
            .filter(([, v]) => v)
            .map(([k]) => k)
            .join('+');
          fail(
            call,
            `argument ${index + 1} (${argText(call, index)}) is not a constant string, so the compiler cannot infer which global it ${what.includes('execute') ? 'calls' : what === 'read' ? 'reads' : 'writes'} (access_globals)`,
            `"permissions": { "access_globals": { "keys": [ { "key": "…", ${['read', 'write', 'execute'].map((k) => `"${k}": ${what.includes(k)}`).join(', ')} } ] } }`,
          );
        }
      }
    }
    const urlApi = URL_APIS[call.api];
    if (urlApi) {
      const pattern = call.args[0] ? urlPatternFor(call.args[0]) : undefined;
      if (pattern) {
        if (!urls.has(urlApi.permission)) urls.set(urlApi.permission, new Set());
        urls.get(urlApi.permission)!.add(pattern);
      } else if (!overridden(urlApi.permission)) {
        const arg = call.args[0];
        const why =
          arg?.kind === 'prefix'
            ? `starts with the constant '${arg.prefix}', which does not reach past the host`
            : arg?.kind === 'string'
              ? 'is a constant that is not an https:// URL GTM can match'
              : 'is not a constant string and does not start with a constant https://host/ prefix';
        fail(
          call,
          `the URL, argument 1 (${argText(call, 0)}), ${why}, so the compiler cannot infer the URLs of ${urlApi.permission}`,
          `"permissions": { "${urlApi.permission}": { ${Object.entries(urlApi.extra ?? {})
            .map(([k, v]) => `"${k}": ${JSON.stringify(v)}, `)
            .join('')}"urls": ["https://host/path/*"] } } with every URL pattern it may load`,
        );
      }
    }
  }

  const params = new Map<string, Record<string, PlainValue>>();
  // Server APIs: each call's asks, as the shared table of API access describes them.
  const server =
    context === 'SERVER'
      ? inferServerPermissions({ usage, overridden, fail, argText })
      : { params: new Map(), asked: new Set<string>() };
  for (const [id, p] of server.params) params.set(id, p);
  if (globals.size) {
    params.set('access_globals', {
      keys: [...globals.keys()].sort().map((key) => ({ key, ...globals.get(key)! })) as unknown as PlainValue,
    });
  }
  for (const [permission, set] of urls) {
    const extra = Object.values(URL_APIS).find((u) => u.permission === permission)?.extra ?? {};
    params.set(permission, { ...extra, urls: [...set].sort() });
  }
  for (const id of needed) {
    if (params.has(id)) continue;
    if (FIXED[id]) params.set(id, FIXED[id]!);
    // access_globals, the URL permissions and the server ones were inferred above, or reported per call.
    else if (
      !overridden(id) &&
      id !== 'access_globals' &&
      !URL_PERMISSIONS.has(id) &&
      !server.asked.has(id)
    ) {
      const call = usage.calls.find((c) => apiInfo(c.api)?.permission === id);
      const req = usage.requires.find((r) => apiInfo(r.api)?.permission === id)!;
      errors.push({
        code: 'permissions/not-inferable',
        severity: 'error',
        text: `${req.api} needs the '${id}' permission, whose parameters the compiler does not infer`,
        notes: [`declare them in template.json: "permissions": { "${id}": { … } }`],
        ...locate(call?.line ?? req.line, call?.column ?? req.column),
      });
    }
  }

  // Overrides: a declared permission is used as declared (the checker then holds the code's
  // constant arguments against it), except access_globals, whose declared keys join the inferred
  // ones (a declared key with its declared flags): keys are exact names, so a declaration lists
  // only the keys the compiler cannot see, or the flags of one it sees.
  for (const [id, values] of Object.entries(overrides)) {
    if (id !== 'access_globals') {
      params.set(id, { ...(values as Record<string, PlainValue>) });
      continue;
    }
    const current = params.get(id) ?? {};
    for (const [key, value] of Object.entries(values)) {
      const existing = current[key];
      if (key === 'keys' && Array.isArray(value)) {
        // A declared key is used as declared (the checker holds the code's calls against its
        // flags, as for every declared permission); inferred keys it does not list join it.
        const merged = globalKeysByName((existing as PlainValue[]) ?? []);
        for (const [k, item] of globalKeysByName(value as PlainValue[])) merged.set(k, item);
        current[key] = [...merged.keys()].sort().map((k) => merged.get(k)!) as PlainValue;
      } else {
        current[key] = value as PlainValue;
      }
    }
    params.set(id, current);
  }

  const permissions = [...params.keys()].sort().map((id) => makePermission(id, params.get(id)!));
  return { permissions, errors };
}
