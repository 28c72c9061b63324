// Typings of the virtual module 'gtm/test' for web projects: GTM's template test API (the Tests tab),
// used by `tests/*.test.ts`. Each `scenario` becomes one ___TESTS___ scenario; `setup` the shared setup.

/// <reference path="./gtm-globals.d.ts" />

export * from './gtm-test-common';
import type { ApiSubject } from './gtm-test-common';

export declare function mock(apiName: string, returnValueOrImplementation: unknown): void;
export declare function mockObject(apiName: string, objectMock: { [key: string]: unknown }): void;
export declare function assertApi(apiName: string): ApiSubject;
