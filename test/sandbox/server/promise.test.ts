// Promise: create, all, then/catch/finally, settled as JavaScript settles promises (reactions are
// microtasks: all of them run before the next callLater or HTTP callback).
import { describe, expect, test } from 'vitest';
import { perm, runServer } from './helpers.js';

const LOG = perm('logging', { environments: 'all' });
const logs = (code: string) => {
  const r = runServer(
    `const Promise = require('Promise'); const log = require('logToConsole'); const callLater = require('callLater');\n${code}`,
    [LOG],
  );
  expect(r.error).toBeUndefined();
  return r.logs.map((l) => l.join(' '));
};

describe('Promise', () => {
  test('chained reactions run before callLater work, after the code returns', () => {
    expect(
      logs(`callLater(() => log('later'));
            Promise.create((resolve) => resolve(1)).then((v) => { log('then', v); return v + 1; }).then((v) => log('then', v));
            log('sync');`),
    ).toEqual(['sync', 'then 1', 'then 2', 'later']);
  });

  test('a resolver that throws rejects; catch recovers; finally passes the value on', () => {
    expect(
      logs(`Promise.create(() => { const missing = undefined; return missing.property; })
              .catch((e) => { log('caught', require('getType')(e)); return 'recovered'; })
              .finally(() => log('finally'))
              .then((v) => log('value', v));`),
    ).toEqual(['caught object', 'finally', 'value recovered']);
  });

  test('rejections skip then handlers without onRejected', () => {
    expect(
      logs(
        `Promise.create((_, reject) => reject('no')).then(() => log('never')).then(null, (e) => log('rejected', e));`,
      ),
    ).toEqual(['rejected no']);
  });

  test('a promise returned by a handler is adopted', () => {
    expect(
      logs(
        `Promise.create((r) => r(1)).then(() => Promise.create((r) => callLater(() => r('inner')))).then((v) => log(v));`,
      ),
    ).toEqual(['inner']);
  });

  test('Promise.all keeps order, takes plain values, rejects on the first rejection', () => {
    expect(
      logs(`Promise.all([Promise.create((r) => callLater(() => r('a'))), 'b', Promise.create((r) => r('c'))]).then((v) => log(v.join(',')));
            Promise.all([Promise.create((_, j) => j('x')), 'y']).catch((e) => log('all failed', e));
            Promise.all([]).then((v) => log('empty', v.length));`),
      // As in JavaScript: the empty list settles at once, the rejection one reaction later.
    ).toEqual(['empty 0', 'all failed x', 'a,b,c']);
  });

  test('resolve and reject count once', () => {
    expect(
      logs(
        `Promise.create((res, rej) => { res(1); res(2); rej(3); }).then((v) => log(v), (e) => log('e', e));`,
      ),
    ).toEqual(['1']);
  });

  test('Promise.create needs a function', () => {
    expect(runServer("require('Promise').create(1);").error).toMatch(
      /Promise.create: the resolver must be a function/,
    );
  });
});
