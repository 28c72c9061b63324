// Checking a JWT that the site's server signed, before handing it to giosg. The tag never signs: the
// key must not reach the browser. It only catches the mistakes a person can fix from GTM (wrong
// variable, wrong algorithm chosen) so Preview shows them instead of giosg silently rejecting the data.
import { fromBase64, getType, JSON, makeString } from 'gtm';

export type JwtAlgorithm = 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'RS384' | 'RS512';
export const JWT_ALGORITHMS: readonly string[] = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512'];

// header.payload.signature, each part base64url without padding (RFC 7515 compact serialization).
const JWT_SHAPE = '^[A-Za-z0-9_-]+[.][A-Za-z0-9_-]+[.][A-Za-z0-9_-]+$';

export type JwtCheck = { ok: true; token: string } | { ok: false; reason: string };

/** base64url → text; undefined when it is not base64. fromBase64 only knows the standard alphabet. */
export function decodeBase64Url(segment: string): string | undefined {
  // '-' and '_' mean the same whether split() treats its argument as text or as a pattern.
  let base64 = segment.split('-').join('+').split('_').join('/');
  while (base64.length % 4 !== 0) base64 = base64 + '=';
  return fromBase64(base64);
}

function decodeJsonObject(segment: string): { [key: string]: unknown } | undefined {
  const text = decodeBase64Url(segment);
  const value = getType(text) === 'string' ? JSON.parse(text as string) : undefined;
  return getType(value) === 'object' ? (value as { [key: string]: unknown }) : undefined;
}

export function checkJwt(raw: unknown, algorithm: JwtAlgorithm): JwtCheck {
  const type = getType(raw);
  if (type === 'undefined' || type === 'null' || raw === '') {
    return {
      ok: false,
      reason:
        'Signing is ' +
        algorithm +
        ' but "Signed token (JWT)" is empty. Pick the GTM variable that holds the token from your server.',
    };
  }
  if (type !== 'string')
    return { ok: false, reason: 'The signed token must be text, but it is a ' + type + '.' };
  const token = (raw as string).trim();
  if (!token.match(JWT_SHAPE)) {
    return {
      ok: false,
      reason: 'The signed token is not a JWT (three base64url parts separated by dots): "' + token + '".',
    };
  }
  // Not split('.'): where the sandbox treats split's argument as a pattern, '.' matches anything.
  const firstDot = token.indexOf('.');
  const lastDot = token.lastIndexOf('.');
  const header = decodeJsonObject(token.substring(0, firstDot));
  if (header === undefined)
    return { ok: false, reason: "The signed token's header is not base64url-encoded JSON." };
  if (decodeJsonObject(token.substring(firstDot + 1, lastDot)) === undefined) {
    return {
      ok: false,
      reason: "The signed token's payload is not a base64url-encoded JSON object of visitor variables.",
    };
  }
  if (header.alg !== algorithm) {
    return {
      ok: false,
      reason:
        'The signed token says it was signed with ' +
        makeString(header.alg) +
        ', but Signing is set to ' +
        algorithm +
        '. Choose the algorithm your server uses.',
    };
  }
  return { ok: true, token: token };
}
