// The server tag fixture (reads event data, sends an HTTP request, reports the outcome from the
// response) builds from TypeScript into a server template GTM's rules accept as it is.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/index.js';
import { runTests } from '../../src/sandbox/index.js';
import { permissionParams } from '../../src/gtm/typed-value.js';
import { parse } from '../../src/tpl/parse.js';
import { compiledServerFixture } from './helpers.js';

describe('the server tag fixture', () => {
  it('builds a server tag with the least permissions its code needs', async () => {
    const result = await compiledServerFixture();
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const template = result.template!;
    expect(template.context).toBe('SERVER');
    expect(template.info!.type).toBe('TAG');
    expect(
      Object.fromEntries(template.permissions!.map((p) => [p.instance.key.publicId, permissionParams(p)])),
    ).toEqual({
      logging: { environments: 'debug' },
      read_event_data: {
        eventDataAccess: 'specific',
        keyPatterns: ['client_id', 'event_name', 'items', 'value'],
      },
      send_http: { allowedUrls: 'specific', urls: ['https://collect.example.com/v1/events'] },
    });
    expect(template.tests?.scenarios.map((s) => s.name)).toHaveLength(7);
  });

  it('passes check with zero findings', async () => {
    const result = await compiledServerFixture();
    const printed = parse(result.files!['template.tpl']);
    expect(check(printed)).toEqual([]);
  });

  it('passes its scenarios, with --once and with permissions checked for mocked APIs too', async () => {
    const template = (await compiledServerFixture()).template!;
    for (const options of [{}, { once: true }, { strictPermissions: true }]) {
      const results = runTests(template, options);
      expect(results.map((r) => [r.name, r.status, r.message])).toEqual(
        template.tests!.scenarios.map((s) => [s.name, 'pass', undefined]),
      );
    }
  });

  it('its scenarios catch a wrong outcome: a 2xx that fails, a 5xx that succeeds', async () => {
    const template = (await compiledServerFixture()).template!;
    for (const [from, to] of [
      ['status < 300', 'status < 200'],
      ['status < 500', 'status < 600'],
    ] as const) {
      expect(template.code).toContain(from);
      const mutant = { ...template, code: template.code!.replace(from, to) };
      const failing = runTests(template, { templateOverride: mutant }).filter((r) => r.status !== 'pass');
      expect(failing.length, `${from} → ${to}`).toBeGreaterThan(0);
    }
  });
});
