// The world of a server container as the caller describes it (`ServerWorldInit`, the `server`
// field of `WorldInit`), the state a server container keeps across the templates of one request
// (`ServerState`), and what a run did (`ServerRecord`). Plain data; no realm, no Node. Nothing here
// reaches the network: outgoing requests are answered from `http` or by the test's mocks.

import type { CookieWrite } from './world.js';

/** The incoming HTTP request. Everything is optional. */
export interface IncomingRequestInit {
  /** Default `GET`. */
  method?: string;
  /** The path; default `/`. A query string after `?` joins `query` (ahead of it). */
  path?: string;
  /** The query as a string (`a=1&b=2`, no `?`) or as names → value(s). */
  query?: string | Record<string, string | string[]>;
  /** Header names are case-insensitive; repeated headers as a list (Cookie values form one header). */
  headers?: Record<string, string | string[]>;
  body?: string;
  /**
   * Where the request came from. Default: read from the `Forwarded` (`for=`) or `X-Forwarded-For`
   * header, as Google's reference says `getRemoteAddress` does, else `127.0.0.1`.
   */
  remoteAddress?: string;
  /** Cookies as `{ name: value }` or a `Cookie` header string; joined to the Cookie header with '; '. */
  cookies?: Record<string, string | string[]> | string;
}

/**
 * An answer to an outgoing request: a response, or a failure as GTM reports it. A response
 * without `body` has none: the template reads `undefined`, as Google's reference says.
 */
export type HttpAnswer =
  | { statusCode?: number; headers?: Record<string, string>; body?: string }
  | { error: 'failed' | 'timed_out' };

/** An outgoing HTTP request as the template made it. */
export interface OutgoingRequest {
  api: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeout?: number;
  /**
   * The `authorization` option, as `getGoogleAuth` made it (`{ scopes }`): GTM then adds an
   * authorization header for Google Cloud APIs (Google's reference). No credential is modelled.
   */
  authorization?: unknown;
}

/** A tag of the container, for `runContainer`. */
export interface ContainerTagInit {
  id?: string;
  name?: string;
  /** Fires for events with these names (all events when missing). */
  eventNames?: string[];
  /** How the tag ends; default `success`. */
  status?: 'success' | 'failure' | 'exception' | 'timeout';
  /** Extra tag metadata passed to event callbacks. */
  metadata?: Record<string, unknown>;
}

export interface ServerWorldInit {
  request?: IncomingRequestInit;
  /** The current event, for tags and variables (`getEventData`, `getAllEventData`). Default `{}`. */
  eventData?: Record<string, unknown>;
  /** What `getClientName` returns; default `''` in a client's own run. */
  clientName?: string;
  /**
   * Answers to outgoing requests (`sendHttpRequest`, `sendHttpGet`, `getGoogleScript`, …) by exact
   * URL or by URL prefix (longest wins), or a function of the request. A request nothing answers
   * fails the run with a clear message; nothing is ever sent.
   */
  http?: Record<string, HttpAnswer | ((request: OutgoingRequest) => HttpAnswer)>;
  /** The container's tags, as far as `runContainer` needs them. */
  tags?: ContainerTagInit[];
  /** The template's `templateDataStorage` at the start. */
  templateDataStorage?: Record<string, unknown>;
  /** Keys for `hmacSha256`, by key id (the server's SGTM_CREDENTIALS), as text. */
  keys?: Record<string, string>;
  /** The Google Cloud project of the server, for BigQuery and Firestore defaults. */
  projectId?: string;
  /** Firestore documents by path (`collection/doc`), for `Firestore.read` and `query`. */
  firestore?: Record<string, Record<string, unknown>>;
}

export interface ResponseState {
  statusCode: number;
  /** Header name → values in order (`set-cookie` may repeat). */
  headers: Record<string, string[]>;
  body: string;
  /** How many times `returnResponse` was called. */
  returned: number;
  /**
   * The response as the first `returnResponse` flushed it (Google's reference: it "flushes the
   * response"); what the code sets afterwards changes `statusCode`/`headers`/`body` above but not
   * what was sent. Missing until the response is returned.
   */
  sent?: { statusCode: number; headers: Record<string, string[]>; body: string };
}

/** What a server template did, beyond the calls every run records. */
export interface ServerRecord {
  /** True once `claimRequest` was called. */
  claimed: boolean;
  /** The response as built (status, headers, body) and whether it was returned. */
  response: ResponseState;
  /** Outgoing requests that reached the world (mocked APIs never get here; see `calls`). */
  httpRequests: OutgoingRequest[];
  pixelsFromBrowser: string[];
  eventsToGoogle: unknown[];
  /** Events handed to `runContainer`. */
  containerEvents: unknown[];
  storageWrites: { op: 'setItemCopy' | 'removeItem' | 'clear'; key?: string; value?: unknown }[];
  bigQueryInserts: { table: Record<string, unknown>; rows: unknown[]; options?: unknown }[];
  firestoreWrites: { op: string; path: string; data?: unknown; options?: unknown }[];
  messagesSent: { type: string; message: unknown }[];
}

export function emptyResponse(): ResponseState {
  return { statusCode: 200, headers: {}, body: '', returned: 0 };
}

export function emptyServerRecord(): ServerRecord {
  return {
    claimed: false,
    response: emptyResponse(),
    httpRequests: [],
    pixelsFromBrowser: [],
    eventsToGoogle: [],
    containerEvents: [],
    storageWrites: [],
    bigQueryInserts: [],
    firestoreWrites: [],
    messagesSent: [],
  };
}

