// Global declarations for server template code (clients, tags and variables of a server container):
// the sandbox's `require`, typed per API name after Google's "Server-side tagging APIs" reference.
// A server project's program holds this file instead of gtm-globals.d.ts, so a web API (`injectScript`,
// `copyFromWindow`) is a type error in server code, and a server API is one in web code.

/// <reference path="./gtm-shared-globals.d.ts" />

/**
 * A sandboxed promise (`require('Promise')`, or what `sendHttpRequest`, `BigQuery` and `Firestore`
 * return). It behaves as a JavaScript promise; GTM rejects one that has not settled after a while.
 */
interface GtmPromise<T> {
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | GtmPromise<R1>) | null,
    onRejected?: ((reason: any) => R2 | GtmPromise<R2>) | null,
  ): GtmPromise<R1 | R2>;
  catch<R = never>(onRejected?: ((reason: any) => R | GtmPromise<R>) | null): GtmPromise<T | R>;
  finally(onFinally?: (() => void) | null): GtmPromise<T>;
}

/** What `getGoogleAuth` returns: pass it as `authorization` in the options of an HTTP request. */
interface GtmGoogleAuth {
  readonly __gtmGoogleAuth: 'auth';
}

/**
 * A regular expression made by `createRegex` (RE2 syntax), for `testRegex` and the string methods
 * below (real server templates pass it to `replace`).
 */
interface GtmRegex {
  readonly __gtmRegex: 'regex';
}

interface String {
  replace(regex: GtmRegex, replacement: string): string;
  match(regex: GtmRegex): string[] | null;
  search(regex: GtmRegex): number;
  split(separator: GtmRegex, limit?: number): string[];
}

interface GtmHttpGetOptions {
  headers?: { [name: string]: string };
  /** Milliseconds; GTM's default is 15000. */
  timeout?: number;
  authorization?: GtmGoogleAuth;
}

interface GtmHttpRequestOptions extends GtmHttpGetOptions {
  /** GET by default. */
  method?: string;
}

/** The response of an outgoing request. */
interface GtmHttpResponse {
  statusCode: number;
  headers: { [name: string]: string };
  body: string;
}

/** Why an outgoing request's promise was rejected. */
interface GtmHttpFailure {
  reason: 'failed' | 'timed_out';
}

type GtmHttpCallback = (statusCode: number, headers: { [name: string]: string }, body: string) => void;

interface GtmServerCookieOptions {
  /** `'auto'` takes the domain from the request's headers. */
  domain?: string;
  expires?: string;
  fallbackDomain?: string;
  httpOnly?: boolean;
  'max-age'?: number;
  path?: string;
  secure?: boolean;
  /** `strict`, `lax` or `none` (any case); real templates write both spellings of the key. */
  sameSite?: string;
  samesite?: string;
  partitioned?: boolean;
}

/** `bindToEvent(fn)` of `runContainer`'s callbacks: `fn` runs in the scope of that event. */
type GtmBindToEvent = <F extends (...args: any[]) => any>(fn: F) => F;

interface GtmFirestoreDocument {
  id: string;
  data: { [key: string]: any };
}

interface GtmFirestoreOptions {
  projectId?: string;
  databaseId?: string;
  transaction?: string;
}

/** An event in GTM's common event data format, as clients pass to `runContainer`. */
type GtmEvent = { [key: string]: any };

