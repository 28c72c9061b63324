// Google Cloud from a server container: BigQuery (`access_bigquery`), Firestore
// (`access_firestore`) and getGoogleAuth (`use_google_credentials`). The services are modelled,
// not called: inserts and writes are recorded, Firestore reads come from the world's documents.
// A transaction (`Firestore.runTransaction`) runs its callback once: nothing else writes to the
// modelled documents, so the conflicts GTM retries on (up to five times) never happen here.
// Scenarios usually replace them with mockObject('BigQuery', …) / mockObject('Firestore', …).

import { snapshot } from '../../values.js';
import type { ApiContext, ApiDefinition } from '../types.js';
import { SandboxError } from '../../realm.js';
import { abortsRun, deferred, settledPromise } from './promise.js';
import { later } from '../pure/index.js';

/**
 * The project a call names; `undefined` when it leaves it out, which the permission allows only with
 * a project ID of `*` or `GOOGLE_CLOUD_PROJECT` (src/gtm/permissions.ts).
 */
function projectOf(_ctx: ApiContext, options: unknown): string | undefined {
  const fromOptions =
    options && typeof options === 'object' ? (options as { projectId?: unknown }).projectId : undefined;
  return fromOptions === undefined ? undefined : String(fromOptions);
}

function tableOf(connection: unknown): { projectId?: unknown; datasetId?: unknown; tableId?: unknown } {
  return connection && typeof connection === 'object' ? (connection as Record<string, unknown>) : {};
}

/** Firestore documents of the world, shared by every template of the run. */
const DOCUMENTS = new WeakMap<object, Map<string, Record<string, unknown>>>();

function documents(ctx: ApiContext): Map<string, Record<string, unknown>> {
  let docs = DOCUMENTS.get(ctx.page.server);
  if (!docs) {
    docs = new Map(
      Object.entries(ctx.page.server.init.firestore ?? {}).map(([k, v]) => [
        k,
        snapshot(v) as Record<string, unknown>,
      ]),
    );
    DOCUMENTS.set(ctx.page.server, docs);
  }
  return docs;
}

function databaseOf(options: unknown): unknown {
  return options && typeof options === 'object'
    ? (options as { databaseId?: unknown }).databaseId
    : undefined;
}

let generatedIds = 0;

/** How many documents Firestore.query answers when its options set no `limit`. */
const DEFAULT_QUERY_LIMIT = 5;

export const CLOUD_APIS: Record<string, ApiDefinition> = {
  BigQuery: {
    methods: {
      insert: {
        check: (ctx, [connection]) => {
          const t = tableOf(connection);
          ctx.demand('BigQuery.insert', 'access_bigquery', 'write', t.projectId, t.datasetId, t.tableId);
        },
        call: (ctx, [connection, rows, options, onSuccess]) => {
          ctx.record.server.bigQueryInserts.push({
            table: snapshot(connection) as Record<string, unknown>,
            rows: Array.isArray(rows) ? (snapshot(rows) as unknown[]) : [],
            ...(options === undefined ? {} : { options: snapshot(options) }),
          });
          // The older form, insert(connectionInfo, rows, options, onSuccess, onFailure), which
          // published templates still use to call gtmOnSuccess: the insert succeeds, so onSuccess
          // runs after the code returns (docs/runtime.md).
          if (typeof onSuccess === 'function') later(ctx, onSuccess, []);
          return settledPromise(ctx, 'fulfilled', undefined);
        },
      },
    },
  },
  Firestore: {
    methods: {
      read: {
        check: (ctx, [path, options]) =>
          ctx.demand(
            'Firestore.read',
            'access_firestore',
            'read',
            projectOf(ctx, options),
            String(path),
            databaseOf(options),
          ),
        call: (ctx, [path]) => {
          const doc = documents(ctx).get(String(path));
          if (!doc) return settledPromise(ctx, 'rejected', { reason: 'not_found' });
          return settledPromise(ctx, 'fulfilled', { id: String(path), data: doc });
        },
      },
      write: {
        check: (ctx, [path, _input, options]) =>
          ctx.demand(
            'Firestore.write',
            'access_firestore',
            'write',
            projectOf(ctx, options),
            String(path),
            databaseOf(options),
          ),
        call: (ctx, [path, input, options]) => {
          // A collection path (odd number of segments) gets a generated document id.
          let docPath = String(path);
          if (docPath.split('/').length % 2 === 1) docPath += `/generated-${++generatedIds}`;
          const data = snapshot(input) as Record<string, unknown>;
          const merge =
            !!options && typeof options === 'object' && (options as { merge?: unknown }).merge === true;
          const docs = documents(ctx);
          docs.set(docPath, merge ? { ...(docs.get(docPath) ?? {}), ...data } : data);
          ctx.record.server.firestoreWrites.push({
            op: 'write',
            path: docPath,
            data,
            ...(options === undefined ? {} : { options: snapshot(options) }),
          });
          return settledPromise(ctx, 'fulfilled', docPath);
        },
      },
      delete: {
        check: (ctx, [path, options]) =>
          ctx.demand(
            'Firestore.delete',
            'access_firestore',
            'write',
            projectOf(ctx, options),
            String(path),
            databaseOf(options),
          ),
        call: (ctx, [path]) => {
          documents(ctx).delete(String(path));
          ctx.record.server.firestoreWrites.push({ op: 'delete', path: String(path) });
          return settledPromise(ctx, 'fulfilled', undefined);
        },
      },
      query: {
        check: (ctx, [collection, _conditions, options]) =>
          ctx.demand(
            'Firestore.query',
            'access_firestore',
            'read',
            projectOf(ctx, options),
            String(collection) + '/*',
            databaseOf(options),
          ),
        call: (ctx, [collection, conditions, options]) => {
          const prefix = String(collection) + '/';
          const limit =
            options && typeof options === 'object' ? (options as { limit?: unknown }).limit : undefined;
          const results: { id: string; data: Record<string, unknown> }[] = [];
          for (const [path, data] of documents(ctx)) {
            if (!path.startsWith(prefix) || path.slice(prefix.length).includes('/')) continue;
            if (!matchesAll(data, conditions)) continue;
            results.push({ id: path, data });
          }
          return settledPromise(
            ctx,
            'fulfilled',
            // At most `limit` documents, 5 when the options give none (Google's reference).
            results.slice(0, typeof limit === 'number' ? limit : DEFAULT_QUERY_LIMIT),
          );
        },
      },
      runTransaction: {
        // The calls inside carry the transaction in their options and are checked one by one.
        call: (ctx, [callback]) => runTransaction(ctx, callback),
      },
    },
  },
  getGoogleAuth: {
    check: (ctx, [options]) => ctx.demand('getGoogleAuth', 'use_google_credentials', scopesOf(options)),
    // An opaque credential for sendHttpRequest's `authorization` option.
    call: (ctx, [options]) => ctx.bridge.toSandbox({ scopes: snapshot(scopesOf(options)) }),
  },
};

