// GTM's test API on server templates: mocks replace APIs (a function, or a value such as a
// Promise), mockObject replaces BigQuery/Firestore methods, asynchronous work settles before the
// scenario ends (so assertions in callLater count), and --once for tags and clients.
import { describe, expect, test } from 'vitest';
import { runTests } from '../../../src/sandbox/index.js';
import { ANY_HTTP, perm, RETURN, serverTemplate } from './helpers.js';

const TAG = `const sendHttpRequest = require('sendHttpRequest');
sendHttpRequest('https://api.example.com/e', { method: 'POST' }, data.body).then((res) => {
  if (res.statusCode === 200) data.gtmOnSuccess(); else data.gtmOnFailure();
}, () => data.gtmOnFailure());`;

const scenario = (name: string, code: string) => ({ name, code });
const run = (
  code: string,
  scenarios: { name: string; code: string }[],
  type: 'TAG' | 'CLIENT' = 'TAG',
  options = {},
  permissions = [ANY_HTTP],
) =>
  runTests(
    serverTemplate(code, permissions, type, {
      scenarios,
      setup: "const Promise = require('Promise'); const callLater = require('callLater');",
    }),
    options,
  );

describe('server scenarios', () => {
  test('mock sendHttpRequest with a function returning a Promise; assertions in callLater count', () => {
    const results = run(TAG, [
      scenario(
        'ok',
        `mock('sendHttpRequest', (url, options, body) => { assertThat(body).isEqualTo('b'); return Promise.create((r) => r({ statusCode: 200 })); });
        runCode({ body: 'b' });
        callLater(() => assertApi('gtmOnSuccess').wasCalled());`,
      ),
      scenario(
        'wrong expectation fails',
        `mock('sendHttpRequest', () => Promise.create((r) => r({ statusCode: 500 })));
        runCode({ body: 'b' });
        callLater(() => assertApi('gtmOnSuccess').wasCalled());`,
      ),
      scenario(
        'an assertion inside the mock fails the scenario',
        `mock('sendHttpRequest', (url, options, body) => { assertThat(body).isEqualTo('other'); return Promise.create((r) => r({ statusCode: 200 })); });
        runCode({ body: 'b' });`,
      ),
    ]);
    expect(results.map((r) => r.status)).toEqual(['pass', 'fail', 'fail']);
    expect(results[1]!.message).toMatch(/Expected API gtmOnSuccess to have been called/);
  });

  test('mock sendHttpRequest with a Promise value', () => {
    const [r] = run(TAG, [
      scenario(
        'value',
        `mock('sendHttpRequest', Promise.create((_, reject) => reject({ reason: 'failed' })));
        runCode({});
        callLater(() => assertApi('gtmOnFailure').wasCalled());`,
      ),
    ]);
    expect(r!.status).toBe('pass');
  });

  test("unmocked, the request stays pending as in GTM's Tests tab: nothing is sent, nothing settles", () => {
    const [quiet, waiting, callback] = run(TAG + "\nrequire('logToConsole')('sent');", [
      // What happens before the answer counts; nothing waits on it.
      scenario(
        'asserts what ran',
        "runCode({});\nassertApi('logToConsole').wasCalledWith('sent');\nassertApi('gtmOnFailure').wasNotCalled();",
      ),
      // A scenario that waits on the answer fails, and says which request nothing answered.
      scenario('waits on the answer', "runCode({});\nassertApi('gtmOnSuccess').wasCalled();"),
    ]).concat(
      run(`require('sendHttpRequest')('https://api.example.com/cb', () => data.gtmOnSuccess(), {});`, [
        scenario('callback form', "runCode({});\ncallLater(() => assertApi('gtmOnSuccess').wasNotCalled());"),
      ]),
    );
    expect(quiet!.status).toBe('pass');
    expect(waiting!.status).toBe('fail');
    expect(waiting!.message).toMatch(
      /unanswered, left pending as in GTM's Tests tab[^]*sendHttpRequest POST https:\/\/api\.example\.com\/e; mock\('sendHttpRequest'/,
    );
    expect(callback!.status).toBe('pass');
  });

  test('mockObject replaces BigQuery.insert; the real insert is permission-checked', () => {
    const code = `require('BigQuery').insert({ datasetId: 'd', tableId: 't' }, [{ a: 1 }]).then(data.gtmOnSuccess, data.gtmOnFailure);`;
    const [mocked] = run(
      code,
      [
        scenario(
          'mocked',
          `mockObject('BigQuery', { insert: () => Promise.create((_, reject) => reject('quota')) });
        runCode({});
        callLater(() => assertApi('gtmOnFailure').wasCalled());`,
        ),
      ],
      'TAG',
      {},
      [],
    );
    expect(mocked!.status).toBe('pass');
    const [real] = run(code, [scenario('real', 'runCode({});')], 'TAG', {}, [
      perm('access_bigquery', {
        allowedTables: [{ projectId: '*', datasetId: 'other', tableId: '*', operation: 'write' }],
      }),
    ]);
    expect(real!.message).toMatch(
      /BigQuery.insert: permission denied: 'access_bigquery' denies it: the table .*d\.t is not listed for write/,
    );
  });

  test('--once for tags: a firing that never completes fails', () => {
    const [r] = run(
      TAG,
      [scenario('never', `mock('sendHttpRequest', () => Promise.create(() => {})); runCode({});`)],
      'TAG',
      { once: true },
    );
    expect(r!.status).toBe('fail');
    expect(r!.message).toMatch(/--once: run 1 called gtmOnSuccess 0 and gtmOnFailure 0/);
  });

  test('--once for clients: claimed requests must be answered exactly once', () => {
    const client = (body: string) =>
      run(body, [scenario('client', 'runCode({});')], 'CLIENT', { once: true }, [RETURN]);
    expect(client("require('claimRequest')(); require('returnResponse')();")[0]!.status).toBe('pass');
    expect(client('')[0]!.status).toBe('pass');
    expect(client("require('claimRequest')();")[0]!.message).toMatch(
      /claimed the request but returned the response in 0 of 1/,
    );
    expect(
      client("require('claimRequest')(); require('returnResponse')(); require('returnResponse')();")[0]!
        .message,
    ).toMatch(/returnResponse 2 times in 1 run/);
  });
});
