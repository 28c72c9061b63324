// The acceptance property of the compiler for server templates: the server tag fixture behaves the
// same in the offline server sandbox, compiled, as its TypeScript does natively in Node, over many
// generated events, forms and endpoint answers. The native run bundles the same sources with a
// fake 'gtm' module: event data from the generated event, sendHttpRequest answering with a native
// Promise, every call recorded.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTemplate } from '../../src/sandbox/index.js';
import type { HttpAnswer } from '../../src/sandbox/server-world.js';
import type { Template } from '../../src/tpl/model.js';
import { compiledServerFixture, nativeMain, serverFixtureDir } from './helpers.js';

/** The calls compared: what the tag sends, logs and how it ends. */
const OBSERVED = ['sendHttpRequest', 'logToConsole', 'gtmOnSuccess', 'gtmOnFailure'];

interface Call {
  name: string;
  args: unknown[];
}

interface World {
  event: Record<string, unknown>;
  answer: HttpAnswer;
  calls: Call[];
}

/** A native stand-in for the server 'gtm' module; pure APIs behave as the sandbox's do. */
const FAKE_GTM = `
const world = () => globalThis.__gtmWorld;
const record = (name, args) => world().calls.push({ name, args });
export const logToConsole = (...args) => record('logToConsole', args);
export const getEventData = (path) => {
  let value = world().event;
  for (const key of String(path).split('.')) value = value == null ? undefined : value[key];
  return value === undefined ? undefined : structuredClone(value);
};
export const sendHttpRequest = (url, options, body) => {
  record('sendHttpRequest', [url, options, body]);
  const answer = world().answer;
  return 'error' in answer
    ? Promise.reject({ reason: answer.error })
    : Promise.resolve({ statusCode: answer.statusCode, headers: answer.headers ?? {}, body: answer.body ?? '' });
};
export const encodeUriComponent = (s) => encodeURIComponent(s);
export const getType = (v) => v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
export const makeNumber = (v) => Number(v);
export const makeString = (v) => String(v);
export const JSON = globalThis.JSON;
`;

type Main = (data: Record<string, unknown>) => void;

async function runNative(
  main: Main,
  data: Record<string, unknown>,
  event: Record<string, unknown>,
  answer: HttpAnswer,
) {
  const world: World = { event: structuredClone(event), answer, calls: [] };
  (globalThis as { __gtmWorld?: World }).__gtmWorld = world;
  main({
    ...structuredClone(data),
    gtmOnSuccess: () => world.calls.push({ name: 'gtmOnSuccess', args: [] }),
    gtmOnFailure: () => world.calls.push({ name: 'gtmOnFailure', args: [] }),
  });
  // Let the promise reactions run, as the sandbox settles them before the run ends.
  await new Promise((resolve) => setImmediate(resolve));
  return structuredClone(world.calls.filter((c) => OBSERVED.includes(c.name)));
}

function runSandbox(
  template: Template,
  data: Record<string, unknown>,
  event: Record<string, unknown>,
  answer: HttpAnswer,
) {
  const result = runTemplate(template, data, {
    debugMode: true,
    server: { eventData: event, http: { 'https://': answer } },
  });
  expect(result.error, result.error).toBeUndefined();
  return result.calls.filter((c) => OBSERVED.includes(c.name)).map((c) => ({ name: c.name, args: c.args }));
}

const text = fc.string({ maxLength: 8, unit: 'grapheme' });
const scalar = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noDefaultInfinity: true, noNaN: true }),
  text,
  fc.boolean(),
  fc.constant(null),
);

const event = fc.record(
  {
    event_name: fc.oneof(text, fc.constant('')),
    client_id: fc.oneof(text, fc.integer()),
    value: scalar,
    items: fc.oneof(
      fc.array(
        fc.record(
          {
            item_id: fc.oneof(text, fc.integer()),
            price: fc.oneof(fc.integer({ min: 0, max: 500 }), text),
            quantity: fc.integer({ min: 0, max: 9 }),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 4 },
      ),
      scalar,
    ),
  },
  { requiredKeys: [] },
);

const form = fc.record(
  {
    apiKey: text,
    eventName: text,
    includeItems: fc.boolean(),
    params: fc.array(fc.record({ name: text, value: text }), { maxLength: 3 }),
    timeout: fc.integer({ min: 1, max: 10000 }),
    acceptClientErrors: fc.boolean(),
  },
  { requiredKeys: ['apiKey'] },
);

const answer: fc.Arbitrary<HttpAnswer> = fc.oneof(
  fc.record({ statusCode: fc.constantFrom(200, 201, 204, 302, 400, 404, 409, 500, 503), body: text }),
  fc.record({ error: fc.constantFrom('failed' as const, 'timed_out' as const) }),
);

describe('the server tag fixture', () => {
  let template: Template;
  let main: Main;

  beforeAll(async () => {
    const compiled = await compiledServerFixture();
    expect(compiled.errors).toEqual([]);
    template = compiled.template!;
    main = await nativeMain<Main>(serverFixtureDir, FAKE_GTM);
  });

  it('compiled, runs in the server sandbox: reads the event, sends it, succeeds on 2xx', () => {
    const result = runTemplate(
      template,
      { apiKey: 'k' },
      {
        server: {
          eventData: { event_name: 'purchase', client_id: 'c' },
          http: { 'https://collect.example.com/': { statusCode: 204 } },
        },
      },
    );
    expect(result.outcome).toBe('success');
    expect(result.server.httpRequests).toEqual([
      expect.objectContaining({
        url: 'https://collect.example.com/v1/events?key=k',
        method: 'POST',
        body: '{"name":"purchase","client":"c","params":{}}',
      }),
    ]);
  });

  it('behaves like its TypeScript run natively, on generated events, forms and answers', async () => {
    await fc.assert(
      fc.asyncProperty(form, event, answer, async (data, ev, ans) => {
        const native = await runNative(main, data, ev, ans);
        expect(runSandbox(template, data, ev, ans)).toEqual(native);
      }),
      { numRuns: 300 },
    );
  });
});
