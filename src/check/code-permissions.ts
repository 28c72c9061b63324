// Code against permissions: every API the code requires has its permission; the constant
// arguments of the window and URL APIs are covered by the declared keys and URL patterns; a
// permission no required API needs is reported as unused.
//
// access_globals flags per API (Google's permission docs plus Simo Ahava's guide): callInWindow
// needs execute; copyFromWindow read; setInWindow write (Simo adds read, Google's docs say write:
// we require write only, since GTM's own editor ticks exactly what it detects); createQueue read
// and write; createArgumentsQueue read and write on both keys; aliasInWindow write on the target
// and read on the source. Keys match exactly: `fbq` does not cover `fbq.queue`.

import { apiInfo, SANDBOX_APIS } from '../gtm/apis.js';
import { describeGtmDefault, gtmDefaultParams } from '../gtm/permissions.js';
import { decodeTyped, permissionId, permissionParams, type PlainValue } from '../gtm/typed-value.js';
import { matchesUrlPattern, prefixCanMatchUrlPattern } from '../gtm/url-pattern.js';
import type { ApiUsage, ArgValue } from '../js/api-usage.js';
import { permissionsSectionName, type Permission, type Template } from '../tpl/model.js';
import { isPlainObject, type Reporter } from './locate.js';

type Flag = 'read' | 'write' | 'execute';

/** Which argument of each window API names which global, and the flags it needs there. */
const GLOBAL_ARGS: Record<string, { arg: number; flags: Flag[] }[]> = {
  callInWindow: [{ arg: 0, flags: ['execute'] }],
  copyFromWindow: [{ arg: 0, flags: ['read'] }],
  setInWindow: [{ arg: 0, flags: ['write'] }],
  createQueue: [{ arg: 0, flags: ['read', 'write'] }],
  createArgumentsQueue: [
    { arg: 0, flags: ['read', 'write'] },
    { arg: 1, flags: ['read', 'write'] },
  ],
  aliasInWindow: [
    { arg: 0, flags: ['write'] },
    { arg: 1, flags: ['read'] },
  ],
};

/** Permissions some API needs; others (e.g. only queried with queryPermission) are never called unused. */
const PERMISSIONS_OF_APIS: ReadonlySet<string> = new Set(
  Object.values(SANDBOX_APIS).flatMap((a) => (a.permission ? [a.permission] : [])),
);

/** The URL permission each URL API needs, and the parameter holding its patterns. */
const URL_APIS: Record<string, { permission: string; param: string }> = {
  injectScript: { permission: 'inject_script', param: 'urls' },
  sendPixel: { permission: 'send_pixel', param: 'urls' },
  injectHiddenIframe: { permission: 'inject_hidden_iframe', param: 'urls' },
};

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
  const unreadable = new Set<string>();
  permissions.forEach((p, index) => {
    const id = isPlainObject(p) ? permissionId(p as Permission) : undefined;
    if (!id) return;
    if (!isReadable(p as Permission)) unreadable.add(id);
    if (!byId.has(id)) byId.set(id, { permission: p as Permission, index });
  });
  // A permission the code needs but the file lacks is added by GTM on import or save, with GTM's
  // default configuration; calls are then checked against that (src/gtm/permissions.ts).
  const paramsOf = (id: string): Record<string, PlainValue> => {
    const found = byId.get(id);
    return found ? permissionParams(found.permission) : gtmDefaultParams(id);
  };
  const whose = (id: string) => `the "${id}" permission`;
  /** A note for a denial by a permission the file lacks: GTM's default decided it. */
  const undeclared = (id: string): string[] =>
    byId.has(id)
      ? []
      : [
          `___${PERMS}___ does not declare "${id}"; GTM adds it on import with its default configuration (${describeGtmDefault(id)}), which does not allow this.`,
        ];

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

  // 2. Constant global keys are covered with the right flags.
  const globalKeys = new Map<string, Set<Flag>>();
  const keysParam = paramsOf('access_globals').keys;
  if (Array.isArray(keysParam)) {
    for (const item of keysParam) {
      if (!isPlainObject(item) || typeof item.key !== 'string') continue;
      const flags = globalKeys.get(item.key) ?? new Set<Flag>();
      for (const f of ['read', 'write', 'execute'] as Flag[]) if (item[f] === true) flags.add(f);
      globalKeys.set(item.key, flags);
    }
  }
  for (const call of usage.calls) {
    const specs = GLOBAL_ARGS[call.api];
    if (!specs || call.method || unreadable.has('access_globals')) continue;
    for (const spec of specs) {
      const arg = call.args[spec.arg];
      if (!arg || arg.kind !== 'string') continue;
      const have = globalKeys.get(arg.value);
      const missing = spec.flags.filter((f) => !have?.has(f));
      if (missing.length === 0) continue;
      r.error(
        'code-permissions/global-not-allowed',
        have
          ? `${call.api}('${arg.value}') needs ${missing.join(' and ')} access to the global '${arg.value}', but ${whose('access_globals')} does not grant it.`
          : `${call.api}('${arg.value}') uses the global '${arg.value}', which ${whose('access_globals')} does not list (it needs ${spec.flags.join(' and ')}).`,
        CODE,
        inCode(call.line, call.column),
        [
          ...undeclared('access_globals'),
          `Add the key '${arg.value}' with ${spec.flags.join(' + ')} ticked to access_globals.`,
        ],
      );
    }
  }

  // 3. Constant URLs (or their constant start) match a declared pattern.
  for (const call of usage.calls) {
    const spec = URL_APIS[call.api];
    if (!spec || call.method || unreadable.has(spec.permission)) continue;
    const params = paramsOf(spec.permission);
    if (spec.permission === 'send_pixel' && params.allowedUrls === 'any') continue;
    const patterns = Array.isArray(params[spec.param])
      ? (params[spec.param] as PlainValue[]).filter((p): p is string => typeof p === 'string')
      : [];
    const arg: ArgValue | undefined = call.args[0];
    if (!arg || arg.kind === 'other') continue;
    const ok =
      arg.kind === 'string'
        ? patterns.some((p) => matchesUrlPattern(p, arg.value))
        : patterns.some((p) => prefixCanMatchUrlPattern(p, arg.prefix));
    if (ok) continue;
    const shown = arg.kind === 'string' ? `'${arg.value}'` : `a URL starting with '${arg.prefix}'`;
    r.error(
      'code-permissions/url-not-allowed',
      `${call.api} loads ${shown}, which no URL pattern of ${whose(spec.permission)} allows.`,
      CODE,
      inCode(call.line, call.column),
      [
        ...undeclared(spec.permission),
        patterns.length
          ? `Declared patterns: ${patterns.join(', ')}.`
          : 'The permission declares no URL patterns.',
      ],
    );
  }

  // 4. Permissions nothing needs. Skipped when a dynamic require() hides what the code uses.
  if (usage.dynamicRequires.length > 0) return;
  for (const [id, { index }] of byId) {
    if (needed.has(id) || !PERMISSIONS_OF_APIS.has(id)) continue;
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

/** Whether every parameter of a permission entry decodes (else the permissions step reported it). */
function isReadable(permission: Permission): boolean {
  const params = permission.instance?.param as unknown;
  return (
    Array.isArray(params) &&
    params.every((p) => isPlainObject(p) && typeof p.key === 'string' && decodeTyped(p.value) !== undefined)
  );
}
