// The server tag fixture (reads event data, sends an HTTP request, reports the outcome from the
// response) builds from TypeScript into a server template GTM's rules accept as it is.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/index.js';
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
    expect(template.tests?.scenarios.map((s) => s.name)).toHaveLength(6);
  });

  it('passes check with zero findings', async () => {
    const result = await compiledServerFixture();
    const printed = parse(result.files!['template.tpl']);
    expect(check(printed)).toEqual([]);
  });
});
