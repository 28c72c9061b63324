// Valid templates written by the test suite itself (never corpus files): a web tag with every
// parameter kind, permissions and tests; a web variable without permissions; a server variable.
// The mutant and fuzz suites inject violations into these.
import { makePermission } from '../../src/gtm/typed-value.js';
import { TERMS_OF_SERVICE_TEXT } from '../../src/tpl/model.js';

/** Joins sections the way GTM's editor does: marker, blank line, body, two blank lines. */
export function template(sections: [string, string][]): string {
  return sections.map(([name, body]) => `___${name}___\n\n${body}\n\n\n`).join('');
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

export const WEB_TAG_PARAMETERS = `[
  {
    "type": "TEXT",
    "name": "accountId",
    "displayName": "Account ID",
    "simpleValueType": true,
    "valueValidators": [
      { "type": "NON_EMPTY" },
      { "type": "REGEX", "args": ["^[0-9]+$"] }
    ]
  },
  {
    "type": "SELECT",
    "name": "mode",
    "displayName": "Mode",
    "macrosInSelect": false,
    "selectItems": [
      { "value": "submit", "displayValue": "Submit" },
      { "value": "remove", "displayValue": "Remove" }
    ],
    "simpleValueType": true,
    "defaultValue": "submit"
  },
  {
    "type": "CHECKBOX",
    "name": "loadClient",
    "checkboxText": "Load the client",
    "simpleValueType": true,
    "defaultValue": false
  },
  {
    "type": "GROUP",
    "name": "advanced",
    "displayName": "Advanced",
    "groupStyle": "ZIPPY_CLOSED",
    "subParams": [
      {
        "type": "TEXT",
        "name": "clientHost",
        "displayName": "Client host",
        "simpleValueType": true,
        "enablingConditions": [
          { "paramName": "loadClient", "paramValue": true, "type": "EQUALS" }
        ]
      }
    ]
  },
  {
    "type": "SIMPLE_TABLE",
    "name": "properties",
    "displayName": "Properties",
    "simpleTableColumns": [
      { "defaultValue": "", "displayName": "Key", "name": "key", "type": "TEXT", "isUnique": true },
      { "defaultValue": "", "displayName": "Value", "name": "value", "type": "TEXT" }
    ],
    "enablingConditions": [
      { "paramName": "mode", "paramValue": "submit", "type": "EQUALS" }
    ],
    "valueValidators": [{ "type": "TABLE_ROW_COUNT", "args": [0, 20] }]
  },
  {
    "type": "RADIO",
    "name": "signing",
    "displayName": "Signing",
    "radioItems": [
      { "value": "plain", "displayValue": "Plain" },
      {
        "value": "jwt",
        "displayValue": "JWT",
        "subParams": [{ "type": "TEXT", "name": "token", "displayName": "Token", "simpleValueType": true }]
      }
    ],
    "simpleValueType": true
  },
  {
    "type": "PARAM_TABLE",
    "name": "rooms",
    "displayName": "Rooms",
    "paramTableColumns": [
      {
        "param": { "type": "TEXT", "name": "room", "displayName": "Room", "simpleValueType": true },
        "isUnique": true
      }
    ]
  },
  { "type": "LABEL", "name": "note", "displayName": "Rows with an empty key are skipped." }
]`;

export const WEB_TAG_CODE = `const log = require('logToConsole');
const createArgumentsQueue = require('createArgumentsQueue');
const setInWindow = require('setInWindow');
const copyFromWindow = require('copyFromWindow');
const callInWindow = require('callInWindow');
const injectScript = require('injectScript');
const sendPixel = require('sendPixel');
const encodeUriComponent = require('encodeUriComponent');
const makeTableMap = require('makeTableMap');

const host = 'https://service.example.com';
const queue = createArgumentsQueue('_ex', '_ex._e');
setInWindow('_ex._c', data.accountId, true);
const existing = copyFromWindow('_ex');
log('existing', existing);
const props = makeTableMap(data.properties || [], 'key', 'value');
if (data.mode === 'remove') {
  callInWindow('_ex', 'remove');
} else {
  queue('submit', props);
}
sendPixel('https://pixel.example.com/collect?id=' + encodeUriComponent(data.accountId), null, null);
if (data.loadClient) {
  injectScript(host + '/client/' + encodeUriComponent(data.accountId), data.gtmOnSuccess, data.gtmOnFailure, 'ex');
} else {
  data.gtmOnSuccess();
}`;

const globalKey = (key: string, read: boolean, write: boolean, execute: boolean) => ({
  key,
  read,
  write,
  execute,
});

export const WEB_TAG_PERMISSIONS = json([
  makePermission('logging', { environments: 'debug' }),
  makePermission('access_globals', {
    keys: [
      globalKey('_ex', true, true, true),
      globalKey('_ex._e', true, true, false),
      globalKey('_ex._c', true, true, false),
    ],
  }),
  makePermission('inject_script', { urls: ['https://service.example.com/client/*'] }),
  makePermission('send_pixel', { allowedUrls: 'specific', urls: ['https://pixel.example.com/*'] }),
]);

export const WEB_TAG_TESTS = `scenarios:
- name: submits
  code: |-
    const mockData = { accountId: '1', mode: 'submit' };
    runCode(mockData);
    assertApi('gtmOnSuccess').wasCalled();
- name: removes
  code: |-
    runCode({ accountId: shared, mode: 'remove' });
    assertApi('callInWindow').wasCalled();
setup: |-
  const shared = '1';`;

export function webTagInfo(overrides: Record<string, unknown> = {}): string {
  return json({
    type: 'TAG',
    id: 'cvt_temp_public_id',
    version: 1,
    securityGroups: [],
    displayName: 'Example Tag',
    categories: ['CHAT'],
    brand: { id: 'brand_dummy', displayName: '', thumbnail: '' },
    description: 'A tag the checker tests mutate.',
    containerContexts: ['WEB'],
    ...overrides,
  });
}

export const WEB_TAG = template([
  ['TERMS_OF_SERVICE', TERMS_OF_SERVICE_TEXT],
  ['INFO', webTagInfo()],
  ['TEMPLATE_PARAMETERS', WEB_TAG_PARAMETERS],
  ['SANDBOXED_JS_FOR_WEB_TEMPLATE', WEB_TAG_CODE],
  ['WEB_PERMISSIONS', WEB_TAG_PERMISSIONS],
  ['TESTS', WEB_TAG_TESTS],
  ['NOTES', 'Created on 1/1/2026, 12:00:00 PM'],
]);

export const WEB_VARIABLE = template([
  [
    'INFO',
    json({
      type: 'MACRO',
      id: 'cvt_temp_public_id',
      version: 1,
      securityGroups: [],
      displayName: 'Example Variable',
      description: 'Upper-cases a value.',
      containerContexts: ['WEB'],
    }),
  ],
  [
    'TEMPLATE_PARAMETERS',
    `[\n  { "type": "TEXT", "name": "value", "displayName": "Value", "simpleValueType": true }\n]`,
  ],
  [
    'SANDBOXED_JS_FOR_WEB_TEMPLATE',
    `const makeString = require('makeString');\nconst text = makeString(data.value);\nreturn text.toUpperCase();`,
  ],
]);

export const SERVER_VARIABLE = template([
  ['TERMS_OF_SERVICE', TERMS_OF_SERVICE_TEXT],
  [
    'INFO',
    json({
      type: 'MACRO',
      id: 'cvt_temp_public_id',
      version: 1,
      securityGroups: [],
      displayName: 'Example Server Variable',
      brand: { id: 'brand_dummy', displayName: '' },
      description: 'Reads one event data key.',
      containerContexts: ['SERVER'],
    }),
  ],
  [
    'TEMPLATE_PARAMETERS',
    `[\n  { "type": "TEXT", "name": "key", "displayName": "Key", "simpleValueType": true }\n]`,
  ],
  [
    'SANDBOXED_JS_FOR_SERVER',
    `const getEventData = require('getEventData');\nconst logToConsole = require('logToConsole');\nlogToConsole('reading', data.key);\nreturn getEventData(data.key);`,
  ],
  [
    'SERVER_PERMISSIONS',
    json([
      makePermission('read_event_data', { eventDataAccess: 'any' }),
      makePermission('logging', { environments: 'all' }),
    ]),
  ],
  ['TESTS', 'scenarios: []'],
  ['NOTES', 'Created on 1/1/2026, 12:00:00 PM'],
]);

/** A server tag that reads the request and event data, sends a request, and sets a cookie. */
export const SERVER_TAG_CODE = `const getEventData = require('getEventData');
const getRequestHeader = require('getRequestHeader');
const sendHttpRequest = require('sendHttpRequest');
const setResponseHeader = require('setResponseHeader');
const getCookieValues = require('getCookieValues');
const setCookie = require('setCookie');
const JSON = require('JSON');

const endpoint = 'https://collect.example.com/v1/events';
const body = {
  event: getEventData('event_name'),
  page: getEventData('page_location'),
  agent: getRequestHeader('user-agent'),
  visitor: getCookieValues('_ex_id')[0],
};
setCookie('_ex_id', body.visitor || data.visitorId, { 'max-age': 31536000 });
setResponseHeader('x-example', '1');
sendHttpRequest(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' } }, JSON.stringify(body))
  .then((result) => {
    if (result.statusCode >= 200 && result.statusCode < 300) data.gtmOnSuccess();
    else data.gtmOnFailure();
  }, data.gtmOnFailure);`;

export const SERVER_TAG_PERMISSIONS = json([
  makePermission('read_event_data', {
    eventDataAccess: 'specific',
    keyPatterns: ['event_name', 'page_location'],
  }),
  makePermission('read_request', {
    requestAccess: 'specific',
    headerAccess: 'specific',
    headersAllowed: true,
    headerWhitelist: [{ headerName: 'user-agent' }],
  }),
  makePermission('send_http', { allowedUrls: 'specific', urls: ['https://collect.example.com/v1/*'] }),
  makePermission('access_response', {
    writeResponseAccess: 'specific',
    writeHeaderAccess: 'specific',
    writeHeadersAllowed: true,
    writeHeaderWhitelist: [{ headerName: 'x-example' }],
  }),
  makePermission('get_cookies', { cookieAccess: 'specific', cookieNames: ['_ex_id'] }),
  makePermission('set_cookies', {
    allowedCookies: [{ name: '_ex_id', domain: '*', path: '*', secure: 'any', session: 'any' }],
  }),
]);

export const SERVER_TAG = template([
  ['TERMS_OF_SERVICE', TERMS_OF_SERVICE_TEXT],
  [
    'INFO',
    json({
      type: 'TAG',
      id: 'cvt_temp_public_id',
      version: 1,
      securityGroups: [],
      displayName: 'Example Server Tag',
      brand: { id: 'brand_dummy', displayName: '' },
      description: 'Forwards an event.',
      containerContexts: ['SERVER'],
    }),
  ],
  [
    'TEMPLATE_PARAMETERS',
    `[\n  { "type": "TEXT", "name": "visitorId", "displayName": "Visitor id", "simpleValueType": true }\n]`,
  ],
  ['SANDBOXED_JS_FOR_SERVER', SERVER_TAG_CODE],
  ['SERVER_PERMISSIONS', SERVER_TAG_PERMISSIONS],
  ['TESTS', 'scenarios: []'],
  ['NOTES', 'Created on 1/1/2026, 12:00:00 PM'],
]);

export const BASES = { WEB_TAG, WEB_VARIABLE, SERVER_VARIABLE, SERVER_TAG };

/** A minimal web variable template (no permissions) with these fields and code. */
export function webVariable(displayName: string, params: unknown[], code: string): string {
  return template([
    [
      'INFO',
      JSON.stringify({
        type: 'MACRO',
        id: 'cvt_temp_public_id',
        version: 1,
        securityGroups: [],
        displayName,
        containerContexts: ['WEB'],
      }),
    ],
    ['TEMPLATE_PARAMETERS', JSON.stringify(params, null, 2)],
    ['SANDBOXED_JS_FOR_WEB_TEMPLATE', code],
  ]);
}
