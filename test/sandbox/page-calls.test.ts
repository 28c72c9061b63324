// `RunResult.pageCalls`: the calls a template makes to the page's own functions, by the name it
// reached them by (what `gtm-template preview` lists after "Fire").
import { describe, expect, it } from 'vitest';
import { runTemplate } from '../../src/sandbox/index.js';
import { parse } from '../../src/tpl/index.js';
import { builtTemplate, HS256_TOKEN } from '../template/built-template.js';

function template(code: string, keys: string[]) {
  const globals = keys
    .map(
      (key) =>
        `{"type":3,"mapKey":[{"type":1,"string":"key"},{"type":1,"string":"read"},{"type":1,"string":"write"},{"type":1,"string":"execute"}],"mapValue":[{"type":1,"string":"${key}"},{"type":8,"boolean":true},{"type":8,"boolean":true},{"type":8,"boolean":true}]}`,
    )
    .join(',');
  return parse(`___INFO___

{"type": "TAG", "id": "cvt_temp_public_id", "version": 1, "securityGroups": [], "displayName": "t", "containerContexts": ["WEB"]}

___SANDBOXED_JS_FOR_WEB_TEMPLATE___

${code}

___WEB_PERMISSIONS___

[{"instance": {"key": {"publicId": "access_globals", "versionId": "1"}, "param": [{"key": "keys", "value": {"type": 2, "listItem": [${globals}]}}]}, "isRequired": true}]
`);
}

describe('calls to page functions', () => {
  it('the giosg tag: one _giosg call with the exact arguments, through its queue', () => {
    const result = runTemplate(builtTemplate(), {
      signing: 'HS256',
      token: HS256_TOKEN,
      rooms: [{ by: 'name', room: 'Support' }],
    });
    expect(result.outcome).toBe('success');
    expect(result.pageCalls).toEqual([
      { target: '_giosg', args: ['visitor', 'submit', HS256_TOKEN, 'HS256', false, [{ name: 'Support' }]] },
    ]);
  });

  it('callInWindow, copyFromWindow and createQueue name what they called; missing functions are not called', () => {
    const t = template(
      `const callInWindow = require('callInWindow');
const copyFromWindow = require('copyFromWindow');
const createQueue = require('createQueue');
callInWindow('api.track', 'a', {n: 1});
callInWindow('missing', 1);
const f = copyFromWindow('fbq');
f('init', '123');
createQueue('dataLayer')({event: 'x'});
data.gtmOnSuccess();`,
      ['api.track', 'missing', 'fbq', 'dataLayer'],
    );
    const result = runTemplate(t, {}, { window: { api: { track: () => 1 }, fbq: () => undefined } });
    expect(result.outcome).toBe('success');
    expect(result.pageCalls).toEqual([
      { target: 'api.track', args: ['a', { n: 1 }] },
      { target: 'fbq', args: ['init', '123'] },
      { target: 'dataLayer.push', args: [{ event: 'x' }] },
    ]);
  });
});
