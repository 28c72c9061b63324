// gtagSet('key', literal) is judged against write_data_layer like the sandbox judges it when the
// call runs: a key no pattern lists fails the call, so `check` reports it where `test` would fail.
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { makePermission } from '../../src/gtm/typed-value.js';
import { TERMS_OF_SERVICE_TEXT } from '../../src/tpl/model.js';
import { template, webTagInfo } from './fixtures.js';

function consentTag(code: string, keyPatterns: string[]): string {
  return template([
    ['TERMS_OF_SERVICE', TERMS_OF_SERVICE_TEXT],
    ['INFO', webTagInfo()],
    ['TEMPLATE_PARAMETERS', '[]'],
    ['SANDBOXED_JS_FOR_WEB_TEMPLATE', `const gtagSet = require('gtagSet');\n${code}\ndata.gtmOnSuccess();`],
    ['WEB_PERMISSIONS', JSON.stringify([makePermission('write_data_layer', { keyPatterns })], null, 2)],
  ]);
}

const errors = (text: string) =>
  checkSource(text)
    .filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.code, line: d.line }));

describe('gtagSet against write_data_layer', () => {
  it('reports a constant key with a literal value that no pattern lists, at the call', () => {
    const text = consentTag("gtagSet('url_passthrough', true);\ngtagSet('developer_id.dAbCdE', true);", [
      'url_passthrough',
    ]);
    const line = text.split('\n').findIndex((l) => l.includes("gtagSet('developer_id")) + 1;
    expect(errors(text)).toEqual([{ code: 'code-permissions/argument-not-allowed', line }]);
  });

  it('accepts keys a pattern lists, exactly or by a.* glob', () => {
    const text = consentTag("gtagSet('url_passthrough', true);\ngtagSet('developer_id.dAbCdE', true);", [
      'url_passthrough',
      'developer_id.*',
    ]);
    expect(errors(text)).toEqual([]);
  });

  it('does not judge a value that is not a literal (an object is asked about its flattened keys)', () => {
    const text = consentTag(
      "gtagSet('developer_id', {dAbCdE: true});\ngtagSet('ads_data_redaction', data.on);",
      ['developer_id.dAbCdE'],
    );
    expect(errors(text)).toEqual([]);
  });
});

describe('gtagSet({...}) against write_data_layer', () => {
  it('judges each own key of an object literal whose value is a literal', () => {
    const text = consentTag("gtagSet({url_passthrough: true, 'developer_id.dAbCdE': true});", [
      'url_passthrough',
    ]);
    const line = text.split('\n').findIndex((l) => l.includes('gtagSet({')) + 1;
    expect(errors(text)).toEqual([{ code: 'code-permissions/argument-not-allowed', line }]);
    const allowed = consentTag("gtagSet({url_passthrough: true, 'developer_id.dAbCdE': true});", [
      'url_passthrough',
      'developer_id.*',
    ]);
    expect(errors(allowed)).toEqual([]);
  });

  it('does not judge nested objects, computed keys or values that are not literals', () => {
    const text = consentTag(
      'gtagSet({developer_id: {dAbCdE: true}, [data.k]: true, ads_data_redaction: data.on});',
      ['developer_id.dAbCdE'],
    );
    expect(errors(text)).toEqual([]);
  });
});
