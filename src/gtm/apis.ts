// What GTM's sandbox offers through `require(name)`, and which permission each API needs.
// Source: Google's sandboxed-JavaScript API reference (web and server), as summarised in
// ../shared/docs/gtm-template-format.md §5.3. The checker, the sandbox and the compiler's
// permission inference all read this one table.

export type ApiContext = 'WEB' | 'SERVER';

export interface ApiInfo {
  /** The `publicId` of the permission a call needs, if any. */
  permission?: string;
  contexts: readonly ApiContext[];
  /**
   * For an API that is an object of methods (`JSON`, `localStorage`…): the methods Google's
   * reference gives it. A call of any other method on it fails when it runs.
   */
  members?: readonly string[];
  /**
   * The argument signature GTM's web runtime checks before the call does anything, in gtm.js's own
   * notation: `name:!type` is required, `name:?type` optional (null and undefined count as left
   * out), the type one of `string`, `number`, `boolean`, `Fn`, `List`, `Map` or `*` (any). An
   * argument of another type, or a required one left out, makes the call throw. Arguments past the
   * signature are not checked. Given only where a current gtm.js build shows it (docs/runtime.md,
   * "Web APIs"): older builds checked more APIs than current ones do.
   */
  args?: readonly string[];
}

const WEB: readonly ApiContext[] = ['WEB'];
const SERVER: readonly ApiContext[] = ['SERVER'];
const BOTH: readonly ApiContext[] = ['WEB', 'SERVER'];

