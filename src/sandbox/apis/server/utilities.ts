// Server utilities: regular expressions (createRegex/testRegex), computeEffectiveTldPlusOne, and
// the server forms of hashing and base64 (sha256 without onFailure, sha256Sync, hmacSha256,
// toBase64/fromBase64 with `urlEncoding`).

import { getDomain } from 'tldts';
import {
  base64Decode,
  base64Encode,
  hmacSha256Bytes,
  sha256Bytes,
  toHex,
  utf8Decode,
  utf8Encode,
} from '../../crypto.js';
import { SandboxError, type RealmFunction } from '../../realm.js';
import type { ApiContext, ApiDefinition } from '../types.js';

const REGEX_FACTORY = 'return new (/(?:)/.constructor)(pattern, flags);';

/** A RegExp made in the realm, so the sandbox's own string methods accept it. */
function realmRegex(ctx: ApiContext, pattern: string, flags: string): unknown {
  let factory = ctx.realm.compiled.get(REGEX_FACTORY);
  if (!factory) {
    factory = ctx.realm.compileFunction(['pattern', 'flags'], REGEX_FACTORY, 'createRegex.js');
    ctx.realm.compiled.set(REGEX_FACTORY, factory);
  }
  return (factory as RealmFunction)(pattern, flags);
}

function encodingOf(options: unknown): unknown {
  return options && typeof options === 'object'
    ? (options as { outputEncoding?: unknown }).outputEncoding
    : undefined;
}

function encodeDigest(digest: Uint8Array, encoding: unknown): string {
  return encoding === 'hex' ? toHex(digest) : base64Encode(digest);
}

function urlEncodingOf(options: unknown): boolean {
  return (
    !!options && typeof options === 'object' && (options as { urlEncoding?: unknown }).urlEncoding === true
  );
}

export const UTILITY_APIS: Record<string, ApiDefinition> = {
  createRegex: {
    call: (ctx, [pattern, flags]) => {
      try {
        return realmRegex(ctx, String(pattern), flags === undefined || flags === null ? '' : String(flags));
      } catch {
        // An invalid pattern or flag gives null, not an exception.
        return null;
      }
    },
  },
  testRegex: {
    call: (_ctx, [regex, text]) => {
      if (!(regex && typeof regex === 'object' && typeof (regex as RegExp).test === 'function')) {
        throw new SandboxError(
          'sandbox/api-error',
          'testRegex: the first argument must come from createRegex',
        );
      }
      const re = regex as RegExp;
      // Each test starts at the beginning, also for global regexes.
      re.lastIndex = 0;
      return re.test(String(text));
    },
  },
  computeEffectiveTldPlusOne: {
    call: (_ctx, [domainOrUrl]) => {
      if (typeof domainOrUrl !== 'string' || domainOrUrl === '') return undefined;
      return getDomain(domainOrUrl) ?? undefined;
    },
  },
  sha256: {
    // Server form: sha256(input, onSuccess, options); the web form's onFailure is accepted too.
    call: (ctx, [input, onSuccess, third, fourth]) => {
      const options = typeof third === 'function' ? fourth : third;
      const text = encodeDigest(sha256Bytes(utf8Encode(String(input))), encodingOf(options));
      ctx.schedule(() => ctx.callSandbox(onSuccess, [text]));
      return undefined;
    },
  },
  sha256Sync: {
    call: (_ctx, [input, options]) =>
      encodeDigest(sha256Bytes(utf8Encode(String(input))), encodingOf(options)),
  },
  hmacSha256: {
    check: (ctx, [, keyId]) => ctx.demand('hmacSha256', 'use_custom_private_keys', keyId),
    call: (ctx, [data, keyId, options]) => {
      const key = ctx.page.server.init.keys?.[String(keyId)];
      if (key === undefined) {
        throw new SandboxError(
          'sandbox/api-error',
          `hmacSha256: no key with id '${String(keyId)}' (give it in the world's server.keys)`,
        );
      }
      return encodeDigest(hmacSha256Bytes(utf8Encode(key), utf8Encode(String(data))), encodingOf(options));
    },
  },
  toBase64: {
    call: (_ctx, [input, options]) => base64Encode(utf8Encode(String(input)), urlEncodingOf(options)),
  },
  fromBase64: {
    call: (_ctx, [input]) => {
      // Standard and URL-safe alphabets are both read.
      const bytes = base64Decode(String(input));
      return bytes === undefined ? undefined : utf8Decode(bytes);
    },
  },
};
