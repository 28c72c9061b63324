// The negative suite: valid templates the suite writes itself, each mutated with one violation,
// each of which must be reported with the expected code at the line of the injected text.
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { makePermission } from '../../src/gtm/typed-value.js';
import {
  BASES,
  SERVER_TAG,
  SERVER_TAG_PERMISSIONS,
  SERVER_VARIABLE,
  WEB_TAG,
  WEB_TAG_PERMISSIONS,
  WEB_VARIABLE,
} from './fixtures.js';

/** 1-based line of the `occurrence`-th line containing `needle`. */
function lineOf(text: string, needle: string, occurrence = 1): number {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.includes(needle) && ++seen === occurrence) return i + 1;
  }
  throw new Error(`mutant is broken: ${JSON.stringify(needle)} not found`);
}

/** Replaces exactly one occurrence, so a fixture edit cannot silently turn a mutant into a no-op. */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at === -1 || text.indexOf(from, at + 1) !== -1)
    throw new Error(`mutant is broken: ${JSON.stringify(from)} must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

interface Mutant {
  name: string;
  base?: string;
  mutate: (text: string) => string;
  code: string;
  severity?: 'error' | 'warning';
  /** The line the finding must be on: the line containing this text in the mutated file. */
  at: string | ((mutated: string) => number);
  /** What the finding on that line must say, where the wording is the point. */
  message?: RegExp;
}

/** The web tag with permission `id` as GTM writes one it added itself: `"param": []`. */
const withEmptyParams = (id: string) => (t: string) => {
  const permissions = JSON.parse(WEB_TAG_PERMISSIONS) as {
    instance: { key: { publicId: string }; param: unknown[] };
  }[];
  permissions.find((p) => p.instance.key.publicId === id)!.instance.param = [];
  return replaceOnce(t, WEB_TAG_PERMISSIONS, JSON.stringify(permissions, null, 2));
};
/** The web tag with one more permission entry. */
const withPermission = (permission: unknown) => (t: string) =>
  replaceOnce(
    t,
    WEB_TAG_PERMISSIONS,
    JSON.stringify([...JSON.parse(WEB_TAG_PERMISSIONS), permission], null, 2),
  );
const inCode = (after: string, line: string) => (t: string) => replaceOnce(t, after, `${after}\n${line}`);
const HOST = "const host = 'https://service.example.com';";
const SERVER_ENDPOINT = "const endpoint = 'https://collect.example.com/v1/events';";
/** The send_http permission of SERVER_TAG with "Allow Google Domains" ticked. */
const withGoogleDomains = (permissions: string): string =>
  permissions.replace(
    '"key": "urls",',
    '"key": "allowGoogleDomains",\n          "value": { "type": 8, "boolean": true }\n        },\n        {\n          "key": "urls",',
  );
const loggingPermission = JSON.stringify(makePermission('get_referrer', { urlParts: 'any' }), null, 2);

const MUTANTS: Mutant[] = [
  // Sandboxed JavaScript
  { name: 'new', mutate: inCode(HOST, 'const now = new Date();'), code: 'js/no-new', at: 'new Date' },
  {
    name: 'this',
    mutate: inCode(HOST, 'const self = function () { return this; };'),
    code: 'js/no-this',
    at: 'return this',
  },
  {
    name: 'regex literal',
    mutate: inCode(HOST, 'const re = /^a+$/;'),
    code: 'js/no-regex-literal',
    at: '/^a+$/',
  },
  {
    name: 'template literal',
    mutate: inCode(HOST, 'const u = `${host}/x`;'),
    code: 'js/no-template-literal',
    at: '`${host}',
  },
  {
    name: 'try',
    mutate: inCode(HOST, 'try { log(1); } catch (e) { log(e); }'),
    code: 'js/no-try',
    at: 'try {',
  },
  {
    name: 'throw',
    mutate: inCode(HOST, "if (!data.accountId) throw 'no id';"),
    code: 'js/no-throw',
    at: 'throw',
  },
  { name: 'class', mutate: inCode(HOST, 'class Queue {}'), code: 'js/no-class', at: 'class Queue' },
  {
    name: 'spread',
    mutate: inCode(HOST, 'const all = [...data.properties];'),
    code: 'js/no-spread',
    at: '[...data',
  },
  {
    name: 'destructuring',
    mutate: inCode(HOST, 'const { mode } = data;'),
    code: 'js/no-destructuring',
    at: '{ mode }',
  },
  {
    name: 'getter',
    mutate: inCode(HOST, 'const o = { get id() { return 1; } };'),
    code: 'js/no-accessor',
    at: 'get id()',
  },
  {
    name: 'generator',
    mutate: inCode(HOST, 'function* ids() { yield 1; }'),
    code: 'js/no-generator',
    at: 'function*',
  },
  {
    name: 'async',
    mutate: inCode(HOST, 'const f = async function () { return 1; };'),
    code: 'js/no-async',
    at: 'async function',
  },
  {
    name: 'default parameter',
    mutate: inCode(HOST, 'function f(a = 1) { return a; }'),
    code: 'js/no-default-param',
    at: 'a = 1',
  },
  {
    name: '?? operator',
    mutate: inCode(HOST, "const m = data.mode ?? 'submit';"),
    code: 'js/unsupported-syntax',
    at: '??',
  },
  {
    name: 'undeclared browser global',
    mutate: inCode(HOST, 'const n = Math.floor(2.5);'),
    code: 'js/undeclared-variable',
    at: 'Math.floor',
  },
  {
    // NaN and Infinity are values the sandbox has; the global functions around them are not.
    name: 'global isNaN function',
    mutate: inCode(HOST, 'const bad = isNaN(data.x);'),
    code: 'js/undeclared-variable',
    at: 'isNaN(data',
  },
  {
    name: 'misspelt binding',
    mutate: inCode(HOST, "lgo('starting');"),
    code: 'js/undeclared-variable',
    at: "lgo('",
  },
  {
    // An arrow has its own `arguments` (GTM); the top level of the code has none.
    name: 'arguments at the top level',
    mutate: inCode(HOST, 'const count = arguments.length;'),
    code: 'js/undeclared-variable',
    at: 'arguments.length',
  },
  { name: 'syntax error', mutate: inCode(HOST, 'const = 1;'), code: 'js/syntax', at: 'const = 1' },
  {
    // GTM takes an arrow as the right operand of an operator; an arrow followed by one stays an error.
    name: 'arrow function followed by an operator',
    mutate: inCode(HOST, 'const pick = () => {} || data.x;'),
    code: 'js/syntax',
    at: 'const pick',
  },
  {
    name: 'non-whitelisted method',
    mutate: inCode(HOST, "const ok = host.startsWith('https');"),
    code: 'js/non-whitelisted-method',
    severity: 'warning',
    at: 'startsWith',
  },
  {
    name: 'a method the API object does not have',
    mutate: inCode(HOST, "const J = require('JSON'); J.encode({});"),
    code: 'js/unknown-api-member',
    severity: 'warning',
    at: 'J.encode(',
  },
  {
    name: 'reading a field the form does not have',
    mutate: inCode(HOST, "log('account', data.acountId);"),
    code: 'js/unknown-data-field',
    severity: 'warning',
    at: 'data.acountId',
  },
  {
    name: 'server API in a web template',
    mutate: inCode(HOST, "const getEventData = require('getEventData');"),
    code: 'js/api-wrong-context',
    at: "require('getEventData')",
  },

  // Code against permissions
  {
    // GTM adds a missing permission itself on import (with its default configuration): a warning.
    name: 'API without its permission',
    mutate: inCode(HOST, "const getUrl = require('getUrl');"),
    code: 'code-permissions/missing-permission',
    severity: 'warning',
    at: "require('getUrl')",
  },
  {
    // …but what that default denies still fails at run time.
    name: 'undeclared access_globals: a global its default (no keys) denies',
    mutate: (t) => replaceOnce(t, '"publicId": "access_globals"', '"publicId": "read_title"'),
    code: 'code-permissions/global-not-allowed',
    at: "copyFromWindow('_ex')",
  },
  {
    name: 'undeclared inject_script: a script URL its default (no URLs) denies',
    mutate: (t) => replaceOnce(t, '"publicId": "inject_script"', '"publicId": "read_title"'),
    code: 'code-permissions/url-not-allowed',
    at: "injectScript(host + '/client/'",
  },
  {
    // GTM saves a permission it added itself as "param": []: a warning at the permission…
    name: 'access_globals without keys',
    mutate: withEmptyParams('access_globals'),
    code: 'permissions/missing-param',
    severity: 'warning',
    at: '"param": []',
  },
  {
    // An entry without "param" reads as "param": [] (protocol-buffer JSON); one whose "param" is
    // not a list is still malformed.
    name: 'permission "param" not a list',
    mutate: (t) => {
      const permissions = JSON.parse(WEB_TAG_PERMISSIONS) as {
        instance: { key: { publicId: string }; param: unknown };
      }[];
      const entry = permissions.find((p) => p.instance.key.publicId === 'access_globals')!;
      entry.instance.param = { keys: entry.instance.param };
      return replaceOnce(t, WEB_TAG_PERMISSIONS, JSON.stringify(permissions, null, 2));
    },
    code: 'permissions/invalid-envelope',
    // The finding is at the entry's opening brace, the nearest "  {" above its publicId.
    at: (m) => {
      const lines = m.split('\n');
      let i = lineOf(m, '"publicId": "access_globals"') - 1;
      while (lines[i] !== '  {') i--;
      return i + 1;
    },
  },
  {
    name: 'permission without "param": read as empty, so access_globals allows no key',
    mutate: (t) => {
      const permissions = JSON.parse(WEB_TAG_PERMISSIONS) as {
        instance: { key: { publicId: string }; param?: unknown[] };
      }[];
      delete permissions.find((p) => p.instance.key.publicId === 'access_globals')!.instance.param;
      return replaceOnce(t, WEB_TAG_PERMISSIONS, JSON.stringify(permissions, null, 2));
    },
    code: 'code-permissions/global-not-allowed',
    at: "setInWindow('_ex._c'",
  },
  {
    // gtm.js asks access_globals for readwrite on setInWindow's key (docs/runtime.md): a key
    // declared write-only is denied.
    name: 'setInWindow key declared write-only',
    mutate: (t) => {
      const permissions = JSON.parse(WEB_TAG_PERMISSIONS) as {
        instance: {
          key: { publicId: string };
          param: { value: { listItem: { mapValue: { string?: string; boolean?: boolean }[] }[] } }[];
        };
      }[];
      const keys = permissions.find((p) => p.instance.key.publicId === 'access_globals')!.instance.param[0]!
        .value.listItem;
      const entry = keys.find((k) => k.mapValue[0]!.string === '_ex._c')!;
      entry.mapValue[1]!.boolean = false;
      return replaceOnce(t, WEB_TAG_PERMISSIONS, JSON.stringify(permissions, null, 2));
    },
    code: 'code-permissions/global-not-allowed',
    at: "setInWindow('_ex._c'",
  },
  {
    // …and an error at each call it denies.
    name: 'access_globals without keys: the calls it denies',
    mutate: withEmptyParams('access_globals'),
    code: 'code-permissions/global-not-allowed',
    at: "setInWindow('_ex._c'",
  },
  {
    // gtm.js never allows the whole URL with URL parts "specific", even with every part allowed.
    name: 'whole URL with URL parts specific',
    mutate: (t) =>
      withPermission(
        makePermission('get_url', {
          urlParts: 'specific',
          ...Object.fromEntries(
            ['protocol', 'host', 'port', 'path', 'query', 'extension', 'fragment'].map((c) => [c, true]),
          ),
          queriesAllowed: 'any',
        }),
      )(inCode(HOST, "const page = require('getUrl')();")(t)),
    code: 'code-permissions/argument-not-allowed',
    at: "require('getUrl')()",
  },
  {
    // Query keys limit reads with URL parts "specific" and queries "specific" (gtm.js's assert).
    name: 'query key not listed',
    mutate: (t) =>
      withPermission(
        makePermission('get_url', {
          urlParts: 'specific',
          query: true,
          queriesAllowed: 'specific',
          queryKeys: ['a'],
        }),
      )(inCode(HOST, "const b = require('getQueryParameters')('b');")(t)),
    code: 'code-permissions/argument-not-allowed',
    at: "require('getQueryParameters')('b')",
  },
  {
    // setDefaultConsentState / updateConsentState write each consent type their settings name.
    name: 'consent type written without write access',
    mutate: (t) =>
      withPermission(
        makePermission('access_consent', {
          consentTypes: [{ consentType: 'ad_storage', read: true, write: false }],
        }),
      )(
        inCode(HOST, "require('setDefaultConsentState')({ ad_storage: 'denied', wait_for_update: 500 });")(t),
      ),
    code: 'code-permissions/argument-not-allowed',
    at: "require('setDefaultConsentState')",
  },
  {
    name: 'global not listed',
    mutate: inCode(HOST, "const other = copyFromWindow('otherGlobal');"),
    code: 'code-permissions/global-not-allowed',
    at: "copyFromWindow('otherGlobal')",
  },
  {
    name: 'global without execute',
    mutate: inCode(HOST, "callInWindow('_ex._c');"),
    code: 'code-permissions/global-not-allowed',
    at: "callInWindow('_ex._c')",
  },
  {
    name: 'queue key without write',
    mutate: inCode(HOST, "const q2 = createArgumentsQueue('_ex', '_ex._q');"),
    code: 'code-permissions/global-not-allowed',
    at: "'_ex._q'",
  },
  {
    name: 'script URL outside the patterns',
    mutate: inCode(
      HOST,
      "injectScript('https://evil.example.org/x.js', data.gtmOnSuccess, data.gtmOnFailure);",
    ),
    code: 'code-permissions/url-not-allowed',
    at: 'evil.example.org',
  },
  {
    // A `*.host` pattern covers the host itself (gtm.js), but not a host that merely ends in it.
    name: 'script URL on a lookalike of a *.host pattern',
    mutate: (t) =>
      inCode(
        HOST,
        "injectScript('https://evilservice.example.com/client/x.js', null, null);",
      )(replaceOnce(t, 'https://service.example.com/client/*', 'https://*.service.example.com/client/*')),
    code: 'code-permissions/url-not-allowed',
    at: 'evilservice.example.com',
  },
  {
    name: 'script URL prefix outside the patterns',
    mutate: (t) => replaceOnce(t, HOST, "const host = 'https://cdn.example.com';"),
    code: 'code-permissions/url-not-allowed',
    at: "injectScript(host + '/client/'",
  },
  {
    name: 'pixel URL outside the patterns',
    mutate: (t) =>
      replaceOnce(
        t,
        "sendPixel('https://pixel.example.com/collect",
        "sendPixel('https://pixel.example.net/collect",
      ),
    code: 'code-permissions/url-not-allowed',
    at: 'pixel.example.net',
  },
  {
    name: 'logToConsole without logging',
    mutate: (t) => replaceOnce(t, '"publicId": "logging"', '"publicId": "read_title"'),
    code: 'code-permissions/missing-permission',
    severity: 'warning',
    at: "require('logToConsole')",
  },
  {
    name: 'unused permission',
    mutate: (t) => replaceOnce(t, '\n]\n\n\n___TESTS___', `,\n${loggingPermission}\n]\n\n\n___TESTS___`),
    code: 'code-permissions/unused-permission',
    severity: 'warning',
    at: '"publicId": "get_referrer"',
  },

  // Tags
  {
    name: 'tag that never completes',
    mutate: (t) =>
      replaceOnce(
        replaceOnce(t, 'data.gtmOnSuccess, data.gtmOnFailure,', 'null, null,'),
        '} else {\n  data.gtmOnSuccess();\n}',
        '}',
      ),
    code: 'tag/no-completion-callback',
    at: '___SANDBOXED_JS_FOR_WEB_TEMPLATE___',
  },

  // Structure
  {
    name: 'duplicate section',
    mutate: (t) => t + '___NOTES___\n\nAgain.\n',
    code: 'structure/duplicate-section',
    at: (t) => lineOf(t, '___NOTES___', 2),
  },
  {
    name: 'missing parameters section',
    mutate: (t) => t.replace(/___TEMPLATE_PARAMETERS___[\s\S]*?(?=___SANDBOXED_JS)/, ''),
    code: 'structure/missing-section',
    at: '___TERMS_OF_SERVICE___',
  },
  {
    name: 'unknown section',
    mutate: (t) => replaceOnce(t, '___NOTES___', '___VENDOR_DETAILS___\n\n{}\n\n\n___NOTES___'),
    code: 'structure/unknown-section',
    severity: 'warning',
    at: '___VENDOR_DETAILS___',
  },
  {
    name: 'web sections in a server template',
    mutate: (t) => replaceOnce(t, '    "WEB"\n', '    "SERVER"\n'),
    code: 'structure/context-mismatch',
    at: '___SANDBOXED_JS_FOR_WEB_TEMPLATE___',
  },
  {
    name: 'web and server code in one template',
    mutate: (t) =>
      replaceOnce(
        t,
        '___WEB_PERMISSIONS___',
        '___SANDBOXED_JS_FOR_SERVER___\n\nreturn 1;\n\n\n___WEB_PERMISSIONS___',
      ),
    code: 'structure/context-mismatch',
    at: '___SANDBOXED_JS_FOR_SERVER___',
  },
  {
    name: 'marker in the wrong case',
    mutate: (t) => replaceOnce(t, '___NOTES___', '___Notes___'),
    code: 'structure/malformed-marker',
    severity: 'warning',
    at: '___Notes___',
  },
  {
    name: 'no markers at all',
    mutate: () => 'just some text\n',
    code: 'structure/no-sections',
    at: 'just some text',
  },

  // ___INFO___
  {
    name: 'INFO is not JSON',
    mutate: (t) => replaceOnce(t, '"version": 1,', '"version": 1'),
    code: 'info/invalid-json',
    at: '"securityGroups"',
  },
  {
    // GTM (Gson) reads a raw line break inside a string; still reported, as a warning.
    name: 'a raw line break inside a JSON string',
    mutate: (t) =>
      replaceOnce(
        t,
        '"description": "A tag the checker tests mutate."',
        '"description": "A tag the\nchecker tests mutate."',
      ),
    code: 'structure/nonstandard-json',
    severity: 'warning',
    at: '"description": "A tag the',
  },
  {
    name: 'unknown type',
    mutate: (t) => replaceOnce(t, '"type": "TAG"', '"type": "WIDGET"'),
    code: 'info/invalid-type',
    at: '"WIDGET"',
  },
  {
    name: 'unknown container context',
    mutate: (t) =>
      replaceOnce(t, '"containerContexts": [\n    "WEB"', '"containerContexts": [\n    "MOBILE"'),
    code: 'info/invalid-container-contexts',
    at: '"containerContexts"',
  },
  {
    // Published files carry a URL or a file name and GTM is not known to refuse one: a warning.
    name: 'thumbnail that is not a data URI',
    mutate: (t) => replaceOnce(t, '"thumbnail": ""', '"thumbnail": "https://example.com/logo.png"'),
    code: 'info/thumbnail-not-data-uri',
    severity: 'warning',
    at: 'logo.png',
  },
  {
    name: 'thumbnail that is not a string',
    mutate: (t) => replaceOnce(t, '"thumbnail": ""', '"thumbnail": 42'),
    code: 'info/invalid-thumbnail',
    at: '42',
  },
  {
    name: 'unknown category',
    mutate: (t) => replaceOnce(t, '"CHAT"', '"GAMES"'),
    code: 'info/unknown-category',
    severity: 'warning',
    at: '"GAMES"',
  },
  {
    // GTM accepts a localised description object; anything else is still reported (a warning).
    name: 'description neither text nor localised text',
    mutate: (t) =>
      replaceOnce(t, '"description": "A tag the checker tests mutate."', '"description": ["A", "tag"]'),
    code: 'info/invalid-description',
    severity: 'warning',
    at: '"description": [',
  },
  {
    name: 'categories not a list',
    mutate: (t) => replaceOnce(t, '"categories": [\n    "CHAT"\n  ]', '"categories": "CHAT"'),
    code: 'info/invalid-categories',
    at: '"categories"',
  },
  {
    name: 'missing display name',
    mutate: (t) => replaceOnce(t, '"displayName": "Example Tag"', '"displayName": ""'),
    code: 'info/missing-display-name',
    at: '"displayName": ""',
  },

  // ___TEMPLATE_PARAMETERS___
  {
    name: 'unknown field type',
    mutate: (t) => replaceOnce(t, '"type": "CHECKBOX"', '"type": "DATE"'),
    code: 'params/unknown-type',
    at: '"DATE"',
  },
  {
    name: 'duplicate name across a group',
    mutate: (t) => replaceOnce(t, '"name": "clientHost"', '"name": "accountId"'),
    code: 'params/duplicate-name',
    at: (t) => lineOf(t, '"name": "accountId"', 2),
  },
  {
    name: 'field without a name',
    mutate: (t) => replaceOnce(t, '"name": "loadClient",\n', ''),
    code: 'params/missing-name',
    at: (t) => lineOf(t, '"type": "CHECKBOX"') - 1,
  },
  {
    // GTM saves conditions on renamed or deleted fields (real exports): a warning, still reported.
    name: 'condition on a missing field',
    mutate: (t) => replaceOnce(t, '"paramName": "loadClient"', '"paramName": "loadClients"'),
    code: 'params/unknown-condition-field',
    severity: 'warning',
    at: '"loadClients"',
  },
  {
    // Column validators may name a sibling column; a name that is no column nor field still warns.
    name: 'column validator conditioned on a missing column',
    mutate: (t) =>
      replaceOnce(
        t,
        '"name": "value", "type": "TEXT" }',
        '"name": "value", "type": "TEXT", "valueValidators": [{ "type": "NON_EMPTY", "enablingConditions": [{ "paramName": "kee", "paramValue": "x", "type": "EQUALS" }] }] }',
      ),
    code: 'params/unknown-condition-field',
    severity: 'warning',
    at: '"kee"',
  },
  {
    // IS_MACRO_REFERENCE is accepted (GTM exports have it); a type no export has still warns.
    name: 'condition type GTM does not write',
    mutate: (t) =>
      replaceOnce(t, '"paramValue": "submit", "type": "EQUALS"', '"paramValue": "", "type": "IS_MACRO_REF"'),
    code: 'params/unknown-condition-type',
    severity: 'warning',
    at: '"IS_MACRO_REF"',
  },
  {
    name: 'condition value a select never has',
    mutate: (t) => replaceOnce(t, '"paramValue": "submit"', '"paramValue": "sumbit"'),
    code: 'params/impossible-condition-value',
    severity: 'warning',
    at: '"sumbit"',
  },
  {
    name: 'checkbox compared with a string',
    mutate: (t) => replaceOnce(t, '"paramValue": true', '"paramValue": "true"'),
    code: 'params/impossible-condition-value',
    severity: 'warning',
    at: '"paramValue": "true"',
  },
  {
    name: 'regex that does not compile',
    mutate: (t) => replaceOnce(t, '"^[0-9]+$"', '"^[0-9+$"'),
    code: 'params/invalid-regex',
    at: '"^[0-9+$"',
  },
  {
    name: 'row count min above max',
    mutate: (t) => replaceOnce(t, '"args": [0, 20]', '"args": [20, 0]'),
    code: 'params/invalid-validator-args',
    at: '"args": [20, 0]',
  },
  {
    name: 'duplicate column name',
    mutate: (t) => replaceOnce(t, '"name": "value", "type": "TEXT" }', '"name": "key", "type": "TEXT" }'),
    code: 'params/duplicate-column-name',
    at: '"displayName": "Value"',
  },
  {
    name: 'select without items',
    mutate: (t) =>
      replaceOnce(
        t,
        '"selectItems": [\n      { "value": "submit"',
        '"selectItemz": [\n      { "value": "submit"',
      ),
    code: 'params/missing-items',
    at: (t) => lineOf(t, '"type": "SELECT"') - 1,
  },
  {
    name: 'select default that is not an option',
    mutate: (t) => replaceOnce(t, '"defaultValue": "submit"', '"defaultValue": "submitt"'),
    code: 'params/default-not-an-option',
    severity: 'warning',
    at: '"submitt"',
  },
  {
    name: 'parameters are not JSON',
    mutate: (t) => replaceOnce(t, '{ "type": "NON_EMPTY" },', '{ "type": "NON_EMPTY" },,'),
    code: 'params/invalid-json',
    at: '"NON_EMPTY" },,',
  },
  {
    name: 'a field option GTM does not have',
    mutate: (t) =>
      replaceOnce(t, '"groupStyle": "ZIPPY_CLOSED"', '"groupStyle": "ZIPPY_CLOSED",\n      "required": true'),
    code: 'params/unknown-key',
    severity: 'warning',
    at: '"required": true',
  },
  {
    name: 'unknown group style',
    mutate: (t) => replaceOnce(t, '"ZIPPY_CLOSED"', '"ZIPPY_SIDEWAYS"'),
    code: 'params/invalid-group-style',
    severity: 'warning',
    at: 'ZIPPY_SIDEWAYS',
  },

  // Permissions
  {
    name: 'bad typed value',
    mutate: (t) =>
      replaceOnce(
        t,
        '"type": 1,\n            "string": "debug"',
        '"type": 9,\n            "string": "debug"',
      ),
    code: 'permissions/invalid-typed-value',
    at: '"type": 9',
  },
  {
    name: 'unknown logging environment',
    mutate: (t) => replaceOnce(t, '"string": "debug"', '"string": "sometimes"'),
    code: 'permissions/invalid-param',
    at: '"string": "sometimes"',
  },
  {
    name: 'duplicate permission',
    mutate: (t) =>
      replaceOnce(
        t,
        '\n]\n\n\n___TESTS___',
        `,\n${JSON.stringify(makePermission('logging', { environments: 'all' }), null, 2)}\n]\n\n\n___TESTS___`,
      ),
    code: 'permissions/duplicate',
    at: (t) => lineOf(t, '"publicId": "logging"', 2),
  },
  {
    name: 'URL pattern without a scheme',
    mutate: (t) => replaceOnce(t, '"https://service.example.com/client/*"', '"service.example.com/client/*"'),
    code: 'permissions/invalid-url-pattern',
    at: '"service.example.com/client/*"',
  },
  {
    name: 'permission envelope without publicId',
    mutate: (t) => replaceOnce(t, '"publicId": "send_pixel"', '"publicID": "send_pixel"'),
    code: 'permissions/invalid-envelope',
    at: (t) => lineOf(t, '"publicID": "send_pixel"') - 3,
  },

  // ___TESTS___
  {
    name: 'tests are not YAML',
    mutate: (t) => replaceOnce(t, '- name: removes', '- name: removes\n name: broken'),
    code: 'tests/invalid-yaml',
    at: ' name: broken',
  },
  {
    // SnakeYAML reads an under-indented quoted line, not a quote that never closes.
    name: 'a quoted scenario that never closes',
    mutate: (t) =>
      replaceOnce(
        t,
        "  code: |-\n    runCode({ accountId: shared, mode: 'remove' });",
        '  code: "runCode({ accountId: shared,\n\\ mode: remove });',
      ),
    code: 'tests/invalid-yaml',
    // Reported where the section ends without the closing quote.
    at: "const shared = '1';",
  },
  {
    name: 'unknown tests key',
    mutate: (t) => replaceOnce(t, 'setup: |-', 'teardown: nothing\nsetup: |-'),
    code: 'tests/unknown-key',
    at: 'teardown',
  },
  {
    name: 'duplicate scenario name',
    mutate: (t) => replaceOnce(t, '- name: removes', '- name: submits'),
    code: 'tests/duplicate-name',
    at: (t) => lineOf(t, '- name: submits', 2),
  },
  {
    name: 'scenario without code',
    mutate: (t) => replaceOnce(t, 'setup: |-', '- name: empty\nsetup: |-'),
    code: 'tests/missing-code',
    at: '- name: empty',
  },
  {
    name: 'scenario code that does not parse',
    mutate: (t) => replaceOnce(t, '    runCode(mockData);', '    runCode(mockData;'),
    code: 'js/syntax',
    at: 'runCode(mockData;',
  },
  {
    name: 'scenario code with an undeclared name',
    mutate: (t) => replaceOnce(t, 'accountId: shared,', 'accountId: shard,'),
    code: 'js/undeclared-variable',
    at: 'accountId: shard,',
  },
  {
    name: 'scenario mocking a name require() does not accept',
    mutate: (t) =>
      replaceOnce(t, '    runCode(mockData);', "    mock('sendPixl', true);\n    runCode(mockData);"),
    code: 'tests/mock-unknown-api',
    severity: 'warning',
    at: "'sendPixl'",
  },
  {
    name: 'scenario asserting with a method the test API does not have',
    mutate: (t) =>
      replaceOnce(
        t,
        '    runCode(mockData);',
        "    runCode(mockData);\n    assertThat(mockData).excludes('x');",
      ),
    code: 'tests/unknown-assertion',
    severity: 'warning',
    at: 'excludes',
  },
  {
    // Setup's require('Object') makes Object.keys an API method in every scenario; not Object.assign.
    name: 'scenario calling a method the API that setup requires does not have',
    mutate: (t) =>
      replaceOnce(
        replaceOnce(t, "  const shared = '1';", "  const shared = '1';\n  const Object = require('Object');"),
        '    runCode(mockData);',
        '    runCode(Object.assign(mockData, {}));',
      ),
    code: 'js/unknown-api-member',
    severity: 'warning',
    at: 'Object.assign',
  },

  // The web variable
  {
    name: 'variable using this',
    base: WEB_VARIABLE,
    mutate: (t) => replaceOnce(t, 'return text.toUpperCase();', 'return this.text;'),
    code: 'js/no-this',
    at: 'return this',
  },
  {
    name: 'variable calling a removed String method',
    base: WEB_VARIABLE,
    mutate: (t) => replaceOnce(t, 'return text.toUpperCase();', "return text.padStart(4, '0');"),
    code: 'js/non-whitelisted-method',
    severity: 'warning',
    at: 'padStart',
  },

  // The server variable
  {
    name: 'web API in a server template',
    base: SERVER_VARIABLE,
    mutate: (t) =>
      replaceOnce(
        t,
        "const getEventData = require('getEventData');",
        "const getEventData = require('getEventData');\nconst injectScript = require('injectScript');",
      ),
    code: 'js/api-wrong-context',
    at: "require('injectScript')",
  },
  {
    name: 'server API without its permission',
    base: SERVER_VARIABLE,
    mutate: (t) => replaceOnce(t, '"publicId": "read_event_data"', '"publicId": "read_title"'),
    code: 'code-permissions/missing-permission',
    severity: 'warning',
    at: "require('getEventData')",
  },
  {
    name: 'server sections in a web template',
    base: SERVER_VARIABLE,
    mutate: (t) => replaceOnce(t, '"SERVER"', '"WEB"'),
    code: 'structure/context-mismatch',
    at: '___SANDBOXED_JS_FOR_SERVER___',
  },

  // The server tag: constant arguments against the server permissions
  {
    name: 'event data key not listed',
    base: SERVER_TAG,
    mutate: inCode(SERVER_ENDPOINT, "const secret = getEventData('user_data.email');"),
    code: 'code-permissions/argument-not-allowed',
    at: "getEventData('user_data.email')",
  },
  {
    name: 'all event data with specific keys only',
    base: SERVER_TAG,
    mutate: inCode(
      SERVER_ENDPOINT,
      "const getAllEventData = require('getAllEventData');\nconst all = getAllEventData();",
    ),
    code: 'code-permissions/argument-not-allowed',
    at: 'getAllEventData()',
  },
  {
    name: 'request header not listed',
    base: SERVER_TAG,
    mutate: inCode(SERVER_ENDPOINT, "const origin = getRequestHeader('origin');"),
    code: 'code-permissions/argument-not-allowed',
    at: "getRequestHeader('origin')",
  },
  {
    name: 'request body without bodyAllowed',
    base: SERVER_TAG,
    mutate: inCode(
      SERVER_ENDPOINT,
      "const getRequestBody = require('getRequestBody');\nconst raw = getRequestBody();",
    ),
    code: 'code-permissions/argument-not-allowed',
    at: 'getRequestBody()',
  },
  {
    // isRequestMpv1/2 ask nothing; reading the Measurement Protocol events still needs the body.
    name: 'Measurement Protocol events without body access',
    base: SERVER_TAG,
    mutate: inCode(
      SERVER_ENDPOINT,
      "const extractEventsFromMpv2 = require('extractEventsFromMpv2');\nconst events = extractEventsFromMpv2();",
    ),
    code: 'code-permissions/argument-not-allowed',
    at: 'extractEventsFromMpv2()',
  },
  {
    name: 'outgoing URL outside the send_http patterns',
    base: SERVER_TAG,
    mutate: (t) =>
      replaceOnce(t, SERVER_ENDPOINT, "const endpoint = 'https://collect.example.org/v1/events';"),
    code: 'code-permissions/url-not-allowed',
    at: 'sendHttpRequest(endpoint',
  },
  {
    name: 'outgoing URL on a look-alike of a Google country domain, Google domains allowed',
    base: SERVER_TAG,
    mutate: (t) =>
      replaceOnce(
        replaceOnce(t, SERVER_TAG_PERMISSIONS, withGoogleDomains(SERVER_TAG_PERMISSIONS)),
        SERVER_ENDPOINT,
        "const endpoint = 'https://www.google.de.example.org/ads/ga-audiences';",
      ),
    code: 'code-permissions/url-not-allowed',
    at: 'sendHttpRequest(endpoint',
  },
  {
    name: 'response header not listed',
    base: SERVER_TAG,
    mutate: inCode(SERVER_ENDPOINT, "setResponseHeader('set-cookie', 'a=1');"),
    code: 'code-permissions/argument-not-allowed',
    at: "setResponseHeader('set-cookie'",
  },
  {
    // setPixelResponse writes status, body and four headers: each must be allowed.
    name: 'pixel response without status and body access',
    base: SERVER_TAG,
    mutate: inCode(SERVER_ENDPOINT, "require('setPixelResponse')();"),
    code: 'code-permissions/argument-not-allowed',
    at: "require('setPixelResponse')()",
  },
  {
    name: 'cookie read not listed',
    base: SERVER_TAG,
    mutate: inCode(SERVER_ENDPOINT, "const other = getCookieValues('_other');"),
    code: 'code-permissions/argument-not-allowed',
    at: "getCookieValues('_other')",
  },
  {
    name: 'cookie written not listed',
    base: SERVER_TAG,
    mutate: inCode(SERVER_ENDPOINT, "setCookie('_other', '1');"),
    code: 'code-permissions/argument-not-allowed',
    at: "setCookie('_other'",
  },
  {
    name: 'web API in a server tag',
    base: SERVER_TAG,
    mutate: inCode(SERVER_ENDPOINT, "const copyFromWindow = require('copyFromWindow');"),
    code: 'js/api-wrong-context',
    at: "require('copyFromWindow')",
  },
  {
    // A hand-written permission (seen on an unseen template) listing URL patterns as maps
    // ({"url": …}): GTM's inject_script takes a list of strings.
    name: 'inject_script URL pattern written as a map',
    mutate: (t) => {
      const out = t.replace(
        /"type": 1,(\s*)"string": "https:\/\/service\.example\.com\/client\/\*"/,
        '"type": 3,$1"mapKey": [{ "type": 1, "string": "url" }],$1"mapValue": [{ "type": 1, "string": "https://service.example.com/client/*" }]',
      );
      expect(out).not.toBe(t);
      return out;
    },
    code: 'permissions/invalid-param',
    message: /"urls" of permission "inject_script" must be a list of strings; item 1 is a map\./,
    // Reported at the item (the `{` opening the map).
    at: (m) => {
      const lines = m.split('\n');
      let i = lineOf(m, '"string": "url"') - 1;
      while (!lines[i]!.includes('"type": 3')) i--;
      return i;
    },
  },
  {
    name: 'read_request header entry without a name',
    base: SERVER_TAG,
    mutate: (t) =>
      replaceOnce(
        t,
        SERVER_TAG_PERMISSIONS,
        SERVER_TAG_PERMISSIONS.replace('"string": "headerName"', '"string": "name"'),
      ),
    code: 'permissions/invalid-param',
    // Reported at the map item (the `{` opening the entry that lacks headerName).
    at: (m) => {
      const lines = m.split('\n');
      let i = lineOf(m, '"string": "name"') - 1;
      while (!lines[i]!.includes('"type": 3')) i--;
      return i; // the 1-based number of the line above "type": 3
    },
  },

  // The web tag: constant arguments of the other web APIs
  {
    name: 'data layer key not listed',
    mutate: (t) =>
      withPermission(
        makePermission('read_data_layer', { allowedKeys: 'specific', keyPatterns: ['ecommerce'] }),
      )(
        inCode(
          HOST,
          "const copyFromDataLayer = require('copyFromDataLayer');\nconst ev = copyFromDataLayer('event');",
        )(t),
      ),
    code: 'code-permissions/argument-not-allowed',
    at: "copyFromDataLayer('event')",
  },
  {
    // read_data_layer undeclared: GTM adds it with a configuration no export shows, so what "no
    // parameters" denies is only a warning…
    name: 'data layer key of an undeclared read_data_layer',
    mutate: inCode(
      HOST,
      "const copyFromDataLayer = require('copyFromDataLayer');\nconst ev = copyFromDataLayer('event');",
    ),
    code: 'code-permissions/unknown-default',
    severity: 'warning',
    at: "copyFromDataLayer('event')",
  },
  {
    name: 'consent type read without access_consent (its GTM default allows none)',
    mutate: inCode(
      HOST,
      "const isConsentGranted = require('isConsentGranted');\nconst ads = isConsentGranted('ad_storage');",
    ),
    code: 'code-permissions/argument-not-allowed',
    at: "isConsentGranted('ad_storage')",
  },
  {
    name: 'local storage key not listed',
    mutate: (t) =>
      withPermission(
        makePermission('access_local_storage', { keys: [{ key: 'ex_other', read: true, write: true }] }),
      )(
        inCode(
          HOST,
          "const localStorage = require('localStorage');\nconst saved = localStorage.getItem('ex_saved');",
        )(t),
      ),
    code: 'code-permissions/argument-not-allowed',
    at: "localStorage.getItem('ex_saved')",
  },
  {
    // …and so is a local storage key of an undeclared access_local_storage.
    name: 'local storage key of an undeclared access_local_storage',
    mutate: inCode(
      HOST,
      "const localStorage = require('localStorage');\nconst saved = localStorage.getItem('ex_saved');",
    ),
    code: 'code-permissions/unknown-default',
    severity: 'warning',
    at: "localStorage.getItem('ex_saved')",
  },
];