export const SANDBOX_APIS: Readonly<Record<string, ApiInfo>> = {
  // Web: page globals and scripts
  aliasInWindow: { permission: 'access_globals', contexts: WEB },
  callInWindow: { permission: 'access_globals', contexts: WEB },
  copyFromWindow: { permission: 'access_globals', contexts: WEB },
  createArgumentsQueue: { permission: 'access_globals', contexts: WEB },
  createQueue: { permission: 'access_globals', contexts: WEB },
  setInWindow: { permission: 'access_globals', contexts: WEB },
  injectScript: { permission: 'inject_script', contexts: WEB },
  injectHiddenIframe: { permission: 'inject_hidden_iframe', contexts: WEB },
  sendPixel: { permission: 'send_pixel', contexts: WEB },
  callLater: { contexts: BOTH },
  // Web: page state
  copyFromDataLayer: { permission: 'read_data_layer', contexts: WEB },
  gtagSet: { permission: 'write_data_layer', contexts: WEB },
  addEventCallback: { permission: 'read_event_metadata', contexts: BOTH },
  getUrl: { permission: 'get_url', contexts: WEB, args: ['component:?string'] },
  getQueryParameters: {
    permission: 'get_url',
    contexts: WEB,
    args: ['queryKey:!string', 'retrieveAll:?boolean'],
  },
  getReferrerUrl: { permission: 'get_referrer', contexts: WEB },
  getReferrerQueryParameters: { permission: 'get_referrer', contexts: WEB },
  getCookieValues: { permission: 'get_cookies', contexts: BOTH },
  setCookie: { permission: 'set_cookies', contexts: BOTH },
  localStorage: {
    permission: 'access_local_storage',
    contexts: WEB,
    members: ['getItem', 'setItem', 'removeItem'],
  },
  templateStorage: {
    permission: 'access_template_storage',
    contexts: WEB,
    members: ['getItem', 'setItem', 'removeItem', 'clear'],
  },
  readTitle: { permission: 'read_title', contexts: WEB },
  readCharacterSet: { permission: 'read_character_set', contexts: WEB },
  readAnalyticsStorage: { permission: 'read_analytics_storage', contexts: WEB },
  getContainerVersion: { permission: 'read_container_data', contexts: BOTH },
  // Consent
  isConsentGranted: { permission: 'access_consent', contexts: WEB },
  addConsentListener: { permission: 'access_consent', contexts: WEB },
  setDefaultConsentState: { permission: 'access_consent', contexts: WEB },
  updateConsentState: { permission: 'access_consent', contexts: WEB },
  // Logging and permissions
  logToConsole: { permission: 'logging', contexts: BOTH },
  // Listed for both: a wrong-context error on a server template would be a false positive if the
  // server sandbox has it too, which its reference does not rule out.
  queryPermission: { contexts: BOTH },
  // Pure utilities (no permission)
  decodeUri: { contexts: BOTH },
  decodeUriComponent: { contexts: BOTH },
  encodeUri: { contexts: BOTH },
  encodeUriComponent: { contexts: BOTH },
  fromBase64: { contexts: BOTH },
  toBase64: { contexts: BOTH },
  generateRandom: { contexts: BOTH, args: ['min:!number', 'max:!number'] },
  getTimestamp: { contexts: BOTH },
  getTimestampMillis: { contexts: BOTH },
  getType: { contexts: BOTH },
  makeInteger: { contexts: BOTH },
  makeNumber: { contexts: BOTH },
  makeString: { contexts: BOTH },
  makeTableMap: { contexts: BOTH },
  parseUrl: { contexts: BOTH },
  sha256: { contexts: BOTH },
  JSON: { contexts: BOTH, members: ['parse', 'stringify'] },
  Math: { contexts: BOTH, members: ['abs', 'ceil', 'floor', 'max', 'min', 'pow', 'round', 'sqrt'] },
  Object: { contexts: BOTH, members: ['keys', 'values', 'entries', 'freeze', 'delete'] },
  // Server only (Google's "Server-side tagging APIs" reference). Where one name exists in both
  // contexts (getCookieValues, setCookie, addEventCallback, getContainerVersion), the entry above
  // says BOTH and each context's runtime gives it that context's world.
  // The incoming request
  claimRequest: { permission: 'return_response', contexts: SERVER },
  extractEventsFromMpv1: { permission: 'read_request', contexts: SERVER },
  extractEventsFromMpv2: { permission: 'read_request', contexts: SERVER },
  // read_container_data: an export whose only API without a permission of its own is getClientName
  // has that permission with no edit mark, added by GTM (docs/diagnostics.md, "Permissions GTM adds
  // itself").
  getClientName: { permission: 'read_container_data', contexts: SERVER },
  getRemoteAddress: { permission: 'read_request', contexts: SERVER },
  getRequestBody: { permission: 'read_request', contexts: SERVER },
  getRequestHeader: { permission: 'read_request', contexts: SERVER },
  getRequestMethod: { permission: 'read_request', contexts: SERVER },
  getRequestPath: { permission: 'read_request', contexts: SERVER },
  getRequestQueryParameter: { permission: 'read_request', contexts: SERVER },
  getRequestQueryParameters: { permission: 'read_request', contexts: SERVER },
  getRequestQueryString: { permission: 'read_request', contexts: SERVER },
  isRequestMpv1: { contexts: SERVER },
  isRequestMpv2: { contexts: SERVER },
  // The response
  returnResponse: { permission: 'return_response', contexts: SERVER },
  setPixelResponse: { permission: 'access_response', contexts: SERVER },
  setResponseBody: { permission: 'access_response', contexts: SERVER },
  setResponseHeader: { permission: 'access_response', contexts: SERVER },
  setResponseStatus: { permission: 'access_response', contexts: SERVER },
  // Event data and the container
  getAllEventData: { permission: 'read_event_data', contexts: SERVER },
  getEventData: { permission: 'read_event_data', contexts: SERVER },
  runContainer: { permission: 'run_container', contexts: SERVER },
  templateDataStorage: {
    permission: 'access_template_storage',
    contexts: SERVER,
    members: ['getItemCopy', 'setItemCopy', 'removeItem', 'clear'],
  },
  // Outgoing traffic
  getGoogleScript: { permission: 'send_http', contexts: SERVER },
  sendEventToGoogle: { permission: 'send_http', contexts: SERVER },
  sendEventToGoogleAnalytics: { permission: 'send_http', contexts: SERVER },
  sendHttpGet: { permission: 'send_http', contexts: SERVER },
  sendHttpRequest: { permission: 'send_http', contexts: SERVER },
  sendPixelFromBrowser: { permission: 'send_pixel_from_browser', contexts: SERVER },
  // Messages between tags of one event
  addMessageListener: { permission: 'use_message', contexts: SERVER },
  hasMessageListener: { permission: 'use_message', contexts: SERVER },
  sendMessage: { permission: 'use_message', contexts: SERVER },
  // Utilities
  Promise: { contexts: SERVER, members: ['create', 'all'] },
  computeEffectiveTldPlusOne: { contexts: SERVER },
  createRegex: { contexts: SERVER },
  testRegex: { contexts: SERVER },
  hmacSha256: { permission: 'use_custom_private_keys', contexts: SERVER },
  sha256Sync: { contexts: SERVER },
  // Google Cloud
  BigQuery: { permission: 'access_bigquery', contexts: SERVER, members: ['insert'] },
  Firestore: {
    permission: 'access_firestore',
    contexts: SERVER,
    members: ['read', 'write', 'delete', 'query', 'runTransaction'],
  },
  getGoogleAuth: { permission: 'use_google_credentials', contexts: SERVER },
};

