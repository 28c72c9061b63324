// Server permissions inferred from the compiled code: the least each call needs, in the shapes
// GTM's editor writes; a non-constant argument is a build error naming the call, unless declared.
import { describe, expect, it } from 'vitest';
import { inferPermissions } from '../../src/compile/permissions.js';
import { permissionParams } from '../../src/gtm/typed-value.js';
import { SERVER_API_ACCESS } from '../../src/gtm/api-access.js';
import { permissionDenial } from '../../src/gtm/permissions.js';
import { apiInfo } from '../../src/gtm/apis.js';
import { findApiUsage } from '../../src/js/api-usage.js';
import { parseSandboxJs } from '../../src/js/parse.js';
import { runTemplate } from '../../src/sandbox/index.js';
import { asksOf, compileMemory } from './helpers.js';

function infer(code: string, overrides = {}) {
  const parsed = parseSandboxJs(code);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const usage = findApiUsage(parsed.program);
  const result = inferPermissions(usage, overrides, undefined, code, 'SERVER');
  const params = Object.fromEntries(
    result.permissions.map((p) => [p.instance.key.publicId, permissionParams(p)]),
  );
  if (result.errors.length === 0 && Object.keys(overrides).length === 0) {
    // Sound: the permission semantics the sandbox enforces allow every call the code makes.
    for (const [id, args] of asksOf(usage))
      expect(permissionDenial(id, params[id] ?? {}, args), `${id}(${JSON.stringify(args)})`).toBeUndefined();
    // Least: without any one entry of a list parameter, some call is denied.
    for (const [id, p] of Object.entries(params))
      for (const [key, value] of Object.entries(p))
        if (Array.isArray(value))
          value.forEach((_, i) => {
            const narrower = { ...p, [key]: value.filter((__, j) => j !== i) };
            const denied = asksOf(usage).some(
              ([asked, args]) => asked === id && permissionDenial(id, narrower, args),
            );
            expect(denied, `${id}.${key}[${i}] is needed`).toBe(true);
          });
  }
  return { errors: result.errors.map((e) => [e.text, ...(e.notes ?? [])].join(' | ')), params };
}

const req = (...apis: string[]) => apis.map((a) => `const ${a} = require('${a}');`).join('\n') + '\n';

describe('the shared table of server API access', () => {
  it('names only server APIs of the catalog, with their catalog permission', () => {
    for (const [key, asks] of Object.entries(SERVER_API_ACCESS)) {
      const info = apiInfo(key.split('.')[0]!);
      expect(info?.contexts, key).toContain('SERVER');
      for (const ask of asks) if (info?.permission) expect(ask.permission, key).toBe(info.permission);
    }
  });
});

