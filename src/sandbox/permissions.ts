// Permission enforcement, GTM-style: every API call that touches the world asks the template's
// declared permissions (`___WEB_PERMISSIONS___` or `___SERVER_PERMISSIONS___`) first; a denied call
// throws an error naming the permission and the argument, and the run fails. `queryPermission`
// asks the same questions. What each permission allows is in src/gtm/permissions.ts, shared with
// the checker.
//
// GTM detects the permissions a template needs from the APIs its code requires ("as edits are made
// in the custom template editor … and when code is compiled", Google's permissions reference), so
// a template in GTM never lacks the permission of an API it requires: one the file does not declare
// is added on import or save with GTM's default configuration. The sandbox runs the template as GTM
// holds it: such a permission is present with those defaults (as `gtm-template check` assumes when
// it warns `code-permissions/missing-permission`), and calls are judged against them.

import { apiInfo } from '../gtm/apis.js';
import {
  gtmDefaultParams,
  isWebUrlPermission,
  permissionDenial,
  type PermissionParams,
} from '../gtm/permissions.js';
import { resolveOnPage } from '../gtm/url-pattern.js';
import { permissionId, permissionParams } from '../gtm/typed-value.js';
import { findApiUsage } from '../js/api-usage.js';
import { parseSandboxJsShared } from '../js/parse.js';
import type { ContainerContext, Permission, Template } from '../tpl/model.js';

export interface PermissionVerdict {
  allowed: boolean;
  /** Why the call is denied, naming the permission and the argument. */
  reason?: string;
}

/** The declared permissions of one template, decoded once. */
export class PermissionSet {
  private readonly byId = new Map<string, PermissionParams>();

  /**
   * `detected`: the permissions GTM detects from the code; those not declared get GTM's defaults.
   * `pageUrl`: the web page's address, against which the web URL permissions resolve a URL without
   * a scheme, as gtm.js does (`resolveOnPage`); unset for a server container, which has no page.
   */
  constructor(
    permissions: readonly Permission[] | undefined,
    detected: Iterable<string> = [],
    private readonly pageUrl?: string,
  ) {
    for (const p of Array.isArray(permissions) ? permissions : []) {
      const id = permissionId(p);
      if (id && !this.byId.has(id)) this.byId.set(id, permissionParams(p));
    }
    for (const id of detected) if (!this.byId.has(id)) this.byId.set(id, gtmDefaultParams(id));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  params(id: string): PermissionParams | undefined {
    return this.byId.get(id);
  }

  /** Asks `id` with `queryPermission`'s arguments. */
  query(id: string, args: unknown[]): PermissionVerdict {
    const params = this.byId.get(id);
    if (!params) return { allowed: false, reason: `the template does not declare the '${id}' permission` };
    const [url, ...rest] = args;
    const asked =
      this.pageUrl !== undefined && isWebUrlPermission(id) && typeof url === 'string'
        ? [resolveOnPage(url, this.pageUrl), ...rest]
        : args;
    const why = permissionDenial(id, params, asked);
    return why === undefined ? { allowed: true } : { allowed: false, reason: `'${id}' denies it: ${why}` };
  }
}

/**
 * Detected permissions by code, one map per context: templates are parsed again for every run,
 * their code is not. Keyed by the code string itself, whose hash V8 keeps, not by a string built
 * from it per scenario (which was copied and hashed again each time, ~3% of a test pass).
 */
const detectedCache = new Map<ContainerContext, Map<string, readonly string[]>>();
/** Distinct codes remembered per context (a long-lived process, e.g. `watch`, sees a new code per edit). */
const DETECTED_CACHE_SIZE = 512;

/**
 * The permissions GTM detects in `template`'s code: those of the APIs it requires by name in its
 * context. A `require` with a computed name cannot be detected, by GTM either.
 */
export function detectedPermissions(template: Pick<Template, 'code' | 'context'>): readonly string[] {
  const code = template.code ?? '';
  let cache = detectedCache.get(template.context);
  if (!cache) detectedCache.set(template.context, (cache = new Map()));
  let ids = cache.get(code);
  if (!ids) {
    const parsed = parseSandboxJsShared(code);
    const found = new Set<string>();
    if (parsed.ok) {
      for (const req of findApiUsage(parsed.program).requires) {
        const info = apiInfo(req.api);
        if (info?.permission && info.contexts.includes(template.context)) found.add(info.permission);
      }
    }
    ids = [...found];
    if (cache.size >= DETECTED_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(code, ids);
  }
  return ids;
}
