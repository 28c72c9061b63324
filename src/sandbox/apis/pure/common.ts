// APIs both contexts share that touch the run itself: time, randomness, callLater, logging,
// queryPermission, the container version and callbacks at the end of the event.

import { snapshot } from '../../values.js';
import type { ApiContext, ApiDefinition } from '../types.js';

const isNumber = (value: unknown): value is number => typeof value === 'number' && !Number.isNaN(value);

/** Runs sandbox callbacks later unless `fn` is not a function. */
export function later(ctx: ApiContext, fn: unknown, args: unknown[] = []): void {
  ctx.schedule(() => ctx.callSandbox(fn, args));
}

/**
 * Whether `logging` lets a log line through here: "debug" (GTM's default) only in preview/debug
 * mode, "all" always, and no line without the permission.
 */
function loggingAllowed(ctx: ApiContext): boolean {
  const params = ctx.permissions.params('logging');
  if (!params) return false;
  return (params.environments ?? 'debug') === 'all' || ctx.page.debugMode;
}

/** Older names `queryPermission` still accepts (Google's API reference lists them). */
const LEGACY_QUERIES: Record<string, (args: unknown[]) => [string, unknown[]]> = {
  sendPixel: (args) => ['send_pixel', args],
  injectScript: (args) => ['inject_script', args],
  injectHiddenIframe: (args) => ['inject_hidden_iframe', args],
  readGlobals: ([key]) => ['access_globals', ['read', key]],
  writeGlobals: ([key]) => ['access_globals', ['write', key]],
  readUrl: (args) => ['get_url', args],
};

export const COMMON_APIS: Record<string, ApiDefinition> = {
  addEventCallback: {
    check: (ctx) => ctx.demand('addEventCallback', 'read_event_metadata'),
    call: (ctx, [callback]) => {
      ctx.eventCallbacks.push(callback);
      return undefined;
    },
  },
  getContainerVersion: {
    check: (ctx) => ctx.demand('getContainerVersion', 'read_container_data'),
    call: (ctx) => ctx.bridge.toSandbox({ ...ctx.page.containerVersion }),
  },
  generateRandom: {
    // gtm.js's own helper, in ten published builds (docs/runtime.md, "Pure APIs"): a bound that is
    // not a number, or min above max, gives the range 0..2147483647; bounds are not rounded.
    call: (ctx, [min, max]) => {
      // Web templates only get here with numbers (the signature); server ones may pass others.
      let lo = Number(min);
      let hi = Number(max);
      if (!isNumber(lo) || !isNumber(hi) || lo > hi) {
        lo = 0;
        hi = 2147483647;
      }
      return Math.floor(ctx.page.nextRandom() * (hi - lo + 1) + lo);
    },
  },
  getTimestamp: { call: (ctx) => ctx.page.timestamp },
  getTimestampMillis: { call: (ctx) => ctx.page.timestamp },
  callLater: {
    call: (ctx, [fn]) => {
      later(ctx, fn);
      return undefined;
    },
  },
  logToConsole: {
    // Google's permissions reference (logging): "When the permission is denied, logToConsole will
    // not throw an error, but suppress the log message." So no check: a template without the
    // permission (a computed require GTM cannot detect) logs nothing and goes on.
    call: (ctx, args) => {
      // `debug` logs only in preview/debug mode; `all` always.
      if (loggingAllowed(ctx)) {
        ctx.record.logs.push(args.map((a) => snapshot(a)));
        ctx.page.host.log?.(args.map((a) => ctx.bridge.toPage(a)));
      }
      return undefined;
    },
  },
  queryPermission: {
    call: (ctx, [permission, ...args]) => {
      const legacy = LEGACY_QUERIES[String(permission)];
      const [id, queryArgs] = legacy ? legacy(args) : [String(permission), args];
      return ctx.permissions.query(id, queryArgs).allowed;
    },
  },
};
