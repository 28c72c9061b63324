import { describe, expect, it } from 'vitest';
import { parseSandboxJs } from '../../src/js/parse.js';
import { findApiUsage } from '../../src/js/api-usage.js';

function usage(code: string) {
  const parsed = parseSandboxJs(code);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return findApiUsage(parsed.program);
}

describe('findApiUsage', () => {
  it('finds required APIs, their bindings and constant arguments', () => {
    const u = usage(`
const inject = require('injectScript');
const host = 'https://service.giosg.com';
const url = host + '/live2/' + data.organizationId;
inject(url, data.gtmOnSuccess, data.gtmOnFailure, 'giosg');
const queue = require('createArgumentsQueue')('_giosg', '_giosg._e');
`);
    expect(u.requires.map((r) => [r.api, r.binding])).toEqual([
      ['injectScript', 'inject'],
      ['createArgumentsQueue', undefined],
    ]);
    const inject = u.calls.find((c) => c.api === 'injectScript')!;
    expect(inject.args[0]).toEqual({ kind: 'prefix', prefix: 'https://service.giosg.com/live2/' });
    expect(inject.args[3]).toEqual({ kind: 'string', value: 'giosg' });
    expect(inject.line).toBe(5);
    const queue = u.calls.find((c) => c.api === 'createArgumentsQueue')!;
    expect(queue.args).toEqual([
      { kind: 'string', value: '_giosg' },
      { kind: 'string', value: '_giosg._e' },
    ]);
  });

  it('records methods of object APIs and reports dynamic requires', () => {
    const u = usage(
      `const ls = require('localStorage'); ls.getItem('k'); const n = 'x'; require(n + data.y);`,
    );
    expect(u.calls[0]).toMatchObject({
      api: 'localStorage',
      method: 'getItem',
      args: [{ kind: 'string', value: 'k' }],
    });
    expect(u.dynamicRequires).toHaveLength(1);
  });

  it('does not treat reassigned names as constants', () => {
    const u = usage(`const set = require('setInWindow'); let k = 'a'; k = data.k; set(k, 1);`);
    expect(u.calls[0]!.args[0]).toEqual({ kind: 'other' });
  });
});
