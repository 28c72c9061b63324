// A template in GTM never lacks the permission of an API its code requires: GTM detects it from
// the code and adds it with its default configuration. The sandbox runs the template that way.
import { describe, expect, test } from 'vitest';
import { runTemplate, runTests } from '../../src/sandbox/index.js';
import { detectedPermissions } from '../../src/sandbox/permissions.js';
import { globals, perm, template } from './helpers.js';

describe('permissions GTM detects from the code', () => {
  test('a required API without its declared permission runs with GTM default configuration', () => {
    // logging defaults to environments "debug": it logs in debug mode (the Tests tab), not in a live page.
    const code = `require('logToConsole')('hello'); data.gtmOnSuccess();`;
    expect(runTemplate(template(code, []), {}, { debugMode: true }).logs).toEqual([['hello']]);
    expect(runTemplate(template(code, []), {}, {}).logs).toEqual([]);
    expect(runTemplate(template(code, []), {}, {}).error).toBeUndefined();
  });

  test('in a scenario, logToConsole in the code and in the test code works without a logging entry', () => {
    const t = template(`require('logToConsole')('from code'); data.gtmOnSuccess();`, [], {
      scenarios: [
        {
          name: 's',
          code: `require('logToConsole')('from test'); runCode({}); assertApi('gtmOnSuccess').wasCalled();`,
        },
      ],
    });
    const [result] = runTests(t);
    expect(result!.status).toBe('pass');
  });

  test('the default allows only what it allows: access_globals is added with no keys', () => {
    const r = runTemplate(template(`return require('copyFromWindow')('x');`, []), {}, {});
    expect(r.errorCode).toBe('sandbox/permission-denied');
    expect(r.error).toMatch(/copyFromWindow/);
  });

  test('a declared permission wins over the default, and queryPermission sees the added one', () => {
    const code = `const q = require('queryPermission'); require('logToConsole');
      return [q('logging'), q('access_globals', 'read', 'x'), q('get_cookies', 'c')];`;
    expect(runTemplate(template(code, [globals(['x', 'r'])]), {}, {}).returnValue).toEqual([
      true,
      true,
      false,
    ]);
  });

  test('a computed require is not detected (by GTM either), so its permission stays missing', () => {
    const code = `require(['read', 'Title'].join(''))();`;
    const r = runTemplate(template(code, []), {}, {});
    expect(r.errorCode).toBe('sandbox/permission-denied');
    expect(r.error).toMatch(/does not declare the 'read_title' permission/);
    expect(detectedPermissions(template(code, [perm('read_title')]))).toEqual([]);
  });

  test('logToConsole without the logging permission logs nothing and does not throw', () => {
    // Google's permissions reference (logging): "When the permission is denied, logToConsole will
    // not throw an error, but suppress the log message."
    const code = `require(['logTo', 'Console'].join(''))('x'); return 'went on';`;
    const r = runTemplate(template(code, []), {}, { debugMode: true });
    expect(r.error).toBeUndefined();
    expect(r.returnValue).toBe('went on');
    expect(r.logs).toEqual([]);
  });

  test('only APIs of the template context count', () => {
    expect(detectedPermissions(template(`require('getRequestHeader'); require('sendPixel');`))).toEqual([
      'send_pixel',
    ]);
  });
});
