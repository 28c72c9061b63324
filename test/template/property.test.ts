// Property test over random `data` (wrong types included) fired through the built template: it never
// throws, reports exactly one outcome, reports success exactly when it logged nothing, and every call
// it queues for giosg has one of the documented forms (DESIGN.md §5).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SandboxPage, type RunResult } from '../../src/sandbox/index.js';
import { builtTemplate, HS256_TOKEN, ORGANIZATION_ID, queued } from './built-template.js';

const RUNS = 10_000;
// Fresh pages now and then keep each window small; firing many times on one page is realistic too.
const FIRINGS_PER_PAGE = 50;

const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512'];
const HASH_ALGORITHMS = ['md5', 'sha1'];

/** Anything a GTM variable could return, kept shallow. */
const junk = fc.anything({ maxDepth: 2, maxKeys: 4 });
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    ' ',
    'username',
    'email',
    'true',
    'No',
    '1',
    '0',
    '29',
    '4.5',
    '1e3',
    'abc',
    '__proto__',
    'constructor',
  ),
);
const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const maybe = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: junk });

const propertyRow = fc.record(
  {
    key: maybe(text),
    value: fc.oneof(scalar, junk),
    type: maybe(fc.constantFrom('auto', 'string', 'number', 'boolean')),
  },
  { requiredKeys: [] },
);
const roomRow = fc.record(
  { by: maybe(fc.constantFrom('id', 'name')), room: maybe(text) },
  { requiredKeys: [] },
);
const keyRow = fc.record({ key: maybe(text) }, { requiredKeys: [] });
const base64url = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const tokenLike = fc.oneof(
  fc.constant(HS256_TOKEN),
  fc.tuple(base64url, base64url, base64url).map((parts) => parts.join('.')),
  fc
    .tuple(fc.constantFrom(...JWT_ALGORITHMS, 'none'), fc.dictionary(text, scalar, { maxKeys: 3 }))
    .map(([alg, payload]) =>
      [{ alg, typ: 'JWT' }, payload, 'sig']
        .map((p) => Buffer.from(typeof p === 'string' ? p : JSON.stringify(p)).toString('base64url'))
        .join('.'),
    ),
);
const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));

const data = fc.record(
  {
    action: maybe(fc.constantFrom('submit', 'remove', 'removeAll')),
    properties: maybe(
      fc.array(fc.oneof({ weight: 5, arbitrary: propertyRow }, { weight: 1, arbitrary: junk }), {
        maxLength: 5,
      }),
    ),
    propertiesObject: fc.oneof(
      fc.dictionary(text, fc.oneof(scalar, junk), { maxKeys: 4 }),
      fc.json({ maxDepth: 2 }),
      fc.record({ username: text, _checksum: hex(32), _exp: fc.oneof(fc.nat(), text) }, { requiredKeys: [] }),
      junk,
    ),
    signing: maybe(fc.constantFrom('plain', ...JWT_ALGORITHMS, ...HASH_ALGORITHMS)),
    token: maybe(tokenLike),
    checksum: maybe(fc.oneof(hex(32), hex(40), text)),
    checksumExpiry: maybe(fc.oneof(fc.nat().map(String), fc.nat(), text)),
    replaceExisting: maybe(fc.boolean()),
    rooms: maybe(
      fc.array(fc.oneof({ weight: 5, arbitrary: roomRow }, { weight: 1, arbitrary: junk }), { maxLength: 3 }),
    ),
    removeKeys: maybe(
      fc.array(fc.oneof({ weight: 5, arbitrary: keyRow }, { weight: 1, arbitrary: junk }), { maxLength: 3 }),
    ),
    loadClient: maybe(fc.boolean()),
    organizationId: maybe(fc.oneof(fc.constant(ORGANIZATION_ID), fc.uuid(), text)),
  },
  { requiredKeys: [] },
);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isRoomList(v: unknown): boolean {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every(
      (room) =>
        isPlainObject(room) &&
        Object.keys(room).length === 1 &&
        ((typeof room.id === 'string' && room.id.trim() === room.id && room.id !== '') ||
          (typeof room.name === 'string' && room.name.trim() === room.name && room.name !== '')),
    )
  );
}

