// The built giosg template fired in the offline sandbox: the exact `_giosg` queue, page globals,
// injected scripts, logs and outcome, including pages that already have giosg's stub or live client.
import { describe, expect, it } from 'vitest';
import { runTemplate, SandboxPage, type WorldInit } from '../../src/sandbox/index.js';
import { builtTemplate, CLIENT_URL, HS256_TOKEN, ORGANIZATION_ID, queued } from './built-template.js';

const DEBUG: WorldInit = { debugMode: true };

/** `_giosg._c` and `_giosg._h`, the organization and host giosg's loader reads. */
function pageFields(window: Record<string, unknown>): Record<string, unknown> {
  const giosg = window._giosg as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const key of ['_c', '_h']) if (giosg[key] !== undefined) fields[key] = giosg[key];
  return fields;
}

function fire(data: Record<string, unknown>, world: WorldInit = DEBUG) {
  return runTemplate(builtTemplate(), data, world);
}

describe('on a page without giosg', () => {
  it('creates _giosg like giosg’s snippet and queues the submit in _giosg._e', () => {
    const result = fire({
      action: 'submit',
      properties: [
        { key: 'username', value: 'Jane Doe', type: 'auto' },
        { key: 'age', value: '29', type: 'number' },
      ],
    });
    expect(result.outcome).toBe('success');
    expect(typeof result.window._giosg).toBe('function');
    expect(queued(result.window)).toEqual([
      ['visitor', 'submit', { username: 'Jane Doe', age: 29 }, 'plain', false],
    ]);
    expect(result.injectedScripts).toEqual([]);
    expect(pageFields(result.window)).toEqual({});
    expect(result.logs).toEqual([]);
  });

  it('queues JWT, md5 and room forms exactly as documented', () => {
    const jwt = fire({
      signing: 'HS256',
      token: HS256_TOKEN,
      replaceExisting: true,
      rooms: [{ by: 'name', room: 'Sales' }],
    });
    expect(queued(jwt.window)).toEqual([
      ['visitor', 'submit', HS256_TOKEN, 'HS256', true, [{ name: 'Sales' }]],
    ]);
    const md5 = fire({
      signing: 'md5',
      propertiesObject: { username: 'Django signed', email: 'django@giosg.com' },
      checksum: 'e584526251c396fc937e27561c9597c8',
      checksumExpiry: '1371720939',
    });
    expect(queued(md5.window)).toEqual([
      [
        'visitor',
        'submit',
        {
          username: 'Django signed',
          email: 'django@giosg.com',
          _checksum: 'e584526251c396fc937e27561c9597c8',
          _exp: '1371720939',
        },
        'md5',
        false,
      ],
    ]);
    expect([jwt.outcome, md5.outcome]).toEqual(['success', 'success']);
  });

  it('removes keys one call each, and removeAll with two arguments', () => {
    const remove = fire({ action: 'remove', removeKeys: [{ key: 'email' }, { key: 'phone' }] });
    expect(queued(remove.window)).toEqual([
      ['visitor', 'remove', 'email'],
      ['visitor', 'remove', 'phone'],
    ]);
    const removeAll = fire({ action: 'removeAll' });
    expect(queued(removeAll.window)).toEqual([['visitor', 'removeAll']]);
  });

  it('delivers the valid rows, logs each problem in debug mode, and fails', () => {
    const data = {
      properties: [
        { key: 'username', value: 'Jane', type: 'auto' },
        { key: 'age', value: 'old', type: 'number' },
        { key: 'username', value: 'Again', type: 'auto' },
      ],
    };
    const debug = fire(data);
    expect(debug.outcome).toBe('failure');
    expect(queued(debug.window)).toEqual([['visitor', 'submit', { username: 'Jane' }, 'plain', false]]);
    expect(debug.logs).toHaveLength(2);
    expect(String(debug.logs[0])).toMatch(/row 2 \("age"\).*"old" is not a number/);
    expect(String(debug.logs[1])).toMatch(/row 3: the key "username" is already in an earlier row/);

    // Outside preview/debug mode the `logging: debug` permission keeps the console quiet.
    const live = fire(data, {});
    expect(live.outcome).toBe('failure');
    expect(live.logs).toEqual([]);
    expect(queued(live.window)).toEqual(queued(debug.window));
  });
});

describe('on a page that already has giosg', () => {
  it('keeps giosg’s snippet stub and appends to its queue', () => {
    // giosg's snippet: w[o] = w[o] || function () { (w[o]._e = w[o]._e || []).push(arguments) }
    const stub = Object.assign(
      function (...args: unknown[]) {
        (stub._e ??= []).push(args);
      },
      {
        _e: [['visitor', 'submit', { early: 'call' }]] as unknown[][],
        _c: ORGANIZATION_ID,
        _h: 'https://service.giosg.com',
      },
    );
    const result = fire(
      { properties: [{ key: 'username', value: 'Jane', type: 'auto' }] },
      { window: { _giosg: stub } },
    );
    expect(result.outcome).toBe('success');
    expect(stub._e).toEqual([
      ['visitor', 'submit', { early: 'call' }],
      ['visitor', 'submit', { username: 'Jane' }, 'plain', false],
    ]);
    expect(queued(result.window)).toEqual(stub._e);
    expect(pageFields(result.window)).toEqual({ _c: ORGANIZATION_ID, _h: 'https://service.giosg.com' });
  });

  it('calls a live giosg client directly', () => {
    const received: unknown[][] = [];
    const live = (...args: unknown[]) => {
      received.push(args);
    };
    const result = fire({ action: 'remove', removeKeys: [{ key: 'email' }] }, { window: { _giosg: live } });
    expect(result.outcome).toBe('success');
    expect(received).toEqual([['visitor', 'remove', 'email']]);
    // As gtm.js does, createArgumentsQueue returns the live function and creates no queue.
    expect(queued(result.window)).toBeUndefined();
  });
});

