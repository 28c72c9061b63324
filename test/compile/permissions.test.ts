// Permissions inferred from the compiled code: exactly the access each call needs.
import { describe, expect, it } from 'vitest';
import { inferPermissions, urlPatternFor } from '../../src/compile/permissions.js';
import { permissionParams } from '../../src/gtm/typed-value.js';
import { findApiUsage } from '../../src/js/api-usage.js';
import { parseSandboxJs } from '../../src/js/parse.js';
import { compileMemory, tagMain } from './helpers.js';

function infer(code: string, overrides = {}) {
  const parsed = parseSandboxJs(code);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const result = inferPermissions(findApiUsage(parsed.program), overrides, undefined, code);
  return {
    errors: result.errors,
    params: Object.fromEntries(result.permissions.map((p) => [p.instance.key.publicId, permissionParams(p)])),
  };
}

describe('permission inference', () => {
  it('access_globals: read, write, execute per API and key, merged', () => {
    const { params, errors } = infer(`
      const callInWindow = require('callInWindow');
      const copyFromWindow = require('copyFromWindow');
      const setInWindow = require('setInWindow');
      const createArgumentsQueue = require('createArgumentsQueue');
      createArgumentsQueue('_q', '_q.e');
      callInWindow('_q', 1);
      copyFromWindow('cfg');
      setInWindow('_q.c', 2, true);
    `);
    expect(errors).toEqual([]);
    expect(params.access_globals).toEqual({
      keys: [
        { key: '_q', read: true, write: true, execute: true },
        { key: '_q.c', read: true, write: true, execute: false },
        { key: '_q.e', read: true, write: true, execute: false },
        { key: 'cfg', read: true, write: false, execute: false },
      ],
    });
  });

  it('URL patterns from literal URLs and literal prefixes', () => {
    expect(urlPatternFor({ kind: 'string', value: 'https://a.com/x.js?v=1' })).toBe('https://a.com/x.js');
    expect(urlPatternFor({ kind: 'prefix', prefix: 'https://a.com/live/' })).toBe('https://a.com/live/*');
    expect(urlPatternFor({ kind: 'prefix', prefix: 'https://a.com/s.js?id=' })).toBe('https://a.com/s.js');
    expect(urlPatternFor({ kind: 'prefix', prefix: 'https://' })).toBeUndefined();
    const { params } = infer(`
      const injectScript = require('injectScript');
      const sendPixel = require('sendPixel');
      const id = data.id;
      injectScript('https://cdn.example.com/lib/' + id, data.gtmOnSuccess, data.gtmOnFailure);
      sendPixel('https://px.example.com/p?x=' + id);
    `);
    expect(params.inject_script).toEqual({ urls: ['https://cdn.example.com/lib/*'] });
    expect(params.send_pixel).toEqual({ allowedUrls: 'specific', urls: ['https://px.example.com/p'] });
  });

  it('logging is debug-only; pure APIs need nothing', () => {
    const { params } = infer(
      `const log = require('logToConsole'); const getType = require('getType'); log(getType(1));`,
    );
    expect(params).toEqual({ logging: { environments: 'debug' } });
  });

  it('a non-literal argument is an error naming the call and what to declare, unless overridden', () => {
    const code = `const setInWindow = require('setInWindow'); setInWindow(data.key, 1, true);`;
    const { errors } = infer(code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'permissions/not-inferable', line: 1, column: 45 });
    expect(errors[0]!.text).toContain('setInWindow(…): argument 1 (data.key) is not a constant string');
    expect(errors[0]!.notes![0]).toContain('"access_globals"');
    const keys = [{ key: 'a.b', read: true, write: true, execute: false }];
    const covered = infer(code, { access_globals: { keys } });
    expect(covered.errors).toEqual([]);
    expect(covered.params.access_globals).toEqual({ keys });
  });

  it('a declared access_globals key keeps its declared flags; inferred keys it does not list join', async () => {
    const code = `const setInWindow = require('setInWindow'); setInWindow('w', 1, true); setInWindow('x', 2, true);`;
    const declared = [{ key: 'w', read: false, write: true, execute: false }];
    expect(infer(code, { access_globals: { keys: declared } }).params.access_globals).toEqual({
      keys: [...declared, { key: 'x', read: true, write: true, execute: false }],
    });
    // The checker then holds the calls against the declared flags: setInWindow needs read and
    // write (gtm.js asks access_globals for readwrite; docs/runtime.md).
    const main = tagMain("  setInWindow('w', 1, true);", "import { setInWindow } from 'gtm';");
    const writeOnly = await compileMemory(
      { 'src/main.ts': main },
      { permissions: { access_globals: { keys: declared } } },
    );
    expect(writeOnly.errors.map((e) => e.code)).toEqual(['code-permissions/global-not-allowed']);
    const readWrite = [{ key: 'w', read: true, write: true, execute: false }];
    const allowed = await compileMemory(
      { 'src/main.ts': main },
      { permissions: { access_globals: { keys: readWrite } } },
    );
    expect(allowed.errors).toEqual([]);
  });

  it('in a project, the error points at the TypeScript call', async () => {
    const result = await compileMemory({
      'src/main.ts': tagMain(
        "  const key = data.name ?? 'x';\n  setInWindow(key, 1, true);",
        "import { setInWindow } from 'gtm';",
      ),
    });
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'permissions/not-inferable', file: 'src/main.ts', line: 6, column: 3 }),
    ]);
  });
});

