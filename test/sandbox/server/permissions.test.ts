// The shared permission table (src/gtm/permissions.ts) on the server permissions: what each allows
// and what it denies, with the reason naming the argument.
import { describe, expect, test } from 'vitest';
import { permissionDenial } from '../../../src/gtm/permissions.js';

describe('server permission rules', () => {
  test('use_google_credentials: every scope must be listed', () => {
    const params = { allowedScopes: ['https://www.googleapis.com/auth/datastore'] };
    expect(
      permissionDenial('use_google_credentials', params, [['https://www.googleapis.com/auth/datastore']]),
    ).toBeUndefined();
    expect(
      permissionDenial('use_google_credentials', params, [
        ['https://www.googleapis.com/auth/datastore', 'https://x/other'],
      ]),
    ).toMatch(/https:\/\/x\/other are not listed/);
  });

  test('access_firestore: operation, project and path patterns', () => {
    const params = { allowedOptions: [{ projectId: '*', path: 'users/*', operation: 'read' }] };
    expect(permissionDenial('access_firestore', params, ['read', 'p', 'users/1'])).toBeUndefined();
    expect(permissionDenial('access_firestore', params, ['write', 'p', 'users/1'])).toMatch(
      /'users\/1' is not listed for write/,
    );
    expect(permissionDenial('access_firestore', params, ['read', 'p', 'orders/1'])).toMatch(/'orders\/1'/);
    expect(
      permissionDenial(
        'access_firestore',
        { allowedOptions: [{ projectId: '*', path: '*', operation: 'read_write' }] },
        ['write', 'p', 'a/b'],
      ),
    ).toBeUndefined();
  });

  test('access_bigquery: dataset and table', () => {
    const params = {
      allowedTables: [{ projectId: '*', datasetId: 'logs', tableId: 'events', operation: 'write' }],
    };
    expect(permissionDenial('access_bigquery', params, ['write', 'p', 'logs', 'events'])).toBeUndefined();
    expect(permissionDenial('access_bigquery', params, ['write', 'p', 'logs', 'other'])).toMatch(
      /p\.logs\.other is not listed for write/,
    );
  });

  test('access_bigquery and access_firestore: queryPermission takes the options object; GOOGLE_CLOUD_PROJECT', () => {
    // Google's server permissions reference: queryPermission('access_bigquery', <operation>, <options>)
    // with options { projectId, datasetId, tableId }; a project ID of GOOGLE_CLOUD_PROJECT allows a
    // call that leaves projectId out.
    const table = {
      projectId: 'gcp-cloud-project-id',
      datasetId: 'destination-dataset',
      tableId: 'destination-table',
    };
    const specific = { allowedTables: [{ ...table, operation: 'write' }] };
    expect(permissionDenial('access_bigquery', specific, ['write', table])).toBeUndefined();
    expect(permissionDenial('access_bigquery', specific, ['write', { ...table, tableId: 'other' }])).toMatch(
      /destination-dataset\.other is not listed/,
    );
    const env = { allowedTables: [{ ...table, projectId: 'GOOGLE_CLOUD_PROJECT', operation: 'write' }] };
    const noProject = { datasetId: table.datasetId, tableId: table.tableId };
    expect(permissionDenial('access_bigquery', env, ['write', noProject])).toBeUndefined();
    expect(permissionDenial('access_bigquery', specific, ['write', noProject])).toMatch(/not listed/);
    const docs = {
      allowedOptions: [{ projectId: 'GOOGLE_CLOUD_PROJECT', path: 'users/*', operation: 'read' }],
    };
    expect(permissionDenial('access_firestore', docs, ['read', { path: 'users/1' }])).toBeUndefined();
    expect(permissionDenial('access_firestore', docs, ['read', { projectId: 'p', path: 'users/1' }])).toMatch(
      /not listed/,
    );
  });

  test('access_response without a part: the whole response setPixelResponse writes', () => {
    const parts = { writeResponseAccess: 'specific', writeStatusAllowed: true, writeBodyAllowed: true };
    const headers = ['content-type', 'cache-control', 'expires', 'pragma'].map((headerName) => ({
      headerName,
    }));
    expect(
      permissionDenial(
        'access_response',
        { ...parts, writeHeadersAllowed: true, writeHeaderAccess: 'any' },
        [],
      ),
    ).toBeUndefined();
    expect(
      permissionDenial(
        'access_response',
        { ...parts, writeHeadersAllowed: true, writeHeaderWhitelist: headers },
        [],
      ),
    ).toBeUndefined();
    expect(
      permissionDenial(
        'access_response',
        { ...parts, writeHeadersAllowed: true, writeHeaderWhitelist: headers.slice(1) },
        [],
      ),
    ).toMatch(/'Content-Type' is not listed/);
    expect(permissionDenial('access_response', { ...parts, writeStatusAllowed: false }, [])).toMatch(
      /status/,
    );
  });

  test('read_event_data: `any`, exact keys, keys below a listed key, wildcards', () => {
    const params = { eventDataAccess: 'specific', keyPatterns: ['user_data', 'items.*'] };
    expect(permissionDenial('read_event_data', { eventDataAccess: 'any' }, [undefined])).toBeUndefined();
    expect(permissionDenial('read_event_data', params, ['user_data.email'])).toBeUndefined();
    expect(permissionDenial('read_event_data', params, ['items.0.price'])).toBeUndefined();
    expect(permissionDenial('read_event_data', params, ['user_database'])).toMatch(
      /'user_database' is not listed/,
    );
  });

  test('read_request: requestAccess any allows every part', () => {
    for (const part of [
      'body',
      'header',
      'method',
      'path',
      'query_parameter',
      'query_string',
      'remote_address',
    ])
      expect(permissionDenial('read_request', { requestAccess: 'any' }, [part, 'x'])).toBeUndefined();
    expect(permissionDenial('read_request', { requestAccess: 'any' }, ['cookies'])).toMatch(
      /unknown request part 'cookies'/,
    );
  });

  test('send_http: patterns, any, and Google domains', () => {
    expect(permissionDenial('send_http', { allowedUrls: 'any' }, ['https://x.example/'])).toBeUndefined();
    expect(
      permissionDenial('send_http', { allowedUrls: 'specific', urls: ['https://*.stape.io/'] }, [
        'https://a.stape.io/x',
      ]),
    ).toBeUndefined();
    expect(
      permissionDenial('send_http', { allowedUrls: 'specific', urls: [], allowGoogleDomains: true }, [
        'https://www.googleapis.com/x',
      ]),
    ).toBeUndefined();
    expect(
      permissionDenial('send_http', { allowedUrls: 'specific', urls: [] }, ['https://www.googleapis.com/x']),
    ).toMatch(/none declared/);
    // Google's country domains, where Google's own tags send remarketing hits; not look-alikes.
    const googleOnly = { allowedUrls: 'specific', urls: [], allowGoogleDomains: true };
    for (const url of [
      'https://www.google.de/ads/ga-audiences',
      'https://www.google.co.uk/ads/ga-audiences',
      'https://www.google.com.au/x',
      'https://google.cat/x',
    ])
      expect(permissionDenial('send_http', googleOnly, [url])).toBeUndefined();
    for (const url of [
      'https://notgoogle.de/x',
      'https://www.google.de.example.org/x',
      'https://google.example.com/x',
      'https://www.google.xyz/x',
    ])
      expect(permissionDenial('send_http', googleOnly, [url])).toMatch(/none declared/);
  });
});