describe('loading the giosg client', () => {
  const load = {
    action: 'submit',
    properties: [{ key: 'username', value: 'Jane', type: 'auto' }],
    loadClient: true,
    organizationId: ORGANIZATION_ID,
  };

  it('sets _c and _h, queues the call, injects script v2 with a cache token, succeeds once it loads', () => {
    const result = fire(load);
    expect(result.outcome).toBe('success');
    expect(pageFields(result.window)).toEqual({ _c: ORGANIZATION_ID, _h: 'https://service.giosg.com' });
    expect(queued(result.window)).toEqual([['visitor', 'submit', { username: 'Jane' }, 'plain', false]]);
    expect(result.injectedScripts).toEqual([{ url: CLIENT_URL, cacheToken: CLIENT_URL }]);
  });

  it('fails when the script does not load', () => {
    const result = fire(load, { debugMode: true, scripts: { [CLIENT_URL]: 'fail' } });
    expect(result.outcome).toBe('failure');
    expect(String(result.logs.at(-1))).toContain('could not be loaded from ' + CLIENT_URL);
  });

  it('hands the queue to the client that loads, injects it once per page, then calls it directly', () => {
    const delivered: unknown[][] = [];
    // A stand-in for giosg's loader: drain _giosg._e, then replace _giosg with the live dispatcher.
    const client = (window: Record<string, unknown>) => {
      const stub = window._giosg as { _e?: ArrayLike<unknown>[] };
      for (const args of stub._e ?? []) delivered.push(Array.from(args));
      window._giosg = (...args: unknown[]) => {
        delivered.push(args);
      };
    };
    const page = new SandboxPage({ scripts: { [CLIENT_URL]: client } });
    const first = page.run(builtTemplate(), load);
    const second = page.run(builtTemplate(), { ...load, action: 'removeAll' });
    expect([first.outcome, second.outcome]).toEqual(['success', 'success']);
    expect(first.injectedScripts).toHaveLength(1);
    expect(second.injectedScripts).toEqual([]);
    expect(delivered).toEqual([
      ['visitor', 'submit', { username: 'Jane' }, 'plain', false],
      ['visitor', 'removeAll'],
    ]);
  });

  it('does not load giosg a second time on a page whose snippet set _giosg._c', () => {
    const snippetOrganization = '11111111-2222-4333-8444-555555555555';
    const stub = Object.assign(
      function (...args: unknown[]) {
        (stub._e ??= []).push(args);
      },
      { _e: [] as unknown[][], _c: snippetOrganization, _h: 'https://service.giosg.com' },
    );
    const page = new SandboxPage({ debugMode: true, window: { _giosg: stub } });
    const first = page.run(builtTemplate(), load);
    const second = page.run(builtTemplate(), { ...load, action: 'removeAll' });
    expect([first.outcome, second.outcome]).toEqual(['success', 'success']);
    expect([...first.injectedScripts, ...second.injectedScripts]).toEqual([]);
    // The snippet's organization and host stay; the calls wait in its queue for its client.
    expect(pageFields(second.window)).toEqual({ _c: snippetOrganization, _h: 'https://service.giosg.com' });
    expect(stub._e).toEqual([
      ['visitor', 'submit', { username: 'Jane' }, 'plain', false],
      ['visitor', 'removeAll'],
    ]);
    expect(String(first.logs[0])).toContain(
      'the page already has the giosg tag (organization "11111111-2222-4333-8444-555555555555")',
    );
  });

  it('keeps waiting on its own script in later firings after it set _giosg._c itself', () => {
    const page = new SandboxPage({ scripts: { [CLIENT_URL]: 'fail' } });
    const first = page.run(builtTemplate(), load);
    const second = page.run(builtTemplate(), load);
    // The second firing goes through injectScript again: GTM forgets a cache token whose load
    // failed, so the client is requested anew and that load's outcome decides (docs/runtime.md).
    expect([first.outcome, second.outcome]).toEqual(['failure', 'failure']);
    expect(first.injectedScripts).toHaveLength(1);
    expect(second.injectedScripts).toEqual(first.injectedScripts);
  });

  it('does not load anything for an invalid organization ID, but still queues and fails', () => {
    const result = fire({ ...load, organizationId: '826100fd-b473-49b0-bafd' });
    expect(result.outcome).toBe('failure');
    expect(result.injectedScripts).toEqual([]);
    expect(pageFields(result.window)).toEqual({});
    expect(queued(result.window)).toEqual([['visitor', 'submit', { username: 'Jane' }, 'plain', false]]);
  });
});
