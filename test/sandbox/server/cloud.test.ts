// Firestore as the sandbox models it: documents come from the world, writes are recorded and read
// back, and a transaction runs its callback with an ID and answers with the IDs its writes made.
import { describe, expect, test } from 'vitest';
import { perm, runServer } from './helpers.js';

const FIRESTORE_ANY = perm('access_firestore', {
  allowedOptions: [{ projectId: '*', path: '*', operation: 'read_write' }],
});

const run = (code: string, firestore: Record<string, Record<string, unknown>> = {}) =>
  runServer(
    `const Firestore = require('Firestore');\nconst logToConsole = require('logToConsole');\n${code}`,
    [FIRESTORE_ANY, perm('logging', { environments: 'all' })],
    { projectId: 'p', firestore },
  );

describe('Firestore.runTransaction', () => {
  test('reads and writes inside the transaction; fulfilled with the IDs its writes made (not other writes)', () => {
    const result = run(
      `Firestore.runTransaction((transaction) => {
  const options = { projectId: 'p', transaction: transaction };
  return Firestore.read('counters/a', options).then((doc) => {
    return Firestore.write('counters/a', { n: doc.data.n + 1 }, options)
      .then(() => Firestore.write('log/1', { outside: true }))
      .then(() => Firestore.write('counters', { made: true }, options));
  });
}, { projectId: 'p' }).then((ids) => {
  logToConsole(ids.length, ids[0]);
  return Firestore.read('counters/a');
}).then((doc) => {
  logToConsole('n', doc.data.n);
  data.gtmOnSuccess();
}, () => data.gtmOnFailure());`,
      { 'counters/a': { n: 41 } },
    );
    expect(result.outcome).toBe('success');
    expect(result.logs.map((l) => l.join(' '))).toEqual(['2 counters/a', 'n 42']);
  });

  test('the callback gets a string ID, a new one for each transaction', () => {
    const result = run(`const ids = [];
const t = (id) => { ids.push(id); return Firestore.read('x/1', { transaction: id }).then(() => 0, () => 0); };
Firestore.runTransaction(t).then(() => Firestore.runTransaction(t)).then(() => {
  logToConsole(typeof ids[0], ids[0] !== ids[1]);
  data.gtmOnSuccess();
});`);
    expect(result.logs.map((l) => l.join(' '))).toEqual(['string true']);
    expect(result.outcome).toBe('success');
  });

  test("rejected with the reason of the callback's promise; a write outside it is not its ID", () => {
    const result = run(`Firestore.runTransaction((transaction) =>
  Firestore.write('a/1', { v: 1 }).then(() => Firestore.read('missing/1', { transaction: transaction }))
).then(() => data.gtmOnSuccess(), (reason) => {
  logToConsole('rejected', reason.reason);
  data.gtmOnFailure();
});`);
    expect(result.outcome).toBe('failure');
    expect(result.logs.map((l) => l.join(' '))).toEqual(['rejected not_found']);
  });

  test('a callback that is not a function is an error in the code', () => {
    const result = run(`Firestore.runTransaction('nope');`);
    expect(result.outcome).toBe('error');
    expect(result.error).toMatch(/runTransaction: the callback must be a function/);
  });
});

describe('Firestore.query', () => {
  test('answers at most 5 documents unless the options set a limit', () => {
    const docs = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`c/${i}`, { n: i }]));
    const result = run(
      `Firestore.query('c', []).then((all) => logToConsole(all.length));
Firestore.query('c', [], { limit: 6 }).then((some) => logToConsole(some.length));
Firestore.query('c', [['n', '>', 4]]).then((big) => logToConsole(big.length));`,
      docs,
    );
    expect(result.logs).toEqual([[5], [6], [2]]);
  });
});

describe('BigQuery.insert', () => {
  const BIGQUERY_ANY = perm('access_bigquery', {
    allowedTables: [{ projectId: '*', datasetId: '*', tableId: '*', operation: 'write' }],
  });

  test('the older callback form calls onSuccess after the code returns; the promise form still resolves', () => {
    const result = runServer(
      `const BigQuery = require('BigQuery');
const logToConsole = require('logToConsole');
const table = { projectId: 'p', datasetId: 'd', tableId: 't' };
BigQuery.insert(table, [{ a: 1 }], {}, () => { logToConsole('onSuccess'); data.gtmOnSuccess(); }, () => logToConsole('onFailure'));
BigQuery.insert(table, [{ a: 2 }]).then(() => logToConsole('resolved'));
logToConsole('returned');`,
      [BIGQUERY_ANY, perm('logging', { environments: 'all' })],
      { projectId: 'p' },
    );
    expect(result.error).toBeUndefined();
    expect(result.logs).toEqual([['returned'], ['resolved'], ['onSuccess']]);
    expect(result.outcome).toBe('success');
    expect(result.server.bigQueryInserts.map((i) => i.rows)).toEqual([[{ a: 1 }], [{ a: 2 }]]);
  });
});
