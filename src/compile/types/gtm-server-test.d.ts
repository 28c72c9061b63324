// Typings of the virtual module 'gtm/test' for server projects: GTM's template test API (the Tests
// tab) with `mock`, `mockObject` and `assertApi` typed against the server APIs, so a misspelt API
// name, a web API, or a mocked return value of the wrong type is a type error in the test file.

/// <reference path="./gtm-server-globals.d.ts" />

export * from './gtm-test-common';
import type { ApiSubject } from './gtm-test-common';

type GtmServerFunctionApi = {
  [K in keyof GtmServerApis]: GtmServerApis[K] extends (...args: any[]) => any ? K : never;
}[keyof GtmServerApis];

/** The server APIs that are objects of methods (`BigQuery`, `Firestore`, `templateDataStorage`, …). */
type GtmServerObjectApi = Exclude<keyof GtmServerApis, GtmServerFunctionApi>;

/**
 * A mock of an API: a function, which runs in place of the API with the call's arguments (for
 * `sendHttpRequest`, `(url, callback, options, body)` or `(url, options, body)` as the code calls
 * it), or a value that every call returns (for `sendHttpRequest`, a promise from `Promise.create`).
 */
type GtmMockOf<F> = ((...args: any[]) => unknown) | (F extends (...args: any[]) => infer R ? R : never);

/** Replaces the API `apiName` for the rest of the scenario. */
export declare function mock<K extends GtmServerFunctionApi>(
  apiName: K,
  returnValueOrImplementation: GtmMockOf<GtmServerApis[K]>,
): void;

/** Replaces methods of an object API (`mockObject('BigQuery', { insert: () => … })`). */
export declare function mockObject<K extends GtmServerObjectApi>(
  apiName: K,
  objectMock: { [M in keyof GtmServerApis[K]]?: GtmMockOf<GtmServerApis[K][M]> },
): void;

/** Assertions on how the code called an API, or a tag's `gtmOnSuccess`/`gtmOnFailure`. */
export declare function assertApi(apiName: keyof GtmServerApis | 'gtmOnSuccess' | 'gtmOnFailure'): ApiSubject;