/** The APIs of server templates (Google's "Server-side tagging APIs" reference). */
interface GtmServerApis extends GtmSharedApis {
  addMessageListener(messageType: string, callback: (messageType: string, message: any) => void): void;
  BigQuery: {
    insert(
      connectionInfo: { projectId?: string; datasetId: string; tableId: string },
      rows: { [column: string]: any }[],
      options?: { ignoreUnknownValues?: boolean; skipInvalidRows?: boolean },
    ): GtmPromise<void>;
  };
  claimRequest(): void;
  computeEffectiveTldPlusOne(domainOrUrl: string): string;
  createRegex(pattern: string, flags?: string): GtmRegex | null;
  extractEventsFromMpv1(): GtmEvent[];
  extractEventsFromMpv2(): GtmEvent[];
  Firestore: {
    read(
      path: string,
      options?: GtmFirestoreOptions & { disableCache?: boolean },
    ): GtmPromise<GtmFirestoreDocument>;
    write(
      path: string,
      input: { [key: string]: any },
      options?: GtmFirestoreOptions & { merge?: boolean },
    ): GtmPromise<string>;
    delete(path: string, options?: GtmFirestoreOptions): GtmPromise<void>;
    query(
      collection: string,
      queryConditions: [string, string, unknown][],
      options?: GtmFirestoreOptions & { disableCache?: boolean; limit?: number },
    ): GtmPromise<GtmFirestoreDocument[]>;
    runTransaction(
      callback: (transaction: string) => GtmPromise<unknown>,
      options?: { projectId?: string; databaseId?: string },
    ): GtmPromise<string[]>;
  };
  fromBase64(base64EncodedString: string, options?: { urlEncoding?: boolean }): string | undefined;
  getAllEventData(): GtmEvent;
  getClientName(): string;
  getCookieValues(name: string, noDecode?: boolean): string[];
  getEventData(keyPath: string): any;
  getGoogleAuth(scopes: { scopes: string[] }): GtmGoogleAuth;
  getGoogleScript(
    script: 'ANALYTICS' | 'GTAG' | 'GTM',
    options?: { id?: string; debug?: boolean; timeout?: number },
  ): GtmPromise<{ script: string; metadata: { [key: string]: string } }>;
  getRemoteAddress(): string;
  getRequestBody(): string | undefined;
  getRequestHeader(headerName: string): string | undefined;
  getRequestMethod(): string;
  getRequestPath(): string;
  getRequestQueryParameter(name: string): string | undefined;
  getRequestQueryParameters(): { [name: string]: string | string[] };
  getRequestQueryString(): string;
  hasMessageListener(messageType: string): boolean;
  hmacSha256(
    data: string,
    keyId: string,
    options?: { outputEncoding?: 'hex' | 'base64' | 'base64url' },
  ): string;
  isRequestMpv1(): boolean;
  isRequestMpv2(): boolean;
  Promise: {
    create<T = any>(
      resolver: (resolve: (value?: T | GtmPromise<T>) => void, reject: (reason?: any) => void) => void,
    ): GtmPromise<T>;
    all<T = any>(inputs: (T | GtmPromise<T>)[]): GtmPromise<T[]>;
  };
  returnResponse(): void;
  runContainer(
    event: GtmEvent,
    onComplete?: (bindToEvent: GtmBindToEvent) => void,
    onStart?: (bindToEvent: GtmBindToEvent) => void,
  ): void;
  sendEventToGoogle(event: GtmEvent): GtmPromise<{ location?: string }>;
  sendEventToGoogleAnalytics(event: GtmEvent): GtmPromise<{ location?: string }>;
  /** With a callback: it gets the response. Without: a promise of the response. */
  sendHttpGet(url: string, callback: GtmHttpCallback, options?: GtmHttpGetOptions): void;
  sendHttpGet(url: string, options?: GtmHttpGetOptions): GtmPromise<GtmHttpResponse>;
  /** With a callback: it gets the response. Without: a promise of the response. */
  sendHttpRequest(
    url: string,
    callback: GtmHttpCallback,
    options?: GtmHttpRequestOptions,
    body?: string,
  ): void;
  sendHttpRequest(url: string, options?: GtmHttpRequestOptions, body?: string): GtmPromise<GtmHttpResponse>;
  sendMessage(messageType: string, message?: unknown): void;
  sendPixelFromBrowser(url: string): boolean;
  setCookie(name: string, value: string, options?: GtmServerCookieOptions, noEncode?: boolean): void;
  setPixelResponse(): void;
  setResponseBody(
    body: string,
    encoding?: 'ascii' | 'utf8' | 'utf16le' | 'ucs2' | 'base64' | 'latin1' | 'binary' | 'hex',
  ): void;
  setResponseHeader(name: string, value: string | null | undefined): void;
  setResponseStatus(statusCode: number): void;
  sha256(
    input: string,
    onSuccess: (digest: string) => void,
    options?: { outputEncoding?: 'base64' | 'hex' },
  ): void;
  sha256Sync(input: string, options?: { outputEncoding?: 'base64' | 'hex' }): string;
  templateDataStorage: {
    getItemCopy(key: string): any;
    setItemCopy(key: string, value: unknown): void;
    removeItem(key: string): void;
    clear(): void;
  };
  testRegex(regex: GtmRegex, string: string): boolean;
  toBase64(input: string, options?: { urlEncoding?: boolean }): string;
}

/** The sandbox's module loader: `require('getEventData')` etc. */
declare function require<K extends keyof GtmServerApis>(name: K): GtmServerApis[K];