describe('one unreadable section, one finding (no follow-on findings)', () => {
  const errorsOf = (text: string) =>
    checkSource(text)
      .filter((d) => d.severity === 'error')
      .map((d) => d.code);
  it('permissions that are not JSON: no code-against-permissions findings', () => {
    const mutated = replaceOnce(WEB_TAG, '"publicId": "logging",', '"publicId": "logging",,');
    const found = checkSource(mutated);
    expect(errorsOf(mutated)).toEqual(['permissions/invalid-json']);
    expect(found.filter((d) => d.code.startsWith('code-permissions/'))).toEqual([]);
  });
  it('permissions that are not an array: no code-against-permissions findings', () => {
    const mutated = replaceOnce(WEB_TAG, WEB_TAG_PERMISSIONS, '{}');
    expect(errorsOf(mutated)).toEqual(['permissions/not-array']);
    expect(checkSource(mutated).filter((d) => d.code.startsWith('code-permissions/'))).toEqual([]);
  });
  it('a malformed access_globals entry: its own error, not one per call', () => {
    const permissions = JSON.parse(WEB_TAG_PERMISSIONS) as {
      instance: { key: { publicId: string }; param: { value: unknown }[] };
    }[];
    permissions.find((p) => p.instance.key.publicId === 'access_globals')!.instance.param[0]!.value = {
      type: 9,
    };
    const mutated = replaceOnce(WEB_TAG, WEB_TAG_PERMISSIONS, JSON.stringify(permissions, null, 2));
    expect(errorsOf(mutated)).toEqual(['permissions/invalid-typed-value']);
  });
  it('a malformed read_request entry: its own error, not one per header read', () => {
    const mutated = replaceOnce(
      SERVER_TAG,
      SERVER_TAG_PERMISSIONS,
      SERVER_TAG_PERMISSIONS.replace('"string": "headerName"', '"string": "name"'),
    );
    expect(errorsOf(mutated)).toEqual(['permissions/invalid-param']);
  });
  it('a form that is not JSON: no unknown-field findings in the code', () => {
    const mutated = replaceOnce(WEB_TAG, '{ "type": "NON_EMPTY" },', '{ "type": "NON_EMPTY" },,');
    const found = checkSource(mutated);
    expect(errorsOf(mutated)).toEqual(['params/invalid-json']);
    expect(found.filter((d) => d.code === 'js/unknown-data-field')).toEqual([]);
  });
});

