// The acceptance property of the compiler: the fixture project (which uses every construct the
// compiler lowers) behaves the same in the offline GTM sandbox, compiled, as its TypeScript does
// natively in Node, over many generated form inputs. The native run bundles the same sources with
// a fake 'gtm' module that records every API call.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTemplate } from '../../src/sandbox/index.js';
import type { Template } from '../../src/tpl/model.js';
import { compiledFixture, fixtureDir, nativeMain } from './helpers.js';

/** The APIs whose calls are compared (what the template does to the page). */
const OBSERVED = ['logToConsole', 'setInWindow', 'gtmOnSuccess', 'gtmOnFailure'];

interface Call {
  name: string;
  args: unknown[];
}

/** A native stand-in for the 'gtm' module: records calls; pure APIs behave as the sandbox's do. */
const FAKE_GTM = `
const record = (name, result) => (...args) => { globalThis.__gtmCalls.push({ name, args }); return typeof result === 'function' ? result(...args) : result; };
export const logToConsole = record('logToConsole');
export const setInWindow = record('setInWindow', true);
export const getType = (v) => v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
export const makeNumber = (v) => Number(v);
export const makeString = (v) => String(v);
export const JSON = globalThis.JSON;
export const Math = globalThis.Math;
export const Object = globalThis.Object;
`;

function runNative(main: (data: Record<string, unknown>) => void, data: Record<string, unknown>): Call[] {
  const calls: Call[] = [];
  (globalThis as { __gtmCalls?: Call[] }).__gtmCalls = calls;
  main({
    ...structuredClone(data),
    gtmOnSuccess: () => calls.push({ name: 'gtmOnSuccess', args: [] }),
    gtmOnFailure: () => calls.push({ name: 'gtmOnFailure', args: [] }),
  });
  return structuredClone(calls.filter((c) => OBSERVED.includes(c.name)));
}

function runSandbox(template: Template, data: Record<string, unknown>): Call[] {
  const result = runTemplate(template, data, { debugMode: true });
  expect(result.error, result.error).toBeUndefined();
  return result.calls.filter((c) => OBSERVED.includes(c.name)).map((c) => ({ name: c.name, args: c.args }));
}

const item = fc.record({
  name: fc.string({ maxLength: 6 }),
  kind: fc.constantFrom('plain', 'number', 'flag'),
  value: fc.string({ maxLength: 6 }),
});

const formData = fc.record(
  {
    greeting: fc.string({ maxLength: 8 }),
    mode: fc.constantFrom('sum', 'concat', 'pick'),
    items: fc.array(item, { maxLength: 5 }),
    exponent: fc.integer({ min: -3, max: 9 }),
    shout: fc.boolean(),
    separator: fc.string({ maxLength: 3 }),
    pickIndex: fc.constantFrom('0', '1', '2', '4', 'x', ''),
    target: fc.constantFrom('fixture.dynamic'),
  },
  { requiredKeys: ['mode'] },
);

describe('the lowering fixture', () => {
  let template: Template;
  let main: (data: Record<string, unknown>) => void;

  beforeAll(async () => {
    const compiled = await compiledFixture();
    expect(compiled.errors).toEqual([]);
    template = compiled.template!;
    main = await nativeMain<(data: Record<string, unknown>) => void>(fixtureDir, FAKE_GTM);
  });

  it('compiles to code the sandbox runs, calling gtmOnSuccess once', () => {
    const result = runTemplate(
      template,
      { mode: 'sum', items: [{ name: 'a', kind: 'plain', value: '1' }] },
      { debugMode: true },
    );
    expect(result.outcome).toBe('success');
    expect(result.logs.length).toBe(2);
  });

  it('behaves like its TypeScript run natively, on generated inputs', () => {
    fc.assert(
      fc.property(formData, (data) => {
        const native = runNative(main, data);
        const sandboxed = runSandbox(template, data);
        expect(sandboxed).toEqual(native);
      }),
      { numRuns: 300 },
    );
  });

  it('the hand-lowered reference (the size benchmark compares with it) behaves the same too', () => {
    const hand = { ...template, code: readFileSync(path.join(fixtureDir, 'hand-lowered.js'), 'utf8') };
    fc.assert(
      fc.property(formData, (data) => {
        expect(runSandbox(hand, data)).toEqual(runNative(main, data));
      }),
      { numRuns: 100 },
    );
  });
});