/** Globals available in `___TESTS___` scenario code, besides `require`. */
export const TEST_APIS = ['runCode', 'mock', 'mockObject', 'assertApi', 'assertThat', 'fail'] as const;

/**
 * The methods of the subject `assertThat(actual)` returns (Google's test API reference, after
 * Truth), each returning the subject again; the runner implements exactly these.
 */
export const ASSERT_THAT_METHODS = [
  'isUndefined',
  'isDefined',
  'isNull',
  'isNotNull',
  'isTrue',
  'isFalse',
  'isTruthy',
  'isFalsy',
  'isNaN',
  'isNotNaN',
  'isInfinity',
  'isNotInfinity',
  'isEqualTo',
  'isNotEqualTo',
  'isAnyOf',
  'isNoneOf',
  'isStrictlyEqualTo',
  'isNotStrictlyEqualTo',
  'isGreaterThan',
  'isGreaterThanOrEqualTo',
  'isLessThan',
  'isLessThanOrEqualTo',
  'contains',
  'doesNotContain',
  'containsExactly',
  'doesNotContainExactly',
  'hasLength',
  'isEmpty',
  'isNotEmpty',
  'isArray',
  'isBoolean',
  'isFunction',
  'isNumber',
  'isObject',
  'isString',
] as const;

/** The methods of the subject `assertApi(name)` returns (Google's test API reference). */
export const ASSERT_API_METHODS = ['wasCalled', 'wasNotCalled', 'wasCalledWith', 'wasNotCalledWith'] as const;

/**
 * The native methods the sandbox keeps (Google's standard-library page); all others are removed.
 * `length` is a property and always available.
 */
export const ARRAY_METHODS: readonly string[] = [
  'concat',
  'every',
  'filter',
  'forEach',
  'indexOf',
  'join',
  'lastIndexOf',
  'map',
  'pop',
  'push',
  'reduce',
  'reduceRight',
  'reverse',
  'shift',
  'slice',
  'some',
  'sort',
  'splice',
  'toString',
  'unshift',
];
/**
 * Methods every object keeps. `hasOwnProperty` is not on Google's list, yet scenarios that pass in
 * GTM's Tests tab call it on plain objects (stape-io's server tags in the corpus; Simo Ahava's EEC
 * items variable), so GTM's objects have it.
 */
export const OBJECT_METHODS: readonly string[] = ['toString', 'hasOwnProperty'];
export const STRING_METHODS: readonly string[] = [
  'charAt',
  'concat',
  'indexOf',
  'lastIndexOf',
  'match',
  'replace',
  'search',
  'slice',
  'split',
  'substring',
  'toLowerCase',
  'toLocaleLowerCase',
  'toString',
  'toUpperCase',
  'toLocaleUpperCase',
  'trim',
];

export function apiInfo(name: string): ApiInfo | undefined {
  return Object.prototype.hasOwnProperty.call(SANDBOX_APIS, name) ? SANDBOX_APIS[name] : undefined;
}

/**
 * What a test that mocks `name`, which is no API, most likely meant: a dotted `object.method`
 * whose object API has that method (`localStorage.getItem`), which `mockObject` replaces.
 */
function mockedMethodOf(name: string): { owner: string; member: string } | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const owner = name.slice(0, dot);
  const member = name.slice(dot + 1);
  return apiInfo(owner)?.members?.includes(member) ? { owner, member } : undefined;
}

/** The advice for a mock of `name`, which is no API (the checker's note and the runner's). */
export function unknownMockAdvice(name: string): string {
  const method = mockedMethodOf(name);
  return method
    ? `To replace one method of ${method.owner}, mock the object: mockObject('${method.owner}', { ${method.member}: … }).`
    : 'mock() and mockObject() take the API name as passed to require(); check the spelling against https://developers.google.com/tag-platform/tag-manager/templates/api.';
}

/**
 * The statement that makes `name` usable, when it is an API of `context` (code that names `JSON`,
 * `Math` or `callLater` without requiring it stops with "undeclared variable"); else undefined.
 */
export function requireStatementFor(name: string, context: ApiContext): string | undefined {
  return apiInfo(name)?.contexts.includes(context) ? `const ${name} = require('${name}');` : undefined;
}
