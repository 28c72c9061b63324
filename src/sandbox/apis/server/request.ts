// The incoming request (permission `read_request`): method, path, query, headers, body, remote
// address and cookies, claimRequest, and the Measurement Protocol helpers.

import { SandboxError } from '../../realm.js';
import type { ApiContext, ApiDefinition } from '../types.js';
import { mpv1Events, mpv2Events } from './measurement-protocol.js';

function request(ctx: ApiContext) {
  return ctx.page.server.request;
}

/** A header's values, joined with ', ' when it repeats, as Google's reference says. */
export function requestHeader(ctx: ApiContext, name: string): string | undefined {
  const values = request(ctx).headers.get(name.toLowerCase());
  return values && values.length ? values.join(', ') : undefined;
}

/** Cookie values from the request's Cookie header(s), in order. */
export function requestCookies(ctx: ApiContext, name: string): string[] {
  const out: string[] = [];
  for (const header of request(ctx).headers.get('cookie') ?? []) {
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      if (part.slice(0, eq).trim() === name) out.push(part.slice(eq + 1).trim());
    }
  }
  return out;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Throws in tags and variables: only a client may claim the request (Google's reference). */
function clientOnly(ctx: ApiContext, api: string): void {
  const type = ctx.template.info?.type;
  if (type !== undefined && type !== 'CLIENT') {
    throw new SandboxError(
      'sandbox/api-error',
      `${api}: only a client can claim the request (this is a ${type === 'MACRO' ? 'variable' : 'tag'})`,
    );
  }
}

const MPV1_PATHS = /^\/(?:[rj]\/)?collect$/;
const MPV2_PATHS = /^\/g\/collect$/;

export const REQUEST_APIS: Record<string, ApiDefinition> = {
  claimRequest: {
    check: (ctx) => ctx.demand('claimRequest', 'return_response'),
    call: (ctx) => {
      clientOnly(ctx, 'claimRequest');
      // Google's reference: it throws when called after the client returns, e.g. in an async
      // callback (callLater, a request's callback or promise, runContainer's onComplete), and
      // once the response is returned.
      if (!ctx.codeRunning || ctx.record.server.response.returned > 0) {
        // GTM's own message (quoted in stape-io/data-client's scenarios).
        throw new SandboxError(
          'sandbox/api-error',
          'claimRequest: Tried to claim a request after a Client had returned. Calling claimRequest from a callback is not supported.',
        );
      }
      ctx.record.server.claimed = true;
      return undefined;
    },
  },
  getRequestBody: {
    check: (ctx) => ctx.demand('getRequestBody', 'read_request', 'body'),
    call: (ctx) => request(ctx).body,
  },
  getRequestHeader: {
    check: (ctx, [name]) => ctx.demand('getRequestHeader', 'read_request', 'header', name),
    call: (ctx, [name]) => requestHeader(ctx, String(name)),
  },
  getRequestMethod: {
    check: (ctx) => ctx.demand('getRequestMethod', 'read_request', 'method'),
    call: (ctx) => request(ctx).method,
  },
  getRequestPath: {
    check: (ctx) => ctx.demand('getRequestPath', 'read_request', 'path'),
    call: (ctx) => request(ctx).path,
  },
  getRequestQueryParameter: {
    check: (ctx, [name]) => ctx.demand('getRequestQueryParameter', 'read_request', 'query_parameter', name),
    call: (ctx, [name]) => request(ctx).query.find(([k]) => k === String(name))?.[1],
  },
  getRequestQueryParameters: {
    check: (ctx) => ctx.demand('getRequestQueryParameters', 'read_request', 'query_parameter'),
    call: (ctx) => {
      // Names map to a value, or to all values in order when a name repeats.
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of request(ctx).query) {
        const prev = out[k];
        out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      return out;
    },
  },
  getRequestQueryString: {
    check: (ctx) => ctx.demand('getRequestQueryString', 'read_request', 'query_string'),
    call: (ctx) => request(ctx).queryString,
  },
  getRemoteAddress: {
    check: (ctx) => ctx.demand('getRemoteAddress', 'read_request', 'remote_address'),
    call: (ctx) => request(ctx).remoteAddress,
  },
  getClientName: {
    check: (ctx) => ctx.demand('getClientName', 'read_container_data'),
    call: (ctx) => ctx.page.server.init.clientName ?? '',
  },
  getCookieValues: {
    check: (ctx, [name]) => ctx.demand('getCookieValues', 'get_cookies', name),
    call: (ctx, [name, noDecode]) => {
      const values = requestCookies(ctx, String(name));
      return noDecode === true ? values : values.map(decode);
    },
  },
  isRequestMpv1: {
    call: (ctx) => MPV1_PATHS.test(request(ctx).path),
  },
  isRequestMpv2: {
    call: (ctx) => MPV2_PATHS.test(request(ctx).path),
  },
  extractEventsFromMpv1: {
    check: (ctx) => {
      ctx.demand('extractEventsFromMpv1', 'read_request', 'body');
      ctx.demand('extractEventsFromMpv1', 'read_request', 'query_parameter');
    },
    call: (ctx) => {
      if (!MPV1_PATHS.test(request(ctx).path)) {
        throw new SandboxError(
          'sandbox/api-error',
          'extractEventsFromMpv1: the request is not a Measurement Protocol v1 request',
        );
      }
      return mpv1Events(request(ctx), requestHeader(ctx, 'user-agent'));
    },
  },
  extractEventsFromMpv2: {
    check: (ctx) => {
      ctx.demand('extractEventsFromMpv2', 'read_request', 'body');
      ctx.demand('extractEventsFromMpv2', 'read_request', 'query_parameter');
    },
    call: (ctx) => {
      if (!MPV2_PATHS.test(request(ctx).path)) {
        throw new SandboxError(
          'sandbox/api-error',
          'extractEventsFromMpv2: the request is not a Measurement Protocol v2 request',
        );
      }
      return mpv2Events(request(ctx), requestHeader(ctx, 'user-agent'));
    },
  },
};
