// The part of GTM's template test API (the Tests tab) that web and server scenarios share:
// scenarios, setup, runCode and the assertion subjects. gtm-test.d.ts (web) and
// gtm-server-test.d.ts (server) add `mock`, `mockObject` and `assertApi` for their context's APIs.

/** Declares one test scenario; its body is compiled to sandboxed JavaScript. */
export declare function scenario(name: string, body: () => void): void;
/** Code run before every scenario of the template, in the scenario's scope. */
export declare function setup(body: () => void): void;

/** Runs the template's code with `data`; returns what a variable template returns. */
export declare function runCode(data: { [key: string]: unknown }): any;
export declare function fail(message?: string): never;

export interface ApiSubject {
  wasCalled(): void;
  wasNotCalled(): void;
  wasCalledWith(...expected: unknown[]): void;
  wasNotCalledWith(...expected: unknown[]): void;
}

export interface Subject {
  isUndefined(): void;
  isDefined(): void;
  isNull(): void;
  isNotNull(): void;
  isTrue(): void;
  isFalse(): void;
  isTruthy(): void;
  isFalsy(): void;
  isNaN(): void;
  isNotNaN(): void;
  isInfinity(): void;
  isNotInfinity(): void;
  isEqualTo(expected: unknown): void;
  isNotEqualTo(expected: unknown): void;
  isAnyOf(...expected: unknown[]): void;
  isNoneOf(...expected: unknown[]): void;
  isStrictlyEqualTo(expected: unknown): void;
  isNotStrictlyEqualTo(expected: unknown): void;
  isGreaterThan(expected: unknown): void;
  isGreaterThanOrEqualTo(expected: unknown): void;
  isLessThan(expected: unknown): void;
  isLessThanOrEqualTo(expected: unknown): void;
  contains(...expected: unknown[]): void;
  doesNotContain(...expected: unknown[]): void;
  containsExactly(...expected: unknown[]): void;
  doesNotContainExactly(...expected: unknown[]): void;
  hasLength(expected: number): void;
  isEmpty(): void;
  isNotEmpty(): void;
  isArray(): void;
  isBoolean(): void;
  isFunction(): void;
  isNumber(): void;
  isObject(): void;
  isString(): void;
}
export declare function assertThat(actual: unknown, message?: string): Subject;
