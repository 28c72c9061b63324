// What each server API call asks of its permission, written as the question `queryPermission`
// would ask: the permission's id and its query arguments, taken from constants and from the call's
// own arguments. It says which argument is the URL, the header name, the event key or the cookie
// name, so the compiler (inferring the least permissions), the checker (comparing literal arguments
// with the declared permission) and the sandbox (enforcing it) read one table.
//
// The query arguments are those `src/gtm/permissions.ts` judges (its header lists them); asking
// a permission with no arguments asks for all of it (all of the event data, the whole response).
// APIs whose permission has no parameters (logging, run_container, read_container_data,
// read_event_metadata, access_template_storage, return_response) are not listed: requiring them
// is the whole ask.
//
// `askArguments` resolves a call's query arguments from the code, for all of them.
//
// Sources: Google's "Server-side tagging APIs" reference (which API needs which permission and what
// each argument is) and the permissions GTM's editor wrote into the 107 server templates of the
// corpora (the parameters each permission has). Web APIs keep their tables in the compiler and the
// checker for now.

import type { ApiCall, ApiUsage, StaticValue } from '../js/api-usage.js';

/** One query argument: a constant, a call argument, or a property of an object argument. */
export type AccessArg =
  | { const: string }
  /** The call's argument at this index (0-based). */
  | { arg: number }
  /** A property of the object passed at `arg` (`BigQuery.insert({ datasetId }, …)`). */
  | { arg: number; prop: string }
  /** The string argument at `arg` followed by `suffix` (a collection's documents: `logs/*`). */
  | { arg: number; suffix: string };

export interface ApiAccess {
  permission: string;
  /** The query arguments, in `queryPermission` order. */
  query: readonly AccessArg[];
}

const c = (value: string): AccessArg => ({ const: value });
const arg = (index: number, prop?: string): AccessArg => (prop ? { arg: index, prop } : { arg: index });
const argThen = (index: number, suffix: string): AccessArg => ({ arg: index, suffix });
const ask = (permission: string, ...query: AccessArg[]): ApiAccess => ({ permission, query });

/**
 * Turning a Measurement Protocol request into events reads its body and query parameters (what the
 * sandbox demands). Telling whether a request is one asks nothing: Google's own Event Data Filter
 * tag (google/sgtm-event-data-filter) calls `isRequestMpv2()` and its export, which GTM completes
 * with every permission the code's `require`s need, has no `read_request`.
 */
const MEASUREMENT_PROTOCOL = [ask('read_request', c('body')), ask('read_request', c('query_string'))];

/** For each server API (`Api` or `Api.method`), what one call asks. Absent: the API needs nothing. */
export const SERVER_API_ACCESS: Readonly<Record<string, readonly ApiAccess[]>> = {
  // Event data
  getEventData: [ask('read_event_data', arg(0))],
  getAllEventData: [ask('read_event_data')],
  // The incoming request
  getRequestHeader: [ask('read_request', c('header'), arg(0))],
  getRequestQueryParameter: [ask('read_request', c('query_parameter'), arg(0))],
  getRequestQueryParameters: [ask('read_request', c('query_string'))],
  getRequestQueryString: [ask('read_request', c('query_string'))],
  getRequestBody: [ask('read_request', c('body'))],
  getRequestPath: [ask('read_request', c('path'))],
  getRequestMethod: [ask('read_request', c('method'))],
  getRemoteAddress: [ask('read_request', c('remote_address'))],
  // Measurement Protocol parsing (isRequestMpv1/2 ask nothing, see MEASUREMENT_PROTOCOL).
  extractEventsFromMpv1: MEASUREMENT_PROTOCOL,
  extractEventsFromMpv2: MEASUREMENT_PROTOCOL,
  // The response
  setResponseHeader: [ask('access_response', c('header'), arg(0))],
  setResponseBody: [ask('access_response', c('body'))],
  setResponseStatus: [ask('access_response', c('status'))],
  // Status, body, content type and caching headers at once: it asks for the whole response (the
  // editor's templates that call it all declare "any" response access).
  setPixelResponse: [ask('access_response')],
  // Cookies
  getCookieValues: [ask('get_cookies', arg(0))],
  setCookie: [ask('set_cookies', arg(0), arg(2))],
  // Outgoing traffic
  sendHttpRequest: [ask('send_http', arg(0))],
  sendHttpGet: [ask('send_http', arg(0))],
  sendPixelFromBrowser: [ask('send_pixel_from_browser', arg(0))],
  // Google Cloud
  'BigQuery.insert': [
    ask('access_bigquery', c('write'), arg(0, 'projectId'), arg(0, 'datasetId'), arg(0, 'tableId')),
  ],
  'Firestore.read': [ask('access_firestore', c('read'), arg(1, 'projectId'), arg(0), arg(1, 'databaseId'))],
  // A query reads the documents of the collection.
  'Firestore.query': [
    ask('access_firestore', c('read'), arg(2, 'projectId'), argThen(0, '/*'), arg(2, 'databaseId')),
  ],
  'Firestore.write': [ask('access_firestore', c('write'), arg(2, 'projectId'), arg(0), arg(2, 'databaseId'))],
  'Firestore.delete': [
    ask('access_firestore', c('write'), arg(1, 'projectId'), arg(0), arg(1, 'databaseId')),
  ],
  getGoogleAuth: [ask('use_google_credentials', arg(0, 'scopes'))],
  hmacSha256: [ask('use_custom_private_keys', arg(1))],
  // Messages between tags and clients
  sendMessage: [ask('use_message', arg(0), c('send'))],
  addMessageListener: [ask('use_message', arg(0), c('listen'))],
  hasMessageListener: [ask('use_message', arg(0), c('listen'))],
};

/**
 * What a call of `api` (`method` for object APIs) asks. APIs that are not listed ask nothing that
 * depends on their arguments: requiring them is what needs their permission (see `apiInfo`).
 */
export function serverApiAccess(api: string, method?: string): readonly ApiAccess[] {
  const key = method ? `${api}.${method}` : api;
  return Object.prototype.hasOwnProperty.call(SERVER_API_ACCESS, key) ? SERVER_API_ACCESS[key]! : [];
}

/** A query argument as far as the code fixes it; `absent` when the call leaves it out. */
export type KnownArg = StaticValue | { kind: 'absent' };

/** The query arguments `access` asks for one call, each as far as the code fixes it. */
export function askArguments(access: ApiAccess, call: ApiCall, usage: ApiUsage): KnownArg[] {
  return access.query.map((q): KnownArg => {
    if ('const' in q) return { kind: 'string', value: q.const };
    const node = call.node.arguments[q.arg];
    if (!node) return { kind: 'absent' };
    const value = usage.evaluate(node);
    if ('suffix' in q) {
      if (value.kind === 'string') return { kind: 'string', value: value.value + q.suffix };
      return value.kind === 'prefix' ? value : { kind: 'other' };
    }
    if (!('prop' in q)) return value;
    if (value.kind !== 'object') return { kind: 'other' };
    return value.props[q.prop] ?? (value.complete ? { kind: 'absent' } : { kind: 'other' });
  });
}
