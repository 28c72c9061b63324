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

/**
 * The flags createRegex keeps: Google's reference supports `g` and `i` and ignores every other
 * character (`'m'`, `'x'`, … change nothing and are no error).
 */
function re2Flags(flags: unknown): string {
  if (flags === undefined || flags === null) return '';
  const text = String(flags);
  return (text.includes('g') ? 'g' : '') + (text.includes('i') ? 'i' : '');
}

/**
 * An RE2 pattern as V8 source, or null where RE2 would refuse it. GTM compiles createRegex's
 * pattern with RE2, so a pattern RE2 rejects gives null like any invalid one, also where V8 would
 * accept it: lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`) and backreferences (`\1`, `\k<name>`). RE2
 * syntax V8 lacks is translated: `(?P<name>` groups, `\A` and `\z` (start and end of the text),
 * and flags set at the start of the pattern (`(?i)`, `(?s)`, `(?m)`). Character classes and
 * escaped characters are copied as they are.
 */
export function re2AsV8(pattern: string, flags: string): { source: string; flags: string } | null {
  let rest = pattern;
  let allFlags = flags;
  const leading = /^\(\?([ims]+)\)/.exec(rest);
  if (leading) {
    for (const f of leading[1]!) if (!allFlags.includes(f)) allFlags += f;
    rest = rest.slice(leading[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === '\\') {
      const next = rest[i + 1] ?? '';
      if (!inClass) {
        const backreference = /[1-9]/.test(next) && !/[0-9]/.test(rest[i + 2] ?? '');
        if (backreference || next === 'k') return null;
        if (next === 'A' || next === 'z') {
          out += next === 'A' ? '(?<![\\s\\S])' : '(?![\\s\\S])';
          i++;
          continue;
        }
      }
      out += c + next;
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      // A ']' right after '[' or '[^' is a member in RE2; V8 would close the class there.
      if (rest[i + 1] === '^') out += rest[++i];
      if (rest[i + 1] === ']') {
        out += '\\]';
        i++;
      }
    } else if (c === '(' && rest[i + 1] === '?') {
      const kind = rest.slice(i + 2, i + 4);
      if (kind[0] === '=' || kind[0] === '!' || kind === '<=' || kind === '<!') return null;
      if (kind === 'P<') {
        out += '(?<';
        i += 3;
      } else out += c;
    } else out += c;
  }
  return { source: out, flags: allFlags };
}

function encodingOf(options: unknown): unknown {
  return options && typeof options === 'object'
    ? (options as { outputEncoding?: unknown }).outputEncoding
    : undefined;
}

/** A digest in `encoding` ('hex', 'base64' or 'base64url'); anything else reads as `fallback`. */
function encodeDigest(
  digest: Uint8Array,
  encoding: unknown,
  fallback: 'base64' | 'base64url' = 'base64',
): string {
  const chosen =
    encoding === 'hex' || encoding === 'base64' || encoding === 'base64url' ? encoding : fallback;
  if (chosen === 'hex') return toHex(digest);
  return base64Encode(digest, chosen === 'base64url');
}

function urlEncodingOf(options: unknown): boolean {
  return (
    !!options && typeof options === 'object' && (options as { urlEncoding?: unknown }).urlEncoding === true
  );
}

export const UTILITY_APIS: Record<string, ApiDefinition> = {
  createRegex: {
    call: (ctx, [pattern, flags]) => {
      const re2 = re2AsV8(String(pattern), re2Flags(flags));
      if (!re2) return null;
      try {
        return realmRegex(ctx, re2.source, re2.flags);
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
      // A global regex is stateful, as Google's reference says (and as RegExp.test is): each
      // test starts where the last match ended, and starts over after a miss.
      return (regex as RegExp).test(String(text));
    },
  },
  computeEffectiveTldPlusOne: {
    // Google's reference: the argument comes back unaltered when it is null or undefined, and a
    // blank string when it is no valid domain or URL.
    call: (_ctx, [domainOrUrl]) => {
      if (domainOrUrl === null || domainOrUrl === undefined) return domainOrUrl;
      return getDomain(String(domainOrUrl)) ?? '';
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
      // base64url unless the options say otherwise (Google's reference).
      return encodeDigest(
        hmacSha256Bytes(utf8Encode(key), utf8Encode(String(data))),
        encodingOf(options),
        'base64url',
      );
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
