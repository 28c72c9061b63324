// Server templates from a project: "context": "SERVER" in template.json, a TAG, MACRO or CLIENT,
// the server sections of the .tpl, and 'gtm' typings that hold only the server APIs.
import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, compileMemory, configOf } from './helpers.js';

const SERVER = { context: 'SERVER' };

/** A main module for a template of `type` around `body`. */
function serverMain(body: string, imports: string, type: 'TAG' | 'MACRO' | 'CLIENT' = 'TAG'): string {
  const data = type === 'TAG' ? 'TagData' : type === 'CLIENT' ? 'ClientData' : 'VariableData';
  return (
    `${imports}\nimport type { ${data} } from 'gtm';\nimport type { Fields } from './fields';\n` +
    `export default function main(data: ${data}<Fields>)${type === 'MACRO' ? '' : ': void'} {\n${body}\n}\n`
  );
}

describe('template.json context and type', () => {
  it('defaults to WEB, accepts SERVER, and keeps CLIENT to server containers', () => {
    expect(configOf(BASE_CONFIG).config?.context).toBe('WEB');
    expect(configOf({ ...BASE_CONFIG, context: 'SERVER', type: 'CLIENT' }).errors).toEqual([]);
    expect(configOf({ ...BASE_CONFIG, type: 'CLIENT' }).errors.map((d) => d.text)).toEqual([
      'template.json: type CLIENT exists only in server containers: add "context": "SERVER" (a web template is a TAG or a MACRO)',
    ]);
    expect(configOf({ ...BASE_CONFIG, context: 'MOBILE' }).errors.map((d) => d.text)).toEqual([
      expect.stringMatching(/^template\.json: context .*"WEB", "SERVER"/),
    ]);
  });
});