describe('server permission inference', () => {
  it('read_event_data: the keys read, "any" for all of the event, a dotted prefix as a pattern', () => {
    expect(
      infer(
        req('getEventData') +
          "getEventData('event_name'); getEventData('items'); getEventData('event_name');",
      ).params,
    ).toEqual({ read_event_data: { eventDataAccess: 'specific', keyPatterns: ['event_name', 'items'] } });
    expect(infer(req('getEventData') + "getEventData('user_data.' + data.field);").params).toEqual({
      read_event_data: { eventDataAccess: 'specific', keyPatterns: ['user_data.*'] },
    });
    expect(
      infer(req('getEventData', 'getAllEventData') + "getEventData('x'); getAllEventData();").params,
    ).toEqual({
      read_event_data: { eventDataAccess: 'any' },
    });
  });

  it('read_request: each part read, headers and query parameters by name', () => {
    const { params, errors } = infer(
      req(
        'getRequestHeader',
        'getRequestBody',
        'getRequestPath',
        'getRequestQueryParameter',
        'getRemoteAddress',
        'getRequestMethod',
      ) +
        "getRequestHeader('User-Agent'); getRequestHeader('user-agent'); getRequestHeader('trace-id');\n" +
        "getRequestBody(); getRequestPath(); getRequestQueryParameter('gclid'); getRemoteAddress(); getRequestMethod();",
    );
    expect(errors).toEqual([]);
    expect(params.read_request).toEqual({
      requestAccess: 'specific',
      headerAccess: 'specific',
      queryParameterAccess: 'specific',
      headersAllowed: true,
      headerWhitelist: [{ headerName: 'User-Agent' }, { headerName: 'trace-id' }],
      queryParametersAllowed: true,
      queryParameterWhitelist: [{ queryParameter: 'gclid' }],
      bodyAllowed: true,
      pathAllowed: true,
      remoteAddressAllowed: true,
    });
    expect(
      infer(req('getRequestQueryParameters') + 'getRequestQueryParameters();').params.read_request,
    ).toEqual({
      requestAccess: 'specific',
      headerAccess: 'specific',
      queryParameterAccess: 'any',
      queryParametersAllowed: true,
    });
  });

  it('access_response and return_response', () => {
    expect(
      infer(
        req('setResponseHeader', 'setResponseStatus', 'setResponseBody', 'returnResponse') +
          "setResponseHeader('Content-Type', 'text/plain'); setResponseStatus(200); setResponseBody('ok'); returnResponse();",
      ).params,
    ).toEqual({
      access_response: {
        writeResponseAccess: 'specific',
        writeHeaderAccess: 'specific',
        writeHeadersAllowed: true,
        writeHeaderWhitelist: [{ headerName: 'Content-Type' }],
        writeBodyAllowed: true,
        writeStatusAllowed: true,
      },
      return_response: {},
    });
    expect(infer(req('setPixelResponse') + 'setPixelResponse();').params.access_response).toEqual({
      writeResponseAccess: 'any',
      writeHeaderAccess: 'specific',
    });
  });

  it('send_http and send_pixel_from_browser: URL patterns from constant URLs and prefixes', () => {
    const { params } = infer(
      req('sendHttpRequest', 'sendHttpGet', 'sendPixelFromBrowser') +
        "const API = 'https://api.example.com/v2/';\n" +
        "sendHttpRequest(API + 'events?key=' + data.key, {}, '');\n" +
        "sendHttpGet('https://api.example.com/v2/users/' + data.id);\n" +
        "sendPixelFromBrowser('https://px.example.com/p.gif?id=' + data.id);",
    );
    expect(params.send_http).toEqual({
      allowedUrls: 'specific',
      urls: ['https://api.example.com/v2/events', 'https://api.example.com/v2/users/*'],
    });
    expect(params.send_pixel_from_browser).toEqual({
      allowedUrls: 'specific',
      urls: ['https://px.example.com/p.gif'],
    });
  });

  it('cookies: names read; names set with the options the code fixes', () => {
    const { params } = infer(
      req('getCookieValues', 'setCookie') +
        "getCookieValues('_fbp'); getCookieValues('_fbc');\n" +
        "const opts = { domain: 'auto', path: '/', secure: true, 'max-age': 3600 };\n" +
        "setCookie('_fbp', 'v', opts);\n" +
        "setCookie('_fbc', 'v', { domain: 'example.com', path: data.path });\n" +
        "setCookie('plain', 'v');",
    );
    expect(params.get_cookies).toEqual({ cookieAccess: 'specific', cookieNames: ['_fbc', '_fbp'] });
    expect(params.set_cookies).toEqual({
      allowedCookies: [
        { name: '_fbc', domain: 'example.com', path: '*', secure: 'any', session: 'any' },
        { name: '_fbp', domain: '*', path: '/', secure: 'secure', session: 'any' },
        { name: 'plain', domain: '*', path: '*', secure: 'any', session: 'any' },
      ],
    });
  });

  it('an options object written to after its literal counts as unknown', () => {
    const { params } = infer(
      req('setCookie') + "const opts = { path: '/' };\nopts.path = data.path;\nsetCookie('c', 'v', opts);",
    );
    expect(params.set_cookies).toEqual({
      allowedCookies: [{ name: 'c', domain: '*', path: '*', secure: 'any', session: 'any' }],
    });
  });

  it('BigQuery, Firestore (read and write of one path become read_write), Google credentials, keys, messages', () => {
    const { params, errors } = infer(
      req('BigQuery', 'Firestore', 'getGoogleAuth', 'hmacSha256', 'sendMessage', 'addMessageListener') +
        "BigQuery.insert({ datasetId: 'ds', tableId: 'events' }, []);\n" +
        "BigQuery.insert({ projectId: 'p', datasetId: 'ds', tableId: 'other' }, []);\n" +
        "Firestore.read('users/' + data.id);\n" +
        "Firestore.write('users/' + data.id, {}, { merge: true });\n" +
        "Firestore.query('logs', [], { projectId: 'p', databaseId: 'db2' });\n" +
        "getGoogleAuth({ scopes: ['https://www.googleapis.com/auth/datastore'] });\n" +
        "hmacSha256('x', 'signing-key');\n" +
        "sendMessage('processed', {}); addMessageListener('processed', () => {});",
    );
    expect(errors).toEqual([]);
    expect(params.access_bigquery).toEqual({
      allowedTables: [
        { projectId: '*', datasetId: 'ds', tableId: 'events', operation: 'write' },
        { projectId: 'p', datasetId: 'ds', tableId: 'other', operation: 'write' },
      ],
    });
    expect(params.access_firestore).toEqual({
      allowedOptions: [
        { projectId: '*', path: 'users/*', operation: 'read_write', databaseId: '(default)' },
        { projectId: 'p', path: 'logs/*', operation: 'read', databaseId: 'db2' },
      ],
    });
    expect(params.use_google_credentials).toEqual({
      allowedScopes: ['https://www.googleapis.com/auth/datastore'],
    });
    expect(params.use_custom_private_keys).toEqual({ keyIds: ['signing-key'] });
    expect(params.use_message).toEqual({
      allowedActions: 'specific',
      messageTypes: [
        { type: 'processed', action: 'listen' },
        { type: 'processed', action: 'send' },
      ],
    });
  });

  it('parameterless server permissions are present as they are', () => {
    expect(
      infer(
        req(
          'runContainer',
          'claimRequest',
          'templateDataStorage',
          'getContainerVersion',
          'addEventCallback',
        ) +
          'claimRequest(); runContainer({}); templateDataStorage.getItemCopy("k"); getContainerVersion(); addEventCallback(() => {});',
      ).params,
    ).toEqual({
      access_template_storage: {},
      read_container_data: {},
      read_event_metadata: {},
      return_response: {},
      run_container: {},
    });
  });

  it('a non-constant argument is an error naming the call and the JSON to declare, unless declared', () => {
    const code =
      req('getEventData', 'getRequestHeader', 'sendHttpRequest', 'getCookieValues', 'BigQuery') +
      "getEventData(data.key);\ngetRequestHeader(data.header);\nsendHttpRequest(data.url);\ngetCookieValues(data.cookie);\nBigQuery.insert({ datasetId: data.ds, tableId: 't' }, []);";
    const { errors } = infer(code);
    expect(errors).toEqual([
      'getEventData(…): argument 1 (data.key) is not a constant string, so the compiler cannot infer the read_event_data permission it needs | declare it in template.json: "permissions": { "read_event_data": { "eventDataAccess": "specific", "keyPatterns": ["event_name"] } }',
      expect.stringMatching(
        /^getRequestHeader\(…\): argument 1 \(data\.header\) is not a constant string, .* \| declare it in template\.json: "permissions": \{ "read_request"/,
      ),
      expect.stringMatching(
        /^sendHttpRequest\(…\): the URL, argument 1 \(data\.url\), does not start with a constant https:\/\/host\/ prefix, .*"send_http"/,
      ),
      expect.stringMatching(
        /^getCookieValues\(…\): argument 1 \(data\.cookie\) is not a constant string, .*"get_cookies"/,
      ),
      expect.stringMatching(
        /^BigQuery\.insert\(…\): the 'datasetId' of argument 1 \(\{ datasetId: data\.ds, tableId: 't' \}\) is not a constant string, .*"access_bigquery"/,
      ),
    ]);
    const declared = infer(code, {
      read_event_data: { eventDataAccess: 'any' },
      read_request: { headerAccess: 'any', headersAllowed: true },
      send_http: { allowedUrls: 'any' },
      get_cookies: { cookieAccess: 'any' },
      access_bigquery: {
        allowedTables: [{ projectId: '*', datasetId: '*', tableId: 't', operation: 'write' }],
      },
    });
    expect(declared.errors).toEqual([]);
    expect(declared.params.read_event_data).toEqual({ eventDataAccess: 'any' });
    expect(declared.params.read_request).toMatchObject({ headerAccess: 'any', headersAllowed: true });
    expect(declared.params.send_http).toEqual({ allowedUrls: 'any' });
  });

  it('a declared list is used as declared (it holds the inferred entries here)', () => {
    const { params } = infer(req('getRequestHeader') + "getRequestHeader('referer');", {
      read_request: { headerWhitelist: [{ headerName: 'referer' }, { headerName: 'x-gtm-api-key' }] },
    });
    expect(params.read_request!.headerWhitelist).toEqual([
      { headerName: 'referer' },
      { headerName: 'x-gtm-api-key' },
    ]);
  });

  it('in a project, the error points at the TypeScript call', async () => {
    const result = await compileMemory(
      {
        'src/main.ts':
          "import { getEventData } from 'gtm';\nimport type { TagData } from 'gtm';\nimport type { Fields } from './fields';\n" +
          'export default function main(data: TagData<Fields>): void {\n  const key = data.name ?? "x";\n  getEventData(key);\n  data.gtmOnSuccess();\n}\n',
      },
      { context: 'SERVER' },
    );
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'permissions/not-inferable', file: 'src/main.ts', line: 6, column: 3 }),
    ]);
  });
});

