// Loading giosg's client (script v2) the way giosg's own snippet does: `_giosg._c` is the
// organization, `_giosg._h` the host, and the script comes from <host>/live2/<organization ID>.
import { getType } from 'gtm';
import { describe } from './values';

export const GIOSG_HOST = 'https://service.giosg.com';
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** Script v2 is <host>/live2/<organization ID>; a validated UUID needs no URL encoding. */
export const CLIENT_SCRIPT_PREFIX = GIOSG_HOST + '/live2/';

export type OrganizationCheck = { ok: true; organizationId: string } | { ok: false; reason: string };

export function checkOrganizationId(raw: unknown): OrganizationCheck {
  const text = getType(raw) === 'string' ? (raw as string).trim() : '';
  if (text.match(UUID)) return { ok: true, organizationId: text };
  const shown = raw === undefined || raw === '' ? 'empty' : describe(raw);
  return {
    ok: false,
    reason:
      'The organization ID must be a UUID such as 826100fd-b473-49b0-bafd-d7332622bae8, but it is ' +
      shown +
      '; the giosg client was not loaded.',
  };
}
