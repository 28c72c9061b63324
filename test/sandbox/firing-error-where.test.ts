// A firing that ends with an error says where in the template code it was thrown (`errorWhere`),
// beside the message as GTM shows it (`error`), for the preview's "Fire" and for `runTemplate`
// callers: in the code itself, in an API it called, and in a callback that ran after the code.
import { describe, expect, test } from 'vitest';
import { runTemplate } from '../../src/sandbox/index.js';
import { parse } from '../../src/tpl/index.js';
import { perm, template } from './helpers.js';

const CODE = [
  'const callLater = require("callLater");',
  'const missing = undefined;',
  'if (data.where === "code") return missing.then;',
  'if (data.where === "api") require("injectScript")("https://b.test/x.js");',
  'if (data.where === "later") callLater(() => missing.then);',
  'data.gtmOnSuccess();',
].join('\n');

const PERMISSIONS = [perm('inject_script', { urls: ['https://a.test/*'] })];

describe('errorWhere', () => {
  test('names the template code line of an error thrown by the code, an API or a later callback', () => {
    const t = template(CODE, PERMISSIONS);
    const thrown = runTemplate(t, { where: 'code' });
    expect(thrown.outcome).toBe('error');
    expect(thrown.error).toBe("TypeError: Cannot read properties of undefined (reading 'then')");
    expect(thrown.errorWhere).toBe('template code line 3');
    const denied = runTemplate(t, { where: 'api' });
    expect(denied.errorCode).toBe('sandbox/permission-denied');
    expect(denied.errorWhere).toBe('template code line 4');
    expect(runTemplate(t, { where: 'later' }).errorWhere).toBe('template code line 5');
    const fine = runTemplate(t, {});
    expect(fine.outcome).toBe('success');
    expect(fine).not.toHaveProperty('errorWhere');
  });

  test('adds the line of the file when the template was read from one', () => {
    const text = `___INFO___\n\n{"type": "TAG", "id": "x", "version": 1, "displayName": "x", "containerContexts": ["WEB"]}\n\n___TEMPLATE_PARAMETERS___\n\n[]\n\n___SANDBOXED_JS_FOR_WEB_TEMPLATE___\n\n${CODE}\n`;
    expect(runTemplate(parse(text), { where: 'code' }).errorWhere).toBe(
      'template code line 3, line 13 of the file',
    );
  });

  test('is absent when the error does not come from the template code', () => {
    // The time limit stops the code from outside it: no frame of the code threw.
    const t = template('while (true) {}', []);
    const r = runTemplate(t, {}, { timeLimitMs: 50 });
    expect(r.errorCode).toBe('sandbox/time-limit');
    expect(r).not.toHaveProperty('errorWhere');
  });
});