describe('a URL the compiler cannot follow', () => {
  it('is reported once, naming the argument and the permission to declare', () => {
    const { errors } = infer(`
      const injectScript = require('injectScript');
      const url = data.scriptUrl;
      injectScript(url, data.gtmOnSuccess, data.gtmOnFailure);
    `);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('permissions/not-inferable');
    expect(errors[0]!.text).toContain('injectScript(…): the URL, argument 1 (url), is not a constant string');
    expect(errors[0]!.text).toContain('the URLs of inject_script');
    expect(errors[0]!.text).not.toContain('does not infer');
    expect(errors[0]!.notes).toEqual([
      'declare it in template.json: "permissions": { "inject_script": { "urls": ["https://host/path/*"] } } with every URL pattern it may load',
    ]);
  });

  it('quotes the argument as the compiled code has it, and says when a prefix stops before the host', async () => {
    const result = await compileMemory({
      'src/main.ts': tagMain(
        "  sendPixel('https://' + data.name + '/p', data.gtmOnSuccess, data.gtmOnFailure);",
        "import { sendPixel } from 'gtm';",
      ),
    });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.text).toContain(
      "('https://' + data.name + '/p'), starts with the constant 'https://'",
    );
    expect(result.errors[0]!.notes![0]).toContain('"send_pixel": { "allowedUrls": "specific", "urls"');
  });
});

describe('declared permissions', () => {
  it('are used as declared, not merged with what inference would add', () => {
    const code = `const injectScript = require('injectScript'); const getUrl = require('getUrl');
      injectScript('https://cdn.example.com/lib/a.js', data.gtmOnSuccess, data.gtmOnFailure); getUrl('path');`;
    const { params } = infer(code, {
      inject_script: { urls: ['https://cdn.example.com/*'] },
      get_url: { urlParts: 'specific', path: true },
    });
    expect(params.inject_script).toEqual({ urls: ['https://cdn.example.com/*'] });
    expect(params.get_url).toEqual({ urlParts: 'specific', path: true });
  });

  it('and a literal URL they do not allow fails the build', async () => {
    const result = await compileMemory(
      {
        'src/main.ts': tagMain(
          "  injectScript('https://a.example.com/x.js', data.gtmOnSuccess, data.gtmOnFailure);",
          "import { injectScript } from 'gtm';",
        ),
      },
      { permissions: { inject_script: { urls: ['https://b.example.com/*'] } } },
    );
    expect(result.errors.map((d) => d.code)).toEqual(['code-permissions/url-not-allowed']);
  });
});
