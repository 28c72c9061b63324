// The starter files of a server template project (init --context server): a tag that forwards each
// event's name to an endpoint, and a variable that reads a key of the event data.

export const SERVER_TAG_FIELDS = `// The tag's form. Each property is one field in GTM and one key of \`data\`; the JSDoc says how the
// field looks and what it accepts (the vocabulary: docs/start-a-template.md in gtm-template).

export interface Fields {
  /**
   * The key your collection endpoint expects.
   * @title API key
   * @valueHint e.g. k-123
   */
  apiKey: string;
  /**
   * Sent instead of the event's own name when set.
   * @title Event name
   */
  eventName?: string;
}
`;

export const SERVER_TAG_MAIN = `import { encodeUriComponent, getEventData, JSON, sendHttpRequest } from 'gtm';
import type { HttpResponse, TagData } from 'gtm';
import type { Fields } from './fields';

const ENDPOINT = 'https://collect.example.com/events';

// GTM runs this for each event a client claimed; getEventData reads the event. A tag must end by
// calling data.gtmOnSuccess() or data.gtmOnFailure(), exactly once.
export default function main(data: TagData<Fields>): void {
  const name = data.eventName || getEventData('event_name');
  const url = ENDPOINT + '?key=' + encodeUriComponent(data.apiKey);
  const options = { method: 'POST', headers: { 'Content-Type': 'application/json' } };
  sendHttpRequest(url, options, JSON.stringify({ name })).then(
    (response: HttpResponse) => (response.statusCode < 300 ? data.gtmOnSuccess() : data.gtmOnFailure()),
    () => data.gtmOnFailure(),
  );
}
`;

export const SERVER_TAG_TESTS = `// Scenarios for GTM's Tests tab; \`npm test\` runs them offline. GTM asserts before the code's
// promise reactions run, so the mocks answer with an object whose \`then\` calls back at once.
import { assertApi, assertThat, mock, runCode, scenario, setup } from 'gtm/test';
import type { HttpResponse } from 'gtm';

let sentUrl = '';
let sentBody = '';

function answer(response: HttpResponse) {
  return { then: (onSuccess: (r: HttpResponse) => void) => onSuccess(response) };
}

setup(() => {
  mock('getEventData', (key: string) => (key === 'event_name' ? 'purchase' : undefined));
});

scenario("sends the event's name and succeeds on 2xx", () => {
  mock('sendHttpRequest', (url: string, options: unknown, body: string) => {
    sentUrl = url;
    sentBody = body;
    return answer({ statusCode: 204, headers: {}, body: '' });
  });
  runCode({ apiKey: 'k-123' });
  assertThat(sentUrl).isEqualTo('https://collect.example.com/events?key=k-123');
  assertThat(sentBody).isEqualTo('{"name":"purchase"}');
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('fails when the endpoint answers 500', () => {
  mock('sendHttpRequest', () => answer({ statusCode: 500, headers: {}, body: 'down' }));
  runCode({ apiKey: 'k-123', eventName: 'signup' });
  assertApi('gtmOnFailure').wasCalled();
  assertApi('gtmOnSuccess').wasNotCalled();
});
`;

export const SERVER_VARIABLE_FIELDS = `// The variable's form. Each property is one field in GTM and one key of \`data\`; the JSDoc says how
// the field looks and what it accepts (the vocabulary: docs/start-a-template.md in gtm-template).

export interface Fields {
  /**
   * The key in the event data, e.g. page_location or user_data.email_address.
   * @title Event data key
   */
  key: string;
  /**
   * Returned when the event has no such key.
   * @title Fallback value
   */
  fallback?: string;
}
`;

export const SERVER_VARIABLE_MAIN = `import { getEventData } from 'gtm';
import type { VariableData } from 'gtm';
import type { Fields } from './fields';

// GTM runs this whenever the variable is read; what it returns is the variable's value.
export default function main(data: VariableData<Fields>): unknown {
  const value = getEventData(data.key);
  return value === undefined || value === null || value === '' ? data.fallback : value;
}
`;

export const SERVER_VARIABLE_TESTS = `// Scenarios for GTM's Tests tab; \`npm test\` runs them offline.
import { assertThat, mock, runCode, scenario } from 'gtm/test';

scenario('returns the value from the event data', () => {
  mock('getEventData', (key: string) => (key === 'page_location' ? 'https://example.com/' : undefined));
  assertThat(runCode({ key: 'page_location' })).isEqualTo('https://example.com/');
});

scenario('returns the fallback when the event lacks the key', () => {
  mock('getEventData', () => undefined);
  assertThat(runCode({ key: 'page_location', fallback: 'none' })).isEqualTo('none');
});
`;