describe('a server project', () => {
  it('builds a server tag: server sections, containerContexts SERVER, server permissions', async () => {
    const result = await compileMemory(
      {
        'src/main.ts': serverMain(
          "  logToConsole(getEventData('event_name'));\n  data.gtmOnSuccess();",
          "import { getEventData, logToConsole } from 'gtm';",
        ),
      },
      SERVER,
    );
    expect(result.errors).toEqual([]);
    const tpl = result.files!['template.tpl'];
    expect(tpl).toContain('___SANDBOXED_JS_FOR_SERVER___');
    expect(tpl).toContain('___SERVER_PERMISSIONS___');
    expect(tpl).not.toContain('___WEB_PERMISSIONS___');
    expect(tpl).not.toContain('___SANDBOXED_JS_FOR_WEB_TEMPLATE___');
    expect(result.template!.info!.containerContexts).toEqual(['SERVER']);
    expect(result.template!.permissions!.map((p) => p.instance.key.publicId)).toEqual([
      'logging',
      'read_event_data',
    ]);
  });

  it('builds a server variable (its main returns the value) and a client', async () => {
    const variable = await compileMemory(
      {
        'src/main.ts': serverMain(
          "  return getRequestHeader('user-agent');",
          "import { getRequestHeader } from 'gtm';",
          'MACRO',
        ),
      },
      { ...SERVER, type: 'MACRO' },
    );
    expect(variable.errors).toEqual([]);
    expect(variable.template!.info!.type).toBe('MACRO');
    expect(variable.template!.code).toContain("return getRequestHeader('user-agent');");

    const client = await compileMemory(
      {
        'src/main.ts': serverMain(
          "  if (getRequestPath() !== '/collect') return;\n  claimRequest();\n  runContainer(getAllEventData(), () => returnResponse());",
          "import { claimRequest, getAllEventData, getRequestPath, returnResponse, runContainer } from 'gtm';",
          'CLIENT',
        ),
      },
      { ...SERVER, type: 'CLIENT' },
    );
    expect(client.errors).toEqual([]);
    expect(client.template!.info!.type).toBe('CLIENT');
    expect(client.template!.permissions!.map((p) => p.instance.key.publicId)).toEqual([
      'read_event_data',
      'read_request',
      'return_response',
      'run_container',
    ]);
  });

  it("a client's data has no completion callbacks; a server tag's has them", async () => {
    const client = await compileMemory(
      { 'src/main.ts': serverMain('  data.gtmOnSuccess();', '', 'CLIENT') },
      { ...SERVER, type: 'CLIENT' },
    );
    expect(client.errors).toEqual([
      expect.objectContaining({
        code: 'ts/2339',
        file: 'src/main.ts',
        text: expect.stringContaining('gtmOnSuccess'),
      }),
    ]);
    const tag = await compileMemory({ 'src/main.ts': serverMain('  data.gtmOnFailure();', '') }, SERVER);
    expect(tag.errors).toEqual([]);
    // Typed as a tag's data, a client (or a variable) would call functions GTM does not pass.
    const tagDataClient = await compileMemory(
      { 'src/main.ts': serverMain('  data.gtmOnSuccess();', '') },
      { ...SERVER, type: 'CLIENT' },
    );
    expect(tagDataClient.errors).toEqual([
      expect.objectContaining({
        code: 'project/data-type',
        file: 'src/main.ts',
        line: 4,
        text: "a client's data has no gtmOnSuccess or gtmOnFailure (only tags do): type it ClientData<Fields> from 'gtm'",
      }),
    ]);
    const tagDataVariable = await compileMemory(
      { 'src/main.ts': serverMain("  return 'x';", '').replace(': void {', ' {') },
      { ...SERVER, type: 'MACRO' },
    );
    expect(tagDataVariable.errors.map((d) => d.code)).toEqual(['project/data-type']);
  });

  it('refuses recipe.json: container.json is a web container export', async () => {
    const result = await compileMemory(
      { 'src/main.ts': serverMain('  data.gtmOnSuccess();', ''), 'recipe.json': '{}' },
      SERVER,
    );
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'project/bad-recipe',
        file: 'recipe.json',
        text: expect.stringContaining('web containers only'),
      }),
    ]);
  });

  it('a web API in server code is an error that says so, by import and by require', async () => {
    const result = await compileMemory(
      {
        'src/main.ts': serverMain(
          "  const q = require('createQueue');\n  injectScript('https://a.com/x.js', data.gtmOnSuccess, data.gtmOnFailure);",
          "import { injectScript } from 'gtm';",
        ),
      },
      SERVER,
    );
    const wrong = result.errors.filter((d) => d.code === 'project/wrong-context-api');
    expect(wrong.map((d) => [d.line, d.text])).toEqual([
      [
        1,
        `'injectScript' exists only in web templates, and this is a server template (template.json "context": "SERVER")`,
      ],
      [
        5,
        `'createQueue' exists only in web templates, and this is a server template (template.json "context": "SERVER")`,
      ],
    ]);
    expect(wrong[0]!.notes?.[0]).toMatch(/^TypeScript: Module .*has no exported member 'injectScript'/);
  });

  it('other type errors that quote an API name are left as TypeScript says them', async () => {
    const result = await compileMemory(
      {
        'src/main.ts': serverMain(
          "  const o = { a: 1 };\n  const n: number = 'injectScript';\n  logToConsole(o.a, n, (o as { b?: number }).getUrl);\n  data.gtmOnSuccess();",
          "import { logToConsole } from 'gtm';",
        ),
      },
      SERVER,
    );
    expect(result.errors.map((d) => d.code)).toEqual(['ts/2322', 'ts/2339']);
  });

  it('a server API in web code is an error that says so', async () => {
    const result = await compileMemory({
      'src/main.ts':
        "import { sendHttpRequest } from 'gtm';\nimport type { TagData } from 'gtm';\nimport type { Fields } from './fields';\n" +
        "export default function main(data: TagData<Fields>): void {\n  sendHttpRequest('https://a.com/');\n  data.gtmOnSuccess();\n}\n",
    });
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'project/wrong-context-api',
        line: 1,
        text: `'sendHttpRequest' exists only in server templates, and this is a web template (template.json "context": "WEB")`,
      }),
    ]);
  });

  it('types the server APIs: promises, options and callbacks', async () => {
    const ok = await compileMemory(
      {
        'src/main.ts': serverMain(
          [
            "  sendHttpGet('https://a.com/x', { timeout: 100 }).then((r) => logToConsole(r.statusCode + 1, r.body.length));",
            "  sendHttpRequest('https://a.com/y', (status, headers, body) => logToConsole(status, headers['x'], body), { method: 'POST' }, '{}');",
            '  Promise.all([1, Promise.create<number>((resolve) => resolve(2))]).then((all) => logToConsole(all[0]! + all[1]!));',
            "  const digest: string = sha256Sync('x', { outputEncoding: 'hex' }) + toBase64('y', { urlEncoding: true });",
            "  setCookie('c', digest, { domain: 'auto', 'max-age': 60, samesite: 'Lax', secure: true });",
            // As real server templates write them: options in a variable (widened strings), a
            // promise resolved with nothing, a createRegex result given to String#replace.
            "  const options = { domain: 'auto', path: '/', sameSite: 'none', secure: true, httpOnly: false };",
            "  setCookie('d', 'v', options, true);",
            '  Promise.create((resolve) => resolve()).then(() => logToConsole(1));',
            "  const plus = createRegex('\\\\+', 'g');",
            "  if (plus) logToConsole('a+b'.replace(plus, '-'), testRegex(plus, 'a+b'));",
            '  data.gtmOnSuccess();',
          ].join('\n'),
          "import { createRegex, logToConsole, Promise, sendHttpGet, sendHttpRequest, setCookie, sha256Sync, testRegex, toBase64 } from 'gtm';",
        ),
      },
      SERVER,
    );
    expect(ok.errors.filter((d) => d.code.startsWith('ts/'))).toEqual([]);
    const bad = await compileMemory(
      {
        'src/main.ts': serverMain(
          [
            "  sendHttpGet('https://a.com/x').then((r) => logToConsole(r.status));",
            "  const n: number = getRequestHeader('x');",
            "  setCookie('c', 'v', { maxAge: 60 });",
            '  data.gtmOnSuccess();',
          ].join('\n'),
          "import { getRequestHeader, logToConsole, sendHttpGet, setCookie } from 'gtm';",
        ),
      },
      SERVER,
    );
    expect(bad.errors.map((d) => [d.code, d.line])).toEqual([
      ['ts/2339', 5],
      ['ts/2322', 6],
      ['ts/2561', 7],
    ]);
  });
});
