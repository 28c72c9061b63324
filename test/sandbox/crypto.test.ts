// The pure SHA-256 and base64 against published test vectors (FIPS 180-4 examples, RFC 4648 §10).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { base64Decode, base64Encode, sha256Bytes, toHex, utf8Encode } from '../../src/sandbox/crypto.js';

const hex = (s: string) => toHex(sha256Bytes(utf8Encode(s)));

describe('sha256', () => {
  test.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    ['a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ])('vector %#', (input, digest) => {
    expect(hex(input)).toBe(digest);
  });

  test('agrees with node:crypto on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        expect(hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
      }),
      { numRuns: 200 },
    );
  });
});

describe('base64', () => {
  test.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('RFC 4648 %s', (text, encoded) => {
    expect(base64Encode(utf8Encode(text))).toBe(encoded);
    expect(new TextDecoder().decode(base64Decode(encoded))).toBe(text);
  });

  test('round-trips arbitrary bytes and matches Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const encoded = base64Encode(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
        expect(base64Decode(encoded)).toEqual(bytes);
      }),
    );
  });

  test('malformed input is undefined', () => {
    expect(base64Decode('a')).toBeUndefined();
    expect(base64Decode('ab$d')).toBeUndefined();
  });
});
