// Outgoing traffic (`send_http`, `send_pixel_from_browser`): sendHttpRequest and sendHttpGet in
// their callback and Promise forms, sendEventToGoogle, getGoogleScript, sendPixelFromBrowser.
// Nothing is ever sent: the world's `http` table answers, and a request it does not answer ends the
// run with a message saying how to answer it (a mock in the test, or `server.http`); in a test
// scenario, as in GTM's Tests tab, it stays pending instead (docs/runtime.md, "Server APIs").

import { SandboxError } from '../../realm.js';
import type { HttpAnswer, OutgoingRequest } from '../../server-world.js';
import { snapshot } from '../../values.js';
import type { ApiContext, ApiDefinition } from '../types.js';
import { later } from '../pure/index.js';
import { deferred, settledPromise } from './promise.js';

/** GTM's default timeout for outgoing requests, in milliseconds (Google's reference). */
const DEFAULT_TIMEOUT_MS = 15000;

function stringHeaders(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      if (v !== undefined) out[k] = String(v);
  }
  return out;
}

/**
 * Answers `request` from the world. No request ever leaves the sandbox: one nothing answers is
 * left pending in a test scenario (`undefined`: its callback and promise never settle, as in GTM's
 * Tests tab) and ends the run anywhere else.
 */
export function answerOrFail(ctx: ApiContext, request: OutgoingRequest): HttpAnswer | undefined {
  ctx.record.server.httpRequests.push(request);
  const answer = ctx.page.server.answer(request);
  if (answer) return answer;
  if (ctx.unansweredRequestsPend) {
    ctx.unansweredRequests.push(request);
    return undefined;
  }
  throw new SandboxError(
    'sandbox/no-response',
    `${request.api}: nothing answers ${request.method} ${request.url} (requests are never sent): ` +
      `mock('${request.api}', …) in the test, or give the world a response in server.http`,
  );
}

interface HttpCall {
  url: string;
  callback?: unknown;
  options: Record<string, unknown>;
  body?: unknown;
}

/** sendHttpRequest(url[, callback][, options][, body]): a function second argument is the callback. */
function httpCall(args: unknown[], withBody: boolean): HttpCall {
  const [url, second, third, fourth] = args;
  const hasCallback = typeof second === 'function';
  const options = (hasCallback ? third : second) as Record<string, unknown> | undefined;
  const body = withBody ? (hasCallback ? fourth : third) : undefined;
  return {
    url: String(url),
    callback: hasCallback ? second : undefined,
    options: options && typeof options === 'object' ? options : {},
    body,
  };
}

function send(ctx: ApiContext, api: string, call: HttpCall, defaultMethod: string): unknown {
  const request: OutgoingRequest = {
    api,
    url: call.url,
    method: String(call.options.method ?? defaultMethod).toUpperCase(),
    headers: stringHeaders(call.options.headers),
    ...(call.body === undefined || call.body === null ? {} : { body: String(call.body) }),
    timeout: call.options.timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(call.options.timeout),
    ...(call.options.authorization === undefined || call.options.authorization === null
      ? {}
      : { authorization: snapshot(call.options.authorization) }),
  };
  const answer = answerOrFail(ctx, request);
  if (!answer) return call.callback !== undefined ? undefined : deferred(ctx).promise;
  if ('error' in answer) {
    // The callback gets no status code; the promise rejects with { reason }.
    if (call.callback !== undefined) {
      // Google's reference: a failed request calls back with status 0, a timed-out one with -1;
      // neither has headers or a body.
      const status = answer.error === 'timed_out' ? -1 : 0;
      later(ctx, call.callback, [status, ctx.bridge.toSandbox({}), undefined]);
      return undefined;
    }
    return settledPromise(ctx, 'rejected', { reason: answer.error });
  }
  // Google's reference: the callback gets "the response body (or undefined if there was no
  // response body)"; an answer without `body` has none, in either form.
  const response = {
    statusCode: answer.statusCode ?? 200,
    headers: snapshot(answer.headers ?? {}),
    body: answer.body,
  };
  if (call.callback !== undefined) {
    later(ctx, call.callback, [response.statusCode, ctx.bridge.toSandbox(response.headers), response.body]);
    return undefined;
  }
  return settledPromise(ctx, 'fulfilled', response);
}

