// The response to the incoming request (permissions `access_response`, `return_response`,
// `set_cookies`): status, headers, body, the pixel response, cookies, and returnResponse, which
// sends it (a client is done once it returns the response).

import { snapshot } from '../../values.js';
import { base64Decode, utf8Decode } from '../../crypto.js';
import type { ApiContext, ApiDefinition } from '../types.js';
import { PIXEL_RESPONSE_HEADERS } from '../../../gtm/permissions.js';

function response(ctx: ApiContext) {
  return ctx.record.server.response;
}

function setHeader(ctx: ApiContext, name: string, value: string): void {
  response(ctx).headers[name.toLowerCase()] = [value];
}

/** The Set-Cookie header GTM writes for `setCookie(name, value, options)`. */
export function setCookieHeader(name: string, value: string, options: Record<string, unknown>): string {
  const parts = [`${name}=${value}`];
  const attr = (key: string, label: string) => {
    const v = options[key];
    if (v !== undefined && v !== null && v !== '' && v !== 'auto') parts.push(`${label}=${String(v)}`);
  };
  attr('domain', 'Domain');
  attr('path', 'Path');
  attr('expires', 'Expires');
  attr('max-age', 'Max-Age');
  if (options.secure === true) parts.push('Secure');
  if (options.httpOnly === true) parts.push('HttpOnly');
  const sameSite = options.sameSite ?? options.samesite;
  if (sameSite !== undefined && sameSite !== null && sameSite !== '')
    parts.push(`SameSite=${String(sameSite)}`);
  return parts.join('; ');
}

/**
 * The body as its text, for `setResponseBody(body, encoding)`. Google's reference lists Node's
 * encodings ('ascii', 'utf8', 'utf16le', 'ucs2', 'base64', 'latin1', 'binary', 'hex'; default
 * 'utf8'). The two that encode bytes as text are decoded (as Node's Buffer reads them: base64 of
 * either alphabet, hex up to the first pair that is not hex), and their bytes read as UTF-8 when
 * they are; the character encodings leave the text as it is.
 */
function bodyText(body: string, encoding: unknown): string {
  let bytes: Uint8Array | undefined;
  if (encoding === 'base64') {
    bytes = base64Decode(body);
    if (bytes === undefined) return '';
  } else if (encoding === 'hex') {
    const pairs = /^(?:[0-9a-fA-F]{2})*/.exec(body)![0];
    bytes = new Uint8Array(pairs.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(pairs.slice(2 * i, 2 * i + 2), 16);
  } else return body;
  return utf8Decode(bytes) ?? body;
}

/** A 1x1 transparent GIF. */
const PIXEL_GIF = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

export const RESPONSE_APIS: Record<string, ApiDefinition> = {
  setResponseStatus: {
    check: (ctx) => ctx.demand('setResponseStatus', 'access_response', 'status'),
    call: (ctx, [statusCode]) => {
      response(ctx).statusCode = Number(statusCode);
      return undefined;
    },
  },
  setResponseHeader: {
    check: (ctx, [name]) => ctx.demand('setResponseHeader', 'access_response', 'header', name),
    call: (ctx, [name, value]) => {
      if (value === undefined || value === null) delete response(ctx).headers[String(name).toLowerCase()];
      else setHeader(ctx, String(name), String(value));
      return undefined;
    },
  },
  setResponseBody: {
    check: (ctx) => ctx.demand('setResponseBody', 'access_response', 'body'),
    call: (ctx, [body, encoding]) => {
      response(ctx).body = bodyText(String(body), encoding);
      return undefined;
    },
  },
  setPixelResponse: {
    check: (ctx) => {
      ctx.demand('setPixelResponse', 'access_response', 'status');
      ctx.demand('setPixelResponse', 'access_response', 'body');
      for (const h of PIXEL_RESPONSE_HEADERS) ctx.demand('setPixelResponse', 'access_response', 'header', h);
    },
    call: (ctx) => {
      // A 1x1 GIF that user agents do not cache, with status 200 (Google's reference).
      const r = response(ctx);
      r.statusCode = 200;
      r.body = PIXEL_GIF;
      setHeader(ctx, 'Content-Type', 'image/gif');
      setHeader(ctx, 'Cache-Control', 'no-store, no-cache, must-revalidate, max-age=0');
      setHeader(ctx, 'Expires', 'Fri, 01 Jan 1990 00:00:00 GMT');
      setHeader(ctx, 'Pragma', 'no-cache');
      return undefined;
    },
  },
  returnResponse: {
    check: (ctx) => ctx.demand('returnResponse', 'return_response'),
    call: (ctx) => {
      // A second call is no error in GTM (stape-io/data-client's scenarios return once per runCode
      // in one scenario); the count shows it, and --once reports it. The first call flushes the
      // response: later setters no longer reach the client.
      const r = response(ctx);
      if (r.returned++ === 0) {
        const headers: Record<string, string[]> = {};
        for (const [name, values] of Object.entries(r.headers)) headers[name] = [...values];
        r.sent = { statusCode: r.statusCode, headers, body: r.body };
      }
      return undefined;
    },
  },
  setCookie: {
    check: (ctx, [name, _value, options]) => ctx.demand('setCookie', 'set_cookies', name, options),
    call: (ctx, [name, value, options, noEncode]) => {
      const text = String(value);
      const opts = (options && typeof options === 'object' ? snapshot(options) : {}) as Record<
        string,
        unknown
      >;
      const stored = noEncode === true ? text : encodeURIComponent(text);
      ctx.record.cookiesSet.push({
        name: String(name),
        value: text,
        options: opts,
        encode: noEncode !== true,
      });
      const headers = response(ctx).headers;
      headers['set-cookie'] = [...(headers['set-cookie'] ?? []), setCookieHeader(String(name), stored, opts)];
      return undefined;
    },
  },
};
