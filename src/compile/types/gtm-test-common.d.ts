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

/** Each assertion returns the subject, so API assertions chain too: `assertApi('x').wasCalled().wasCalledWith(1)`. */
export interface ApiSubject {
  wasCalled(): ApiSubject;
  wasNotCalled(): ApiSubject;
  wasCalledWith(...expected: unknown[]): ApiSubject;
  wasNotCalledWith(...expected: unknown[]): ApiSubject;
}

/** Each assertion returns the subject, so assertions chain as in Google's Truth: `assertThat(s).contains('a').hasLength(2)`. */
export interface Subject {
  isUndefined(): Subject;
  isDefined(): Subject;
  isNull(): Subject;
  isNotNull(): Subject;
  isTrue(): Subject;
  isFalse(): Subject;
  isTruthy(): Subject;
  isFalsy(): Subject;
  isNaN(): Subject;
  isNotNaN(): Subject;
  isInfinity(): Subject;
  isNotInfinity(): Subject;
  isEqualTo(expected: unknown): Subject;
  isNotEqualTo(expected: unknown): Subject;
  isAnyOf(...expected: unknown[]): Subject;
  isNoneOf(...expected: unknown[]): Subject;
  isStrictlyEqualTo(expected: unknown): Subject;
  isNotStrictlyEqualTo(expected: unknown): Subject;
  isGreaterThan(expected: unknown): Subject;
  isGreaterThanOrEqualTo(expected: unknown): Subject;
  isLessThan(expected: unknown): Subject;
  isLessThanOrEqualTo(expected: unknown): Subject;
  contains(...expected: unknown[]): Subject;
  doesNotContain(...expected: unknown[]): Subject;
  containsExactly(...expected: unknown[]): Subject;
  doesNotContainExactly(...expected: unknown[]): Subject;
  hasLength(expected: number): Subject;
  isEmpty(): Subject;
  isNotEmpty(): Subject;
  isArray(): Subject;
  isBoolean(): Subject;
  isFunction(): Subject;
  isNumber(): Subject;
  isObject(): Subject;
  isString(): Subject;
}
export declare function assertThat(actual: unknown, message?: string): Subject;