describe('inferred server permissions against the runtime', () => {
  it('a tag calling every server API with constant arguments runs without a permission denial', async () => {
    const body = [
      "  getEventData('event_name'); getAllEventData();",
      "  getRequestHeader('user-agent'); getRequestBody(); getRequestPath(); getRequestMethod();",
      "  getRequestQueryParameter('gclid'); getRequestQueryParameters(); getRequestQueryString(); getRemoteAddress();",
      '  isRequestMpv1(); isRequestMpv2();',
      "  getCookieValues('_ga'); setCookie('_ga', 'v', { domain: 'auto', path: '/', secure: true });",
      "  setResponseHeader('x-a', '1'); setResponseStatus(204); setResponseBody('ok'); setPixelResponse();",
      "  sendHttpGet('https://api.example.com/ping', { timeout: 100 });",
      "  sendHttpRequest('https://api.example.com/v1/events?x=' + data.name, () => {}, { method: 'POST' }, '{}');",
      "  sendPixelFromBrowser('https://px.example.com/p.gif');",
      "  BigQuery.insert({ datasetId: 'ds', tableId: 't' }, [{ a: 1 }]);",
      "  Firestore.read('users/u1'); Firestore.write('users/u1', { a: 1 }); Firestore.query('logs', []);",
      "  getGoogleAuth({ scopes: ['https://www.googleapis.com/auth/datastore'] });",
      "  hmacSha256('data', 'key-1');",
      "  addMessageListener('done', () => {}); hasMessageListener('done'); sendMessage('done', {});",
      "  templateDataStorage.setItemCopy('k', 1); getContainerVersion(); addEventCallback(() => {});",
      "  logToConsole('x');",
      '  data.gtmOnSuccess();',
    ].join('\n');
    const apis =
      'addEventCallback, addMessageListener, BigQuery, Firestore, getAllEventData, getContainerVersion, getCookieValues, getEventData, getGoogleAuth, getRemoteAddress, getRequestBody, getRequestHeader, getRequestMethod, getRequestPath, getRequestQueryParameter, getRequestQueryParameters, getRequestQueryString, hasMessageListener, hmacSha256, isRequestMpv1, isRequestMpv2, logToConsole, sendHttpGet, sendHttpRequest, sendMessage, sendPixelFromBrowser, setCookie, setPixelResponse, setResponseBody, setResponseHeader, setResponseStatus, templateDataStorage';
    const result = await compileMemory(
      {
        'src/main.ts':
          `import { ${apis} } from 'gtm';\nimport type { TagData } from 'gtm';\nimport type { Fields } from './fields';\n` +
          `export default function main(data: TagData<Fields>): void {\n${body}\n}\n`,
      },
      { context: 'SERVER' },
    );
    expect(result.errors).toEqual([]);
    const run = runTemplate(
      result.template!,
      { name: 'n' },
      {
        debugMode: true,
        server: {
          http: { 'https://': { statusCode: 200 } },
          keys: { 'key-1': 'secret' },
          projectId: 'p',
          firestore: { 'users/u1': { a: 0 }, 'logs/l1': { a: 1 } },
        },
      },
    );
    expect(run.error, run.error).toBeUndefined();
    expect(run.outcome).toBe('success');
  });
});