function isVariables(v: unknown): boolean {
  return (
    isPlainObject(v) &&
    Object.keys(v).length > 0 &&
    Object.entries(v).every(
      ([key, value]) =>
        key.trim() === key &&
        key !== '' &&
        (typeof value === 'string' ||
          typeof value === 'boolean' ||
          (typeof value === 'number' && Number.isFinite(value))),
    )
  );
}

/** Why `call` is not one of the documented `_giosg` call forms, or undefined when it is. */
function undocumented(call: unknown[]): string | undefined {
  const [module, method, payload, algorithm, replace, rooms] = call;
  if (module !== 'visitor') return 'module is not visitor';
  if (method === 'removeAll') return call.length === 2 ? undefined : 'removeAll takes no arguments';
  if (method === 'remove') {
    return call.length === 3 && typeof payload === 'string' && payload !== '' && payload.trim() === payload
      ? undefined
      : 'remove takes one key';
  }
  if (method !== 'submit') return `unknown method ${String(method)}`;
  if (call.length !== 5 && call.length !== 6) return `submit with ${call.length} arguments`;
  if (typeof replace !== 'boolean') return 'replace_existing is not a boolean';
  if (call.length === 6 && !isRoomList(rooms)) return 'room list malformed';
  if (algorithm === 'plain') return isVariables(payload) ? undefined : 'plain payload is not flat variables';
  if (JWT_ALGORITHMS.includes(algorithm as string)) {
    if (typeof payload !== 'string' || payload.split('.').length !== 3) return 'JWT payload is not a token';
    const header = JSON.parse(Buffer.from(payload.split('.')[0]!, 'base64url').toString('utf8'));
    return header.alg === algorithm ? undefined : 'JWT header alg differs';
  }
  if (HASH_ALGORITHMS.includes(algorithm as string)) {
    if (!isVariables(payload)) return 'signed payload is not flat variables';
    const checksum = (payload as Record<string, unknown>)._checksum;
    const length = algorithm === 'md5' ? 32 : 40;
    if (typeof checksum !== 'string' || !new RegExp(`^[0-9a-fA-F]{${length}}$`).test(checksum))
      return 'bad _checksum';
    const exp = (payload as Record<string, unknown>)._exp;
    if (exp !== undefined && !/^[0-9]+$/.test(String(exp))) return 'bad _exp';
    return Object.keys(payload as object).some((k) => k !== '_checksum' && k !== '_exp')
      ? undefined
      : 'only checksum';
  }
  return `unknown algorithm ${String(algorithm)}`;
}

describe('the giosg template over random data', () => {
  it(`never throws, always reports one outcome, and only makes documented calls (${RUNS} runs)`, () => {
    const template = builtTemplate();
    let page = new SandboxPage({ debugMode: true });
    let firings = 0;
    let queuedBefore = 0;
    const outcomes = { success: 0, failure: 0 };

    fc.assert(
      fc.property(data, (input) => {
        if (firings++ % FIRINGS_PER_PAGE === 0) {
          page = new SandboxPage({ debugMode: true });
          queuedBefore = 0;
        }
        const result: RunResult = page.run(template, input);
        // Only this firing's calls; taken before any assertion so a failure cannot leave it stale.
        const calls = queued(result.window) ?? [];
        const newCalls = calls.slice(queuedBefore);
        queuedBefore = calls.length;

        expect(result.error).toBeUndefined();
        expect(['success', 'failure']).toContain(result.outcome);
        expect(result.gtmOnSuccessCount + result.gtmOnFailureCount).toBe(1);
        // Success exactly when nothing was wrong: every problem is logged, and only problems are.
        expect(result.outcome === 'success').toBe(result.logs.length === 0);
        outcomes[result.outcome as 'success' | 'failure']++;

        for (const call of newCalls) expect(undocumented(call), JSON.stringify(call)).toBeUndefined();
        for (const script of result.injectedScripts) {
          expect(script.url).toMatch(/^https:\/\/service\.giosg\.com\/live2\/[0-9a-f-]{36}$/i);
        }
      }),
      { numRuns: RUNS },
    );
    // The generator must reach both outcomes often, or the property says little.
    expect(outcomes.success).toBeGreaterThan(RUNS / 50);
    expect(outcomes.failure).toBeGreaterThan(RUNS / 50);
  });
});
