// Least privilege, pinned: the exact permissions the built template asks GTM for. A change here is a
// change in what the tag may do on every site that installs it, so it must be deliberate.
import { describe, expect, it } from 'vitest';
import { permissionId, permissionParams, type PlainValue } from '../../src/gtm/typed-value.js';
import { builtTemplate } from './built-template.js';

describe('the giosg template’s permissions', () => {
  it('are exactly: the _giosg queue globals (no execute), template storage, giosg’s script v2 URL, logging in debug only', () => {
    const permissions = (builtTemplate().permissions ?? []).map((p) => {
      const params = permissionParams(p);
      const keys = params.keys as unknown as { key: string }[] | undefined;
      // Order of keys is the compiler's business; what they allow is ours.
      if (keys) params.keys = [...keys].sort((a, b) => a.key.localeCompare(b.key)) as unknown as PlainValue;
      return { id: permissionId(p), params };
    });
    expect(permissions.sort((a, b) => String(a.id).localeCompare(String(b.id)))).toEqual([
      {
        id: 'access_globals',
        params: {
          keys: [
            { key: '_giosg', read: true, write: true, execute: false },
            { key: '_giosg._c', read: true, write: true, execute: false },
            { key: '_giosg._e', read: true, write: true, execute: false },
            { key: '_giosg._h', read: true, write: true, execute: false },
          ],
        },
      },
      // Whether this tag loaded the client itself, so later firings know _giosg._c is theirs.
      { id: 'access_template_storage', params: {} },
      { id: 'inject_script', params: { urls: ['https://service.giosg.com/live2/*'] } },
      { id: 'logging', params: { environments: 'debug' } },
    ]);
  });
});