export interface ParsedRequest {
  method: string;
  path: string;
  queryString: string;
  query: [string, string][];
  headers: Map<string, string[]>;
  body?: string;
  remoteAddress: string;
}

function parseQuery(query: IncomingRequestInit['query']): { text: string; pairs: [string, string][] } {
  if (query === undefined) return { text: '', pairs: [] };
  if (typeof query === 'string') {
    const text = query.replace(/^\?/, '');
    return { text, pairs: [...new URLSearchParams(text)] };
  }
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(query))
    for (const value of Array.isArray(v) ? v : [v]) pairs.push([k, String(value)]);
  return { text: new URLSearchParams(pairs).toString(), pairs };
}

function cookieHeader(cookies: IncomingRequestInit['cookies']): string | undefined {
  if (cookies === undefined) return undefined;
  if (typeof cookies === 'string') return cookies;
  const parts: string[] = [];
  for (const [name, v] of Object.entries(cookies))
    for (const value of Array.isArray(v) ? v : [v]) parts.push(`${name}=${value}`);
  return parts.join('; ');
}

export function parseRequest(init: IncomingRequestInit = {}): ParsedRequest {
  const headers = new Map<string, string[]>();
  for (const [name, v] of Object.entries(init.headers ?? {})) {
    const key = name.toLowerCase();
    headers.set(key, [...(headers.get(key) ?? []), ...(Array.isArray(v) ? v : [v]).map(String)]);
  }
  // A request carries one Cookie header (RFC 6265 §5.4: a user agent "MUST NOT attach more than
  // one Cookie header field"; HTTP/2 splits it, and Node's `message.headers` joins the parts with
  // '; '). So the world's `cookies` and any Cookie header values read as that one header.
  const cookies = [...(headers.get('cookie') ?? []), cookieHeader(init.cookies)].filter((c) => !!c);
  if (cookies.length) headers.set('cookie', [cookies.join('; ')]);
  else headers.delete('cookie');
  // getRequestPath is the path "without the query string" (Google's reference): a world path
  // that carries one gives it to the query, ahead of the world's own `query`.
  const rawPath = init.path ?? '/';
  const mark = rawPath.indexOf('?');
  const path = mark < 0 ? rawPath : rawPath.slice(0, mark) || '/';
  const fromPath = mark < 0 ? '' : rawPath.slice(mark + 1);
  const { text, pairs } = parseQuery(init.query);
  const inPath = parseQuery(fromPath);
  return {
    method: (init.method ?? 'GET').toUpperCase(),
    path,
    queryString: [inPath.text, text].filter((t) => t !== '').join('&'),
    query: [...inPath.pairs, ...pairs],
    headers,
    body: init.body,
    remoteAddress: init.remoteAddress ?? forwardedAddress(headers) ?? '127.0.0.1',
  };
}

/**
 * The client address the proxy headers name: the first `for=` of `Forwarded` (RFC 7239; quotes,
 * IPv6 brackets and a port removed), else the first entry of `X-Forwarded-For`.
 */
function forwardedAddress(headers: Map<string, string[]>): string | undefined {
  for (const value of headers.get('forwarded') ?? []) {
    const match = /(?:^|[;,\s])for=("[^"]*"|[^;,\s]*)/i.exec(value);
    if (!match) continue;
    let node = match[1]!.replace(/^"|"$/g, '');
    const v6 = /^\[([^\]]+)\]/.exec(node);
    if (v6) node = v6[1]!;
    else if (/^[0-9.]+:\d+$/.test(node)) node = node.slice(0, node.indexOf(':'));
    if (node) return node;
  }
  const first = (headers.get('x-forwarded-for') ?? [])[0]?.split(',')[0]?.trim();
  return first || undefined;
}

/** A message listener registered with `addMessageListener`, for one message type. */
export interface MessageListener {
  type: string;
  listener: unknown;
}

/**
 * The server container's state while it handles one request: the request, the event being
 * processed, template storage (which outlives requests in GTM, and here outlives firings on the
 * same `SandboxPage`), message listeners and callbacks bound to events.
 */
export class ServerState {
  readonly request: ParsedRequest;
  eventData: Record<string, unknown>;
  readonly templateData = new Map<string, Map<string, unknown>>();
  readonly messageListeners: MessageListener[] = [];
  /** Cookies set on the response so far (`setCookie`), as GTM adds them to `Set-Cookie`. */
  readonly cookiesSet: CookieWrite[] = [];

  constructor(readonly init: ServerWorldInit = {}) {
    this.request = parseRequest(init.request);
    this.eventData = { ...(init.eventData ?? {}) };
  }

  templateStore(templateKey: string): Map<string, unknown> {
    let store = this.templateData.get(templateKey);
    if (!store) {
      store = new Map(Object.entries(this.init.templateDataStorage ?? {}));
      this.templateData.set(templateKey, store);
    }
    return store;
  }

  /** The configured answer to `request`, or `undefined` when nothing answers it. */
  answer(request: OutgoingRequest): HttpAnswer | undefined {
    const table = this.init.http;
    if (!table) return undefined;
    let found: HttpAnswer | ((r: OutgoingRequest) => HttpAnswer) | undefined;
    if (Object.prototype.hasOwnProperty.call(table, request.url)) found = table[request.url];
    else {
      let best: string | undefined;
      for (const key of Object.keys(table)) {
        if (request.url.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
      }
      found = best === undefined ? undefined : table[best];
    }
    return typeof found === 'function' ? found(request) : found;
  }
}
