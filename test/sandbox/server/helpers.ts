// Builders for server sandbox tests: a server template from code and permissions, fired once in a
// world the test describes.
import { runTemplate, type RunResult } from '../../../src/sandbox/index.js';
import type { ServerWorldInit } from '../../../src/sandbox/server-world.js';
import { emptyTemplate, type Permission, type Template, type TestScenario } from '../../../src/tpl/model.js';
import { perm } from '../helpers.js';

export { perm };

export function serverTemplate(
  code: string,
  permissions: Permission[] = [],
  type: 'TAG' | 'CLIENT' | 'MACRO' = 'TAG',
  tests?: { scenarios: TestScenario[]; setup?: string },
): Template {
  return {
    ...emptyTemplate('SERVER'),
    info: { type, containerContexts: ['SERVER'] },
    code,
    permissions,
    tests,
  };
}

/** Fires `code` once as a server template of `type` in `server`'s world. */
export function runServer(
  code: string,
  permissions: Permission[] = [],
  server: ServerWorldInit = {},
  type: 'TAG' | 'CLIENT' | 'MACRO' = 'TAG',
  data: Record<string, unknown> = {},
): RunResult {
  return runTemplate(serverTemplate(code, permissions, type), data, { server, timestamp: 1_700_000_000_000 });
}

export const READ_ALL_REQUEST = perm('read_request', {
  requestAccess: 'any',
  headerAccess: 'any',
  queryParameterAccess: 'any',
});
export const ANY_RESPONSE = perm('access_response', {
  writeResponseAccess: 'any',
  writeHeaderAccess: 'specific',
});
export const RETURN = perm('return_response');
export const ALL_EVENT_DATA = perm('read_event_data', { eventDataAccess: 'any' });
export const ANY_HTTP = perm('send_http', { allowedUrls: 'any' });
