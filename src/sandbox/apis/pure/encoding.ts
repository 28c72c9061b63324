// Text encodings and hashing: URI escapes, base64, sha256, parseUrl.

import { base64Decode, base64Encode, sha256Bytes, toHex, utf8Decode, utf8Encode } from '../../crypto.js';
import type { ApiContext, ApiDefinition } from '../types.js';
import { orUndefined } from './builtins.js';

function parseUrl(ctx: ApiContext, href: unknown): unknown {
  let url: URL;
  try {
    url = new URL(String(href));
  } catch {
    return undefined;
  }
  // As gtm.js builds it: own keys only (`?constructor=1` is a key like any other), a repeated key
  // a list. Evidence in docs/runtime.md, "Web APIs".
  const searchParams: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = Object.prototype.hasOwnProperty.call(searchParams, k) ? searchParams[k] : undefined;
    searchParams[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return ctx.bridge.toSandbox({
    href: url.href,
    origin: url.origin,
    protocol: url.protocol,
    username: url.username,
    password: url.password,
    host: url.host,
    hostname: url.hostname,
    port: url.port,
    pathname: url.pathname,
    search: url.search,
    searchParams,
    hash: url.hash,
  });
}

export const ENCODING_APIS: Record<string, ApiDefinition> = {
  encodeUri: { call: (_ctx, [v]) => orUndefined(() => encodeURI(String(v))) },
  encodeUriComponent: { call: (_ctx, [v]) => orUndefined(() => encodeURIComponent(String(v))) },
  decodeUri: { call: (_ctx, [v]) => orUndefined(() => decodeURI(String(v))) },
  decodeUriComponent: { call: (_ctx, [v]) => orUndefined(() => decodeURIComponent(String(v))) },
  toBase64: { call: (_ctx, [v]) => base64Encode(utf8Encode(String(v))) },
  fromBase64: {
    call: (_ctx, [v]) => {
      const bytes = base64Decode(String(v));
      return bytes === undefined ? undefined : utf8Decode(bytes);
    },
  },
  sha256: {
    // Asynchronous: the digest goes to onSuccess (base64 unless options ask for hex).
    call: (ctx, [input, onSuccess, _onFailure, options]) => {
      const encoding = (options as { outputEncoding?: unknown } | undefined)?.outputEncoding;
      const digest = sha256Bytes(utf8Encode(String(input)));
      const text = encoding === 'hex' ? toHex(digest) : base64Encode(digest);
      ctx.schedule(() => ctx.callSandbox(onSuccess, [text]));
      return undefined;
    },
  },
  parseUrl: { call: (ctx, [href]) => parseUrl(ctx, href) },
};
