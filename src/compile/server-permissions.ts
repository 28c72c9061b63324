// Stage 5 for server templates: the least ___SERVER_PERMISSIONS___ the compiled code needs. Each
// call asks its permission what `src/gtm/api-access.ts` says (the header a getRequestHeader call
// names, the URL of sendHttpRequest, the event key of getEventData…); the asks of one permission
// become its parameters, in the shapes GTM's editor writes (as the corpus's server templates show).
// An ask whose argument is not constant fails the build, naming the call and the JSON to declare,
// unless template.json declares that permission (then the declaration covers it).

import type { PlainValue } from '../gtm/typed-value.js';
import { askArguments, serverApiAccess, type AccessArg, type KnownArg } from '../gtm/api-access.js';
import type { ApiCall, ApiUsage } from '../js/api-usage.js';
import { urlPatternFor } from './url-inference.js';

type Known = KnownArg;

interface Ask {
  call: ApiCall;
  args: Known[];
}

export interface ServerInferenceContext {
  usage: ApiUsage;
  /** Whether template.json declares the permission (its non-constant asks are then covered). */
  overridden(id: string): boolean;
  /** Reports an ask that cannot be followed: what is not constant, and the JSON to declare. */
  fail(call: ApiCall, what: string, declare: string): void;
  /** The compiled text of a call's argument, to quote what could not be followed. */
  argText(call: ApiCall, index: number): string;
}

type Params = Record<string, PlainValue>;

const str = (k: Known | undefined): string | undefined => (k?.kind === 'string' ? k.value : undefined);

/** Which argument (or property of one) a query argument is, quoting the code. */
function ordinal(q: AccessArg, call: ApiCall, ctx: ServerInferenceContext): string {
  if ('const' in q) return '';
  const quoted = `argument ${q.arg + 1} (${ctx.argText(call, q.arg)})`;
  return 'prop' in q ? `the '${q.prop}' of ${quoted}` : quoted;
}

function declare(id: string, example: string): string {
  return `"permissions": { "${id}": ${example} }`;
}

const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort();