describe('calls the permissions allow give no finding', () => {
  it.each([
    [
      'a call guarded by queryPermission',
      "if (queryPermission('get_cookies', '_other')) log(getCookieValues('_other'));",
    ],
    ['a key below an a.* pattern, and a itself', ''],
  ])('%s', (name, line) => {
    if (name.startsWith('a call guarded')) {
      const mutated = inCode(
        SERVER_ENDPOINT,
        "const queryPermission = require('queryPermission');\nconst log = require('logToConsole');\n" + line,
      )(SERVER_TAG.replace('"publicId": "get_cookies"', '"publicId": "get_cookies"'));
      expect(checkSource(mutated).filter((d) => d.severity === 'error')).toEqual([]);
      return;
    }
    const permissions = SERVER_TAG_PERMISSIONS.replace('"string": "page_location"', '"string": "page.*"');
    const mutated = inCode(
      SERVER_ENDPOINT,
      "const p1 = getEventData('page');\nconst p2 = getEventData('page.location');",
    )(
      replaceOnce(
        replaceOnce(SERVER_TAG, SERVER_TAG_PERMISSIONS, permissions),
        "page: getEventData('page_location'),",
        '',
      ),
    );
    expect(checkSource(mutated).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('send_http with Google domains allowed lets a Google URL through', () => {
    const permissions = withGoogleDomains(SERVER_TAG_PERMISSIONS);
    expect(permissions).not.toBe(SERVER_TAG_PERMISSIONS);
    const mutated = replaceOnce(
      replaceOnce(SERVER_TAG, SERVER_TAG_PERMISSIONS, permissions),
      SERVER_ENDPOINT,
      "const endpoint = 'https://www.google-analytics.com/g/collect';",
    );
    expect(checkSource(mutated).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('send_http with Google domains allowed lets a Google country domain through', () => {
    // Google's own tags send to www.google.<country>/ads/ga-audiences (analytics.js).
    for (const url of [
      'https://www.google.de/ads/ga-audiences',
      'https://www.google.co.uk/ads/ga-audiences',
    ]) {
      const mutated = replaceOnce(
        replaceOnce(SERVER_TAG, SERVER_TAG_PERMISSIONS, withGoogleDomains(SERVER_TAG_PERMISSIONS)),
        SERVER_ENDPOINT,
        `const endpoint = '${url}';`,
      );
      expect(checkSource(mutated).filter((d) => d.severity === 'error')).toEqual([]);
    }
  });
});

describe('forms GTM accepts give no finding', () => {
  it('a permission the code only asks about with queryPermission is not unused', () => {
    // queryPermission's answer depends on the declaration, so the permission is in use.
    const withReferrer = replaceOnce(
      WEB_TAG,
      '\n]\n\n\n___TESTS___',
      `,\n${loggingPermission}\n]\n\n\n___TESTS___`,
    );
    const asked = inCode(
      HOST,
      "const queryPermission = require('queryPermission');\nif (queryPermission('get_referrer', 'host')) {}",
    )(withReferrer);
    expect(checkSource(asked).filter((d) => d.code === 'code-permissions/unused-permission')).toEqual([]);
    expect(checkSource(withReferrer).map((d) => d.code)).toContain('code-permissions/unused-permission');
  });
  it('a localised description and display name', () => {
    const localised = replaceOnce(
      replaceOnce(
        WEB_TAG,
        '"description": "A tag the checker tests mutate."',
        '"description": {\n    "text": "A tag.",\n    "translations": [{ "locale": "de", "text": "Ein Tag." }]\n  }',
      ),
      '"displayName": "Example Tag"',
      '"displayName": { "text": "Example Tag", "translations": [] }',
    );
    expect(checkSource(localised)).toEqual([]);
  });
});

describe('the base templates', () => {
  it.each(Object.entries(BASES))('%s has no findings at all', (_name, text) => {
    expect(checkSource(text)).toEqual([]);
  });
});

describe(`${MUTANTS.length} mutants, each rejected with the expected code at the injected line`, () => {
  it('has at least 40 mutants', () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(MUTANTS.map((m) => [m.name, m] as const))('%s', (_name, m) => {
    const base = m.base ?? WEB_TAG;
    const mutated = m.mutate(base);
    expect(mutated).not.toBe(base);
    const line = typeof m.at === 'string' ? lineOf(mutated, m.at) : m.at(mutated);
    const diagnostics = checkSource(mutated);
    const found = diagnostics.filter((d) => d.code === m.code);
    expect(
      found.map((d) => ({ code: d.code, severity: d.severity, line: d.line })),
      diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`).join('\n'),
    ).toContainEqual({ code: m.code, severity: m.severity ?? 'error', line });
    if (m.message) expect(found.find((d) => d.line === line)!.text).toMatch(m.message);
    for (const d of diagnostics) {
      expect(d.text.length).toBeGreaterThan(10);
      expect(d.column).toBeGreaterThanOrEqual(1);
    }
  });

  it('uses GTM’s own words for undeclared variables', () => {
    const mutated = inCode(HOST, 'const n = Math.floor(2.5);')(WEB_TAG);
    const d = checkSource(mutated).find((x) => x.code === 'js/undeclared-variable')!;
    expect(d.text).toBe('Attempting to use undeclared variable Math in function template.');
    expect(d.column).toBe('const n = '.length + 1);
    expect(d.section).toBe('___SANDBOXED_JS_FOR_WEB_TEMPLATE___');
  });
});

describe('positions in files with a BOM, CRLF line endings or a preamble', () => {
  const mutated = inCode(HOST, 'const now = new Date();')(WEB_TAG);
  const line = lineOf(mutated, 'new Date');
  it.each([
    ['BOM', '\uFEFF' + mutated, line],
    ['CRLF', mutated.replace(/\n/g, '\r\n'), line],
    ['a licence comment before the first marker', '// Licensed under Apache-2.0\n\n' + mutated, line + 2],
  ])('%s', (_name, text, expected) => {
    const found = checkSource(text).filter((d) => d.code === 'js/no-new');
    expect(found.map((d) => [d.line, d.column])).toEqual([[expected, 'const now = '.length + 1]]);
    expect(
      checkSource(text)
        .filter((d) => d.severity === 'error')
        .map((d) => d.code),
    ).toEqual(['js/no-new', 'js/undeclared-variable']);
  });
});