export const HTTP_APIS: Record<string, ApiDefinition> = {
  sendHttpRequest: {
    check: (ctx, [url]) => ctx.demand('sendHttpRequest', 'send_http', url),
    call: (ctx, args) => send(ctx, 'sendHttpRequest', httpCall(args, true), 'GET'),
  },
  sendHttpGet: {
    check: (ctx, [url]) => ctx.demand('sendHttpGet', 'send_http', url),
    call: (ctx, args) => send(ctx, 'sendHttpGet', httpCall(args, false), 'GET'),
  },
  sendPixelFromBrowser: {
    check: (ctx, [url]) => ctx.demand('sendPixelFromBrowser', 'send_pixel_from_browser', url),
    call: (ctx, [url]) => {
      // The client that answers the request (GA4's) tells the browser to load the pixel. Once the
      // response has been returned there is nothing left to carry the command: false, as
      // Google's reference says.
      if (ctx.record.server.response.returned > 0) return false;
      ctx.record.server.pixelsFromBrowser.push(String(url));
      return true;
    },
  },
  sendEventToGoogle: {
    check: (ctx) =>
      ctx.demand('sendEventToGoogle', 'send_http', 'https://www.google-analytics.com/g/collect'),
    call: (ctx, [event]) => sendToGoogle(ctx, 'sendEventToGoogle', event),
  },
  getGoogleScript: {
    check: (ctx, args) => {
      const { script, options } = googleScriptCall(args);
      ctx.demand('getGoogleScript', 'send_http', googleScriptUrl(script, scriptOptions(options)));
    },
    call: (ctx, args) => getGoogleScript(ctx, googleScriptCall(args)),
  },
  sendEventToGoogleAnalytics: {
    check: (ctx) =>
      ctx.demand('sendEventToGoogleAnalytics', 'send_http', 'https://www.google-analytics.com/g/collect'),
    call: (ctx, [event]) => sendToGoogle(ctx, 'sendEventToGoogleAnalytics', event),
  },
};

/** The event goes to Google Analytics' collection endpoint, answered like any outgoing request. */
function sendToGoogle(ctx: ApiContext, api: string, event: unknown): unknown {
  const copy = snapshot(event);
  ctx.record.server.eventsToGoogle.push(copy);
  const answer = answerOrFail(ctx, {
    api,
    url: 'https://www.google-analytics.com/g/collect',
    method: 'POST',
    headers: {},
    body: JSON.stringify(copy),
  });
  if (!answer) return deferred(ctx).promise;
  if ('error' in answer) return settledPromise(ctx, 'rejected', { reason: answer.error });
  // Google's reference: the promise resolves to an object with a `location` key (the redirect a
  // client passes on) when there is one; the answer's `Location` header gives it.
  const location = Object.entries(answer.headers ?? {}).find(([k]) => k.toLowerCase() === 'location')?.[1];
  return settledPromise(ctx, 'fulfilled', location === undefined ? {} : { location: String(location) });
}

/**
 * Where getGoogleScript fetches each of its scripts from: GTM's own server-side clients serve them
 * from these Google URLs. Google's reference names the three scripts and the options `id`, `debug`
 * and `timeout`; the request is answered by the world like any other and is never sent.
 */
function googleScriptUrl(script: unknown, opts: Record<string, unknown>): string {
  const id = opts.id === undefined ? '' : encodeURIComponent(String(opts.id));
  switch (script) {
    case 'ANALYTICS':
      return `https://www.google-analytics.com/${opts.debug ? 'analytics_debug.js' : 'analytics.js'}`;
    case 'GTAG':
      return `https://www.googletagmanager.com/gtag/js?id=${id}`;
    case 'GTM':
      return `https://www.googletagmanager.com/gtm.js?id=${id}`;
    default:
      throw new SandboxError(
        'sandbox/api-error',
        `getGoogleScript: unknown script ${JSON.stringify(script)}; the scripts are 'ANALYTICS', 'GTAG' and 'GTM'`,
      );
  }
}

/** getGoogleScript's optional options object, as a record (anything else reads as no options). */
function scriptOptions(options: unknown): Record<string, unknown> {
  return (options && typeof options === 'object' ? options : {}) as Record<string, unknown>;
}

/** The caching headers getGoogleScript copies into `metadata`, each only when the response has it. */
const SCRIPT_METADATA_HEADERS = ['cache-control', 'expires', 'last-modified'];

interface GoogleScriptCall {
  script: unknown;
  callback?: unknown;
  options: unknown;
}

/**
 * getGoogleScript(script[, options]), or the older getGoogleScript(script, callback[, options]):
 * a function second argument is the callback, as for sendHttpGet (docs/runtime.md, "Server APIs").
 */
function googleScriptCall([script, second, third]: unknown[]): GoogleScriptCall {
  return typeof second === 'function'
    ? { script, callback: second, options: third }
    : { script, options: second };
}

/**
 * getGoogleScript: a promise of { script, metadata }, rejected with { reason }; in the callback
 * form, callback(script, metadata) after the code returns, and nothing when the request fails.
 */
function getGoogleScript(ctx: ApiContext, { script, callback, options }: GoogleScriptCall): unknown {
  const opts = scriptOptions(options);
  const answer = answerOrFail(ctx, {
    api: 'getGoogleScript',
    url: googleScriptUrl(script, opts),
    method: 'GET',
    headers: {},
    timeout: opts.timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(opts.timeout),
  });
  if (!answer) return callback !== undefined ? undefined : deferred(ctx).promise;
  if ('error' in answer) {
    return callback !== undefined ? undefined : settledPromise(ctx, 'rejected', { reason: answer.error });
  }
  const headers = Object.fromEntries(
    Object.entries(answer.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  const metadata: Record<string, string> = {};
  for (const name of SCRIPT_METADATA_HEADERS) if (name in headers) metadata[name] = headers[name]!;
  if (callback !== undefined) {
    later(ctx, callback, [answer.body ?? '', ctx.bridge.toSandbox(metadata)]);
    return undefined;
  }
  return settledPromise(ctx, 'fulfilled', { script: answer.body ?? '', metadata });
}
