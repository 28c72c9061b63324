// Permissions on import: the original is taken as GTM holds it, with the permissions GTM detects in
// its code and adds with its default configuration when the file does not declare them.
import { describe, expect, it } from 'vitest';
import { comparePermissions, roundTrip } from '../../src/import/equivalence.js';
import { emptyTemplate, type Template } from '../../src/tpl/model.js';

function template(context: 'WEB' | 'SERVER', code: string): Template {
  const t = emptyTemplate(context);
  t.info = { type: 'TAG', displayName: 'T', description: '', brand: {}, containerContexts: [context] };
  t.parameters = [{ type: 'TEXT', name: 'url', displayName: 'URL', simpleValueType: true }];
  t.code = code;
  t.permissions = [];
  return t as Template;
}

describe('a permission the code needs and the template does not declare', () => {
  it('is declared with GTM default configuration, and the round trip is complete', async () => {
    const t = template('WEB', "const log = require('logToConsole');\nlog('hi');\ndata.gtmOnSuccess();");
    t.tests = { scenarios: [{ name: 'runs', code: "runCode({});\nassertApi('gtmOnSuccess').wasCalled();" }] };
    const r = await roundTrip(t, 'detected-web');
    expect(r.notes).toContainEqual(
      expect.objectContaining({ code: 'import/detected-permission', where: 'logging' }),
    );
    expect(r.buildErrors).toEqual([]);
    expect(r.permissions.wider).toEqual([]);
    expect(r.scenariosPassedBefore).toBe(1);
    expect(r.complete).toBe(true);
  });

  it('one the compiler cannot infer (a URL from the form) builds with GTM default', async () => {
    const t = template(
      'SERVER',
      "const send = require('sendHttpRequest');\nsend(data.url, () => data.gtmOnSuccess(), {});",
    );
    const r = await roundTrip(t, 'detected-server');
    expect(r.buildErrors).toEqual([]);
    expect(r.rebuilt!.permissions!.map((p) => p.instance.key.publicId)).toEqual(['send_http']);
    expect(r.complete).toBe(true);
  });

  it('a rebuilt permission beyond GTM default is still wider', () => {
    const rebuilt = [
      {
        instance: {
          key: { publicId: 'logging', versionId: '1' },
          param: [{ key: 'environments', value: { type: 1, string: 'all' } }],
        },
      },
    ];
    expect(comparePermissions([], rebuilt as never, ['logging']).wider).toEqual([
      'logging.environments: "debug" → "all"',
    ]);
    expect(comparePermissions([], rebuilt as never).wider).toEqual(['logging: not declared by the original']);
  });
});