let transactions = 0;

/**
 * `Firestore.runTransaction(callback, options)`: calls `callback` with a transaction ID and
 * settles as the promise it returns settles: fulfilled with the document IDs that the writes made
 * with `{ transaction: id }` resolved to, in order (Google's server API reference), or rejected
 * with its reason.
 */
function runTransaction(ctx: ApiContext, callback: unknown): unknown {
  if (typeof callback !== 'function') {
    throw new SandboxError('sandbox/api-error', 'Firestore.runTransaction: the callback must be a function');
  }
  const id = `transaction-${++transactions}`;
  const writes = ctx.record.server.firestoreWrites;
  const from = writes.length;
  const outcome = deferred(ctx);
  const body = deferred(ctx);
  try {
    body.resolve(ctx.callSandbox(callback, [id]));
  } catch (err) {
    if (abortsRun(err)) throw err;
    body.reject(ctx.bridge.toSandbox({ message: (err as Error)?.message ?? String(err) }));
  }
  const then = body.promise.then as (onFulfilled: unknown, onRejected: unknown) => unknown;
  then(
    ctx.realm.wrapHost(() => {
      const inTransaction = (w: (typeof writes)[number]) =>
        w.op === 'write' && (w.options as { transaction?: unknown } | undefined)?.transaction === id;
      outcome.resolve(
        ctx.bridge.toSandbox(
          writes
            .slice(from)
            .filter(inTransaction)
            .map((w) => w.path),
        ),
      );
    }),
    ctx.realm.wrapHost((reason) => outcome.reject(reason)),
  );
  return outcome.promise;
}

/** The scopes of getGoogleAuth's argument: `{ scopes: [...] }` as Google documents it (a bare list too). */
function scopesOf(options: unknown): unknown {
  if (options && typeof options === 'object' && !Array.isArray(options) && 'scopes' in options)
    return (options as { scopes: unknown }).scopes;
  return options;
}

/** Firestore query conditions: [field, operator, value] triples. */
function matchesAll(data: Record<string, unknown>, conditions: unknown): boolean {
  if (!Array.isArray(conditions)) return true;
  return conditions.every((c) => {
    if (!Array.isArray(c) || c.length < 3) return true;
    const [field, op, value] = c as [string, string, unknown];
    const actual = String(field)
      .split('.')
      .reduce<unknown>(
        (n, k) => (n && typeof n === 'object' ? (n as Record<string, unknown>)[k] : undefined),
        data,
      );
    switch (op) {
      case '==':
        return actual === value;
      case '!=':
        return actual !== value;
      case '<':
        return (actual as number) < (value as number);
      case '<=':
        return (actual as number) <= (value as number);
      case '>':
        return (actual as number) > (value as number);
      case '>=':
        return (actual as number) >= (value as number);
      case 'array-contains':
        return Array.isArray(actual) && actual.includes(value);
      case 'in':
        return Array.isArray(value) && value.includes(actual);
      default:
        return true;
    }
  });
}
