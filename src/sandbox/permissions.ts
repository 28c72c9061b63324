// Permission enforcement, GTM-style: every API call that touches the world asks the template's
// declared permissions (`___WEB_PERMISSIONS___` or `___SERVER_PERMISSIONS___`) first; a denied call
// throws an error naming the permission and the argument, and the run fails. `queryPermission`
// asks the same questions. What each permission allows is in src/gtm/permissions.ts, shared with
// the checker.

import type { Permission } from '../tpl/model.js';
import { permissionDenial, type PermissionParams } from '../gtm/permissions.js';
import { permissionId, permissionParams } from '../gtm/typed-value.js';

export interface PermissionVerdict {
  allowed: boolean;
  /** Why the call is denied, naming the permission and the argument. */
  reason?: string;
}

/** The declared permissions of one template, decoded once. */
export class PermissionSet {
  private readonly byId = new Map<string, PermissionParams>();

  constructor(permissions: readonly Permission[] | undefined) {
    for (const p of permissions ?? []) {
      const id = permissionId(p);
      if (id) this.byId.set(id, permissionParams(p));
    }
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
    const why = permissionDenial(id, params, args);
    return why === undefined ? { allowed: true } : { allowed: false, reason: `'${id}' denies it: ${why}` };
  }
}