/** Lists of maps compare by content; sorted for a stable output. */
function uniqueMaps(maps: Params[]): Params[] {
  const byKey = new Map<string, Params>();
  for (const m of maps) byKey.set(JSON.stringify(m), m);
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

type Builder = (asks: Ask[], ctx: ServerInferenceContext, id: string) => Params | undefined;

/** A string argument at `index`, or a failure naming it; `undefined` when it cannot be followed. */
function constantAt(ask: Ask, index: number, ctx: ServerInferenceContext, id: string, example: string) {
  const value = str(ask.args[index]);
  if (value !== undefined) return value;
  if (!ctx.overridden(id)) {
    const spec = serverApiAccess(ask.call.api, ask.call.method).find((a) => a.permission === id)!;
    ctx.fail(
      ask.call,
      `${ordinal(spec.query[index]!, ask.call, ctx)} is not a constant string, so the compiler cannot infer the ${id} permission it needs`,
      declare(id, example),
    );
  }
  return undefined;
}

const urlsOf =
  (id: string): Builder =>
  (asks, ctx) => {
    const urls: string[] = [];
    for (const ask of asks) {
      const arg = ask.args[0];
      const pattern = arg?.kind === 'string' || arg?.kind === 'prefix' ? urlPatternFor(arg) : undefined;
      if (pattern) urls.push(pattern);
      else if (!ctx.overridden(id))
        ctx.fail(
          ask.call,
          `the URL, argument 1 (${ctx.argText(ask.call, 0)}), does not start with a constant https://host/ prefix, so the compiler cannot infer the URLs of ${id}`,
          declare(id, '{ "allowedUrls": "specific", "urls": ["https://host/path/*"] }'),
        );
    }
    return urls.length ? { allowedUrls: 'specific', urls: sortedUnique(urls) } : undefined;
  };

/** A list of the names in argument 1 (cookie names, key ids), with `fixed` parameters beside it. */
const namesOf =
  (param: string, fixed: Params, example: string): Builder =>
  (asks, ctx, id) => {
    const names: string[] = [];
    for (const ask of asks) {
      const name = constantAt(ask, 0, ctx, id, example);
      if (name !== undefined) names.push(name);
    }
    return names.length ? { ...fixed, [param]: sortedUnique(names) } : undefined;
  };

const BUILDERS: Record<string, Builder> = {
  read_event_data(asks, ctx, id): Params | undefined {
    const keys: string[] = [];
    let any = false;
    for (const ask of asks) {
      if (ask.args.length === 0) {
        any = true;
        continue;
      }
      const key = ask.args[0];
      if (key?.kind === 'string') keys.push(key.value);
      // `'user_data.' + field`: every key below that object.
      else if (key?.kind === 'prefix' && key.prefix.endsWith('.')) keys.push(key.prefix + '*');
      else constantAt(ask, 0, ctx, id, '{ "eventDataAccess": "specific", "keyPatterns": ["event_name"] }');
    }
    if (any) return { eventDataAccess: 'any' };
    return keys.length ? { eventDataAccess: 'specific', keyPatterns: sortedUnique(keys) } : undefined;
  },

  read_request(asks, ctx, id) {
    const headers = new Map<string, string>();
    const queries: string[] = [];
    let allQueries = false;
    const flags = new Set<string>();
    const example =
      '{ "requestAccess": "specific", "headerAccess": "specific", "headersAllowed": true, "headerWhitelist": [{ "headerName": "user-agent" }] }';
    for (const ask of asks) {
      const what = str(ask.args[0]);
      if (what === 'header') {
        const name = constantAt(ask, 1, ctx, id, example);
        if (name !== undefined && !headers.has(name.toLowerCase())) headers.set(name.toLowerCase(), name);
      } else if (what === 'query_parameter' && ask.args.length > 1) {
        const name = constantAt(ask, 1, ctx, id, example);
        if (name !== undefined) queries.push(name);
      } else if (what === 'query_parameter' || what === 'query_string') allQueries = true;
      else if (what === 'body') flags.add('bodyAllowed');
      else if (what === 'path') flags.add('pathAllowed');
      else if (what === 'remote_address') flags.add('remoteAddressAllowed');
      // 'method': every read_request allows it (real templates read it with no sub-permission).
    }
    const params: Params = {
      requestAccess: 'specific',
      headerAccess: 'specific',
      queryParameterAccess: allQueries ? 'any' : 'specific',
    };
    if (headers.size) {
      params.headersAllowed = true;
      params.headerWhitelist = [...headers.values()].sort().map((headerName) => ({ headerName }));
    }
    if (allQueries || queries.length) params.queryParametersAllowed = true;
    if (!allQueries && queries.length)
      params.queryParameterWhitelist = sortedUnique(queries).map((queryParameter) => ({ queryParameter }));
    for (const flag of [...flags].sort()) params[flag] = true;
    return params;
  },

  access_response(asks, ctx, id) {
    const headers = new Map<string, string>();
    const flags = new Set<string>();
    let all = false;
    for (const ask of asks) {
      const what = str(ask.args[0]);
      // No part named: the whole response (setPixelResponse).
      if (ask.args.length === 0) all = true;
      else if (what === 'body') flags.add('writeBodyAllowed');
      else if (what === 'status') flags.add('writeStatusAllowed');
      else if (what === 'header') {
        const name = constantAt(
          ask,
          1,
          ctx,
          id,
          '{ "writeResponseAccess": "specific", "writeHeaderAccess": "specific", "writeHeadersAllowed": true, "writeHeaderWhitelist": [{ "headerName": "content-type" }] }',
        );
        if (name !== undefined && !headers.has(name.toLowerCase())) headers.set(name.toLowerCase(), name);
      }
    }
    if (all) return { writeResponseAccess: 'any', writeHeaderAccess: 'specific' };
    const params: Params = { writeResponseAccess: 'specific', writeHeaderAccess: 'specific' };
    if (headers.size) {
      params.writeHeadersAllowed = true;
      params.writeHeaderWhitelist = [...headers.values()].sort().map((headerName) => ({ headerName }));
    }
    for (const flag of [...flags].sort()) params[flag] = true;
    return params;
  },

  send_http: urlsOf('send_http'),
  send_pixel_from_browser: urlsOf('send_pixel_from_browser'),

  get_cookies: namesOf(
    'cookieNames',
    { cookieAccess: 'specific' },
    '{ "cookieAccess": "specific", "cookieNames": ["name"] }',
  ),

  set_cookies(asks, ctx, id) {
    const cookies: Params[] = [];
    for (const ask of asks) {
      const name = constantAt(
        ask,
        0,
        ctx,
        id,
        '{ "allowedCookies": [{ "name": "…", "domain": "*", "path": "*", "secure": "any", "session": "any" }] }',
      );
      if (name === undefined) continue;
      // Options the code leaves open (not a literal, or computed) are allowed in full.
      const options = ask.args[1];
      const option = (key: string): Known =>
        options?.kind === 'object'
          ? (options.props[key] ?? (options.complete ? { kind: 'absent' } : { kind: 'other' }))
          : options?.kind === 'absent'
            ? { kind: 'absent' }
            : { kind: 'other' };
      const domain = str(option('domain'));
      const path = str(option('path'));
      const secure = option('secure');
      cookies.push({
        name,
        domain: domain !== undefined && domain !== 'auto' ? domain : '*',
        path: path ?? '*',
        secure: secure.kind === 'constant' && secure.value === true ? 'secure' : 'any',
        session: 'any',
      });
    }
    return cookies.length ? { allowedCookies: uniqueMaps(cookies) } : undefined;
  },

  access_bigquery(asks, ctx, id) {
    const tables: Params[] = [];
    const example =
      '{ "allowedTables": [{ "projectId": "*", "datasetId": "…", "tableId": "…", "operation": "write" }] }';
    for (const ask of asks) {
      const projectArg = ask.args[1];
      const projectId = projectArg?.kind === 'absent' ? '*' : constantAt(ask, 1, ctx, id, example);
      const datasetId = constantAt(ask, 2, ctx, id, example);
      const tableId = constantAt(ask, 3, ctx, id, example);
      if (projectId === undefined || datasetId === undefined || tableId === undefined) continue;
      tables.push({ projectId, datasetId, tableId, operation: str(ask.args[0])! });
    }
    return tables.length ? { allowedTables: uniqueMaps(tables) } : undefined;
  },

  access_firestore(asks, ctx, id) {
    const byTarget = new Map<
      string,
      { projectId: string; path: string; databaseId: string; ops: Set<string> }
    >();
    const example =
      '{ "allowedOptions": [{ "projectId": "*", "path": "collection/*", "operation": "read_write", "databaseId": "(default)" }] }';
    for (const ask of asks) {
      const projectArg = ask.args[1];
      const projectId = projectArg?.kind === 'absent' ? '*' : constantAt(ask, 1, ctx, id, example);
      const pathArg = ask.args[2];
      // `'users/' + id`: every document of that collection.
      const path =
        pathArg?.kind === 'prefix' && pathArg.prefix.endsWith('/')
          ? pathArg.prefix + '*'
          : constantAt(ask, 2, ctx, id, example);
      const dbArg = ask.args[3];
      const databaseId = dbArg?.kind === 'absent' ? '(default)' : constantAt(ask, 3, ctx, id, example);
      if (projectId === undefined || path === undefined || databaseId === undefined) continue;
      const key = JSON.stringify([projectId, path, databaseId]);
      const target = byTarget.get(key) ?? { projectId, path, databaseId, ops: new Set<string>() };
      target.ops.add(str(ask.args[0])!);
      byTarget.set(key, target);
    }
    const options = [...byTarget.values()].map((t) => ({
      projectId: t.projectId,
      path: t.path,
      operation: t.ops.size > 1 ? 'read_write' : [...t.ops][0]!,
      databaseId: t.databaseId,
    }));
    return options.length ? { allowedOptions: uniqueMaps(options) } : undefined;
  },

  use_google_credentials(asks, ctx, id) {
    const scopes: string[] = [];
    for (const ask of asks) {
      const list = ask.args[0];
      const items = list?.kind === 'array' && list.complete ? list.items.map(str) : undefined;
      if (items && items.every((s): s is string => s !== undefined)) scopes.push(...items);
      else if (!ctx.overridden(id))
        ctx.fail(
          ask.call,
          `the 'scopes' of argument 1 (${ctx.argText(ask.call, 0)}) are not a list of constant strings, so the compiler cannot infer the ${id} permission it needs`,
          declare(id, '{ "allowedScopes": ["https://www.googleapis.com/auth/…"] }'),
        );
    }
    return scopes.length ? { allowedScopes: sortedUnique(scopes) } : undefined;
  },

  use_custom_private_keys: namesOf('keyIds', {}, '{ "keyIds": ["key id"] }'),

  use_message(asks, ctx, id) {
    const types: Params[] = [];
    for (const ask of asks) {
      const type = constantAt(
        ask,
        0,
        ctx,
        id,
        '{ "allowedActions": "specific", "messageTypes": [{ "type": "…", "action": "send" }] }',
      );
      if (type !== undefined) types.push({ type, action: str(ask.args[1])! });
    }
    return types.length ? { allowedActions: 'specific', messageTypes: uniqueMaps(types) } : undefined;
  },
};

/**
 * The parameters of each server permission the calls in `usage` need, from their arguments. A
 * permission that only needs to be present (logging, run_container, …) is not in the result.
 */
export function inferServerPermissions(ctx: ServerInferenceContext): {
  params: Map<string, Params>;
  /** Permissions some call asked (their failures, if any, are reported already). */
  asked: Set<string>;
} {
  const asks = new Map<string, Ask[]>();
  for (const call of ctx.usage.calls) {
    for (const access of serverApiAccess(call.api, call.method)) {
      const list = asks.get(access.permission) ?? [];
      list.push({ call, args: askArguments(access, call, ctx.usage) });
      asks.set(access.permission, list);
    }
  }
  const params = new Map<string, Params>();
  for (const [id, list] of asks) {
    const built = BUILDERS[id]?.(list, ctx, id);
    if (built) params.set(id, built);
  }
  return { params, asked: new Set([...asks.keys()].filter((id) => BUILDERS[id])) };
}
