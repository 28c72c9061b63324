// Hashing and base64 without node:crypto or Buffer, so the runtime also works in a browser page.
// SHA-256 and HMAC come from @noble/hashes (audited, no dependencies, Node and browsers). Strings are
// hashed and encoded as UTF-8, as GTM's `sha256`/`toBase64` document.

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export function utf8Encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Decodes UTF-8; `undefined` when the bytes are not valid UTF-8. */
export function utf8Decode(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The SHA-256 digest of `message` (FIPS 180-4), from @noble/hashes. */
export function sha256Bytes(message: Uint8Array): Uint8Array {
  return sha256(message);
}

/** HMAC-SHA-256 of `message` under `key` (RFC 2104), from @noble/hashes. */
export function hmacSha256Bytes(key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(sha256, key, message);
}

export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding; `urlSafe` uses `-` and `_` and drops the padding (RFC 4648 §5). */
export function base64Encode(bytes: Uint8Array, urlSafe = false): string {
  const text = standardBase64(bytes);
  return urlSafe ? text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : text;
}

function standardBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? B64[n & 63]! : '=';
  }
  return out;
}

/** Decodes standard or URL-safe base64 (padding optional); `undefined` on malformed input. */
export function base64Decode(text: string): Uint8Array | undefined {
  const clean = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (clean.length % 4 === 1) return undefined;
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    const v = B64.indexOf(ch);
    if (v < 0) return undefined;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return new Uint8Array(bytes);
}
