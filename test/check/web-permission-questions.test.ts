// The questions the checker asks a web permission about constant arguments are the ones the sandbox
// asks when the call runs (src/gtm/permissions.ts judges both): what GTM denies at run time is an
// error here, and what it allows is not.
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { makePermission } from '../../src/gtm/typed-value.js';
import type { PlainValue } from '../../src/gtm/typed-value.js';
import { TERMS_OF_SERVICE_TEXT } from '../../src/tpl/model.js';
import { template, webTagInfo } from './fixtures.js';

function tag(code: string, id: string, params: Record<string, PlainValue>): string {
  return template([
    ['TERMS_OF_SERVICE', TERMS_OF_SERVICE_TEXT],
    ['INFO', webTagInfo()],
    ['TEMPLATE_PARAMETERS', '[]'],
    ['SANDBOXED_JS_FOR_WEB_TEMPLATE', `${code}\ndata.gtmOnSuccess();`],
    ['WEB_PERMISSIONS', JSON.stringify([makePermission(id, params)], null, 2)],
  ]);
}

const errors = (text: string) =>
  checkSource(text)
    .filter((d) => d.severity === 'error')
    .map((d) => d.code);

const ALL_PARTS = Object.fromEntries(
  ['protocol', 'host', 'port', 'path', 'query', 'extension', 'fragment'].map((c) => [c, true]),
);

describe('web permission questions', () => {
  it('getUrl(): the whole URL is denied with URL parts "specific", even all of them (gtm.js)', () => {
    const code = "const getUrl = require('getUrl');\nconst u = getUrl();\nconst v = getUrl('queryParams');";
    expect(errors(tag(code, 'get_url', { urlParts: 'any' }))).toEqual([]);
    expect(errors(tag(code, 'get_url', { urlParts: 'specific', ...ALL_PARTS }))).toEqual([
      'code-permissions/argument-not-allowed',
      'code-permissions/argument-not-allowed',
    ]);
  });

  it('setDefaultConsentState / updateConsentState: each consent type named is written', () => {
    const code =
      "require('setDefaultConsentState')({ ad_storage: 'denied', region: ['US'], wait_for_update: 500 });\n" +
      "require('updateConsentState')({ 'analytics_storage': 'granted' });";
    const types = (write: boolean) => ({
      consentTypes: ['ad_storage', 'analytics_storage'].map((consentType) => ({
        consentType,
        read: true,
        write,
      })),
    });
    expect(errors(tag(code, 'access_consent', types(true)))).toEqual([]);
    expect(errors(tag(code, 'access_consent', types(false)))).toEqual([
      'code-permissions/argument-not-allowed',
      'code-permissions/argument-not-allowed',
    ]);
  });

  it('copyFromDataLayer: a key under a.* is allowed only when it is a dotted path of names (gtm.js)', () => {
    const code = (key: string) =>
      `const copyFromDataLayer = require('copyFromDataLayer');\ncopyFromDataLayer('${key}');`;
    const patterns = { allowedKeys: 'specific', keyPatterns: ['ecommerce.*'] };
    expect(errors(tag(code('ecommerce'), 'read_data_layer', patterns))).toEqual([]);
    expect(errors(tag(code('ecommerce.items'), 'read_data_layer', patterns))).toEqual([]);
    expect(errors(tag(code('ecommerce.items.0'), 'read_data_layer', patterns))).toEqual([
      'code-permissions/argument-not-allowed',
    ]);
    expect(
      errors(
        tag(code('ecommerce'), 'read_data_layer', { allowedKeys: 'specific', keyPatterns: ['ecommerce*'] }),
      ),
    ).toEqual(['code-permissions/argument-not-allowed']);
  });

  it('injectScript: a constant URL with a query needs a pattern that allows it (gtm.js)', () => {
    const code = (url: string) =>
      `const injectScript = require('injectScript');\ninjectScript('${url}', null, null);`;
    expect(
      errors(tag(code('https://cdn.test/lib.js'), 'inject_script', { urls: ['https://cdn.test/lib.js'] })),
    ).toEqual([]);
    expect(
      errors(
        tag(code('https://cdn.test/lib.js?v=1'), 'inject_script', { urls: ['https://cdn.test/lib.js'] }),
      ),
    ).toEqual(['code-permissions/url-not-allowed']);
    expect(
      errors(
        tag(code('https://cdn.test/lib.js?v=1'), 'inject_script', { urls: ['https://cdn.test/lib.js*'] }),
      ),
    ).toEqual([]);
    // A known start only: `/lib/*` is read as the prefix `/lib`, as gtm.js drops the final `/*`.
    const prefix =
      "const injectScript = require('injectScript');\ninjectScript('https://cdn.test/library' + data.v, null, null);";
    expect(errors(tag(prefix, 'inject_script', { urls: ['https://cdn.test/lib/*'] }))).toEqual([]);
  });

  it('injectScript: a URL without a scheme is judged as the page resolves it (gtm.js reads it with an anchor)', () => {
    const code = (url: string) =>
      `const injectScript = require('injectScript');\ninjectScript('${url}', null, null);`;
    const cdn = { urls: ['https://cdn.test/*'] };
    // `//host/…` is https on an https page: allowed by an https pattern for that host, and only by one.
    expect(errors(tag(code('//cdn.test/lib.js'), 'inject_script', cdn))).toEqual([]);
    expect(errors(tag(code('//other.test/lib.js'), 'inject_script', cdn))).toEqual([
      'code-permissions/url-not-allowed',
    ]);
    // A path alone is on the page's own host, which the checker cannot know: not judged.
    expect(errors(tag(code('/lib.js'), 'inject_script', cdn))).toEqual([]);
    // A known start with no scheme is judged the same way.
    const prefix = (start: string) =>
      `const injectScript = require('injectScript');\ninjectScript('${start}' + data.v, null, null);`;
    expect(errors(tag(prefix('//cdn.test/'), 'inject_script', cdn))).toEqual([]);
    expect(errors(tag(prefix('//other.test/'), 'inject_script', cdn))).toEqual([
      'code-permissions/url-not-allowed',
    ]);
  });

  it('inject_script: a *.host pattern covers the host itself, as gtm.js compares it', () => {
    const code =
      "const injectScript = require('injectScript');\ninjectScript('https://example.com/lib.js', null, null);";
    expect(errors(tag(code, 'inject_script', { urls: ['https://*.example.com/*'] }))).toEqual([]);
    const other =
      "const injectScript = require('injectScript');\ninjectScript('https://badexample.com/lib.js', null, null);";
    expect(errors(tag(other, 'inject_script', { urls: ['https://*.example.com/*'] }))).toEqual([
      'code-permissions/url-not-allowed',
    ]);
  });
});
