// Builders for sandbox tests: a template from code and permissions, in memory.
import { makePermission, type PlainValue } from '../../src/gtm/typed-value.js';
import { emptyTemplate, type Permission, type Template, type TestScenario } from '../../src/tpl/model.js';

export function perm(id: string, params: Record<string, PlainValue> = {}): Permission {
  return makePermission(id, params);
}

export function globals(...keys: [key: string, flags: string][]): Permission {
  return perm('access_globals', {
    keys: keys.map(([key, flags]) => ({
      key,
      read: flags.includes('r'),
      write: flags.includes('w'),
      execute: flags.includes('x'),
    })),
  });
}

export function template(
  code: string,
  permissions: Permission[] = [],
  tests?: { scenarios: TestScenario[]; setup?: string },
  type = 'TAG',
): Template {
  return { ...emptyTemplate('WEB'), info: { type, containerContexts: ['WEB'] }, code, permissions, tests };
}

export const LOG_ALL = perm('logging', { environments: 'all' });
