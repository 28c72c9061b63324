// The md5/sha1 scheme: giosg checks `_checksum` (and `_exp`) that the site's server computed over
// the variables with its secret. The tag only carries them; it reads them from the form, or from the
// object variable when the server put them there.
import { getType, makeString } from 'gtm';
import { describe } from './values';

export type HashAlgorithm = 'md5' | 'sha1';

export type ChecksumResult =
  { ok: true; checksum: string; expiry: string | number | undefined } | { ok: false; reason: string };

const HEX_LENGTH: { [algorithm: string]: number } = { md5: 32, sha1: 40 };

function isBlank(value: unknown): boolean {
  return (
    value === undefined || value === null || (getType(value) === 'string' && (value as string).trim() === '')
  );
}

function isHex(text: string, length: number): boolean {
  return text.length === length && !!text.match('^[0-9a-fA-F]+$');
}

/** The form's fields win over `_checksum`/`_exp` in the object variable. */
export function readChecksum(
  algorithm: HashAlgorithm,
  checksumField: unknown,
  expiryField: unknown,
  fromProperties: { _checksum?: unknown; _exp?: unknown },
): ChecksumResult {
  const rawChecksum = isBlank(checksumField) ? fromProperties._checksum : checksumField;
  if (isBlank(rawChecksum)) {
    return {
      ok: false,
      reason:
        'Signing is ' +
        algorithm +
        ' but there is no checksum. Pick the GTM variable that holds the checksum from your server.',
    };
  }
  const length = HEX_LENGTH[algorithm];
  const checksum = getType(rawChecksum) === 'string' ? (rawChecksum as string).trim() : '';
  if (!isHex(checksum, length)) {
    return {
      ok: false,
      reason:
        'The ' +
        algorithm +
        ' checksum must be ' +
        length +
        ' hexadecimal characters, but it is ' +
        describe(rawChecksum) +
        '.',
    };
  }

  const rawExpiry = isBlank(expiryField) ? fromProperties._exp : expiryField;
  if (isBlank(rawExpiry)) return { ok: true, checksum: checksum, expiry: undefined };
  const expiryType = getType(rawExpiry);
  const expiryText = expiryType === 'number' || expiryType === 'string' ? makeString(rawExpiry).trim() : '';
  if (!expiryText.match('^[0-9]+$')) {
    return {
      ok: false,
      reason:
        'The checksum expiry must be a Unix timestamp in seconds such as 1767225600, but it is ' +
        describe(rawExpiry) +
        '.',
    };
  }
  // Keep the type the server chose (giosg's own example sends a string), only trimmed.
  return {
    ok: true,
    checksum: checksum,
    expiry: expiryType === 'number' ? (rawExpiry as number) : expiryText,
  };
}
