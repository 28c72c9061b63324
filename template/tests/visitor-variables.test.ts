// The template's own ___TESTS___ scenarios: they run in GTM's Tests tab and in `gtm-template test`.
// GTM has one setup for all scenarios, so they share this file's setup and constants.
// `_giosg` is replaced by a recorder through createArgumentsQueue (the API the code gets it from), so
// each scenario can assert the exact calls; page state itself is covered by test/template/*.test.ts.
import { assertApi, assertThat, fail, mock, runCode, scenario, setup } from 'gtm/test';

/** Every `_giosg(...)` call of the scenario, each as the list of its arguments. */
const giosgCalls: unknown[][] = [];
const ORGANIZATION_ID = '826100fd-b473-49b0-bafd-d7332622bae8';
const CLIENT_URL = 'https://service.giosg.com/live2/826100fd-b473-49b0-bafd-d7332622bae8';
// giosg's documentation example: header {"alg":"HS256","typ":"JWT"}.
const HS256_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjb21pY191cmwiOiJodHRwOi8veGtjZC5jb20vMTM2MC8ifQ.BsjBt9a9imoj9P5_7aIAe5nuhPd5jb8HGvAJKPCwm6A';
// Header {"alg":"RS256","typ":"JWT"}, payload {"username":"Jane Doe","email":"jane@example.com"}.
const RS256_TOKEN =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VybmFtZSI6IkphbmUgRG9lIiwiZW1haWwiOiJqYW5lQGV4YW1wbGUuY29tIn0.c2lnbmF0dXJl';
const MD5_CHECKSUM = 'e584526251c396fc937e27561c9597c8';
const SHA1_CHECKSUM = '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12';
/**
 * Values a field can hold at run time that the form would not accept as typed: a GTM variable can
 * return any type and any text, and GTM's validators only see what a person types. The build checks
 * literal test data against the form, so these run-time values are named here.
 */
const atRunTime = {
  number: 1234,
  three: 3,
  one: 1,
  trueValue: true,
  falseValue: false,
  emptyText: '',
  blankText: '  ',
  address: { city: 'Helsinki', zip: '00100' },
  tags: ['a', 'b'],
  unknownType: 'integer',
  unknownSigning: 'sha256',
  unknownAction: 'clear',
  notAToken: 'not-a-token',
  notATimestamp: 'tomorrow',
  notAUuid: '12345',
  noRows: [],
  objectVariable: { username: 'From object', email: 'jane@example.com', missing: null },
  signedObjectVariable: { username: 'Jane', _checksum: MD5_CHECKSUM, _exp: 1767225600 },
};

setup(() => {
  mock('createArgumentsQueue', (fnKey: string, arrayKey: string) => {
    if (fnKey !== '_giosg' || arrayKey !== '_giosg._e') fail('unexpected queue ' + fnKey + ', ' + arrayKey);
    return function () {
      const args: unknown[] = [];
      for (let i = 0; i < arguments.length; i++) args.push(arguments[i]);
      giosgCalls.push(args);
    };
  });
  mock('setInWindow', () => true);
  mock('injectScript', (url: string, onSuccess: () => void) => onSuccess());
});

// ---- Submitting plain variables --------------------------------------------------------------

scenario('submits the table as plain variables with the queue giosg uses', () => {
  runCode({ action: 'submit', properties: [{ key: 'username', value: 'John Doe', type: 'auto' }] });
  assertApi('createArgumentsQueue').wasCalledWith('_giosg', '_giosg._e');
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John Doe' }, 'plain', false]]);
  assertApi('gtmOnSuccess').wasCalled();
  assertApi('gtmOnFailure').wasNotCalled();
  assertApi('logToConsole').wasNotCalled();
});

scenario('defaults to submit and plain when action and signing are not set', () => {
  runCode({ properties: [{ key: 'email', value: 'jane@example.com', type: 'auto' }] });
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { email: 'jane@example.com' }, 'plain', false]]);
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('auto keeps the types a GTM variable returns and trims keys', () => {
  runCode({
    properties: [
      { key: ' customerNumber ', value: atRunTime.number, type: 'auto' },
      { key: 'loggedIn', value: atRunTime.trueValue, type: 'auto' },
      { key: 'age', value: '29', type: 'auto' },
    ],
  });
  assertThat(giosgCalls[0][2]).isEqualTo({ customerNumber: 1234, loggedIn: true, age: '29' });
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('string type turns numbers and booleans into text', () => {
  runCode({
    properties: [
      { key: 'customerNumber', value: atRunTime.number, type: 'string' },
      { key: 'vip', value: atRunTime.falseValue, type: 'string' },
    ],
  });
  assertThat(giosgCalls[0][2]).isEqualTo({ customerNumber: '1234', vip: 'false' });
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('number type parses numbers typed as text', () => {
  runCode({
    properties: [
      { key: 'age', value: ' 29 ', type: 'number' },
      { key: 'score', value: '-4.5', type: 'number' },
      { key: 'orders', value: atRunTime.three, type: 'number' },
    ],
  });
  assertThat(giosgCalls[0][2]).isEqualTo({ age: 29, score: -4.5, orders: 3 });
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('number type: a value that does not parse is left out, the rest is sent, the tag fails', () => {
  runCode({
    properties: [
      { key: 'username', value: 'John', type: 'auto' },
      { key: 'age', value: 'twenty', type: 'number' },
      { key: 'orders', value: '', type: 'number' },
    ],
  });
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnFailure').wasCalled();
  assertApi('gtmOnSuccess').wasNotCalled();
});

scenario('the console message names the row, the key, the value and the fix', () => {
  runCode({ properties: [{ key: 'age', value: 'twenty', type: 'number' }] });
  assertApi('logToConsole').wasCalledWith(
    'giosg Visitor Variables: Visitor variables row 1 ("age"): the value "twenty" is not a number (write it like 29 or 4.5); it was left out.',
  );
  assertApi('logToConsole').wasCalledWith(
    'giosg Visitor Variables: There are no visitor variables to send. Add rows to the table or pick an object variable.',
  );
  assertApi('gtmOnFailure').wasCalled();
});

scenario('boolean type accepts true/false, yes/no and 1/0 in any case', () => {
  runCode({
    properties: [
      { key: 'a', value: 'TRUE', type: 'boolean' },
      { key: 'b', value: 'no', type: 'boolean' },
      { key: 'c', value: 'Yes', type: 'boolean' },
      { key: 'd', value: '0', type: 'boolean' },
      { key: 'e', value: atRunTime.one, type: 'boolean' },
      { key: 'f', value: atRunTime.falseValue, type: 'boolean' },
    ],
  });
  assertThat(giosgCalls[0][2]).isEqualTo({ a: true, b: false, c: true, d: false, e: true, f: false });
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('boolean type: a value that is not yes/no is left out and the tag fails', () => {
  runCode({
    properties: [
      { key: 'vip', value: 'maybe', type: 'boolean' },
      { key: 'email', value: 'jane@example.com', type: 'auto' },
    ],
  });
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { email: 'jane@example.com' }, 'plain', false]]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnFailure').wasCalled();
});

scenario('objects and arrays are sent as JSON text', () => {
  runCode({
    properties: [
      { key: 'address', value: atRunTime.address, type: 'auto' },
      { key: 'tags', value: atRunTime.tags, type: 'string' },
    ],
  });
  assertThat(giosgCalls[0][2]).isEqualTo({ address: '{"city":"Helsinki","zip":"00100"}', tags: '["a","b"]' });
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('undefined and null values are left out without failing', () => {
  runCode({
    properties: [
      { key: 'username', value: 'John', type: 'auto' },
      { key: 'email', value: undefined, type: 'auto' },
      { key: 'phone', value: null, type: 'number' },
    ],
  });
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
  assertApi('gtmOnSuccess').wasCalled();
  assertApi('logToConsole').wasNotCalled();
});

scenario('an empty key is reported and the other rows are still sent', () => {
  runCode({
    properties: [
      { key: atRunTime.blankText, value: 'lost', type: 'auto' },
      { key: 'username', value: 'John', type: 'auto' },
    ],
  });
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnFailure').wasCalled();
});

scenario('a duplicate key keeps the first row and fails the tag', () => {
  runCode({
    properties: [
      { key: 'username', value: 'First', type: 'auto' },
      { key: 'username', value: 'Second', type: 'auto' },
    ],
  });
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'First' }, 'plain', false]]);
  assertApi('gtmOnFailure').wasCalled();
});

scenario('an unknown row type is reported and the row left out', () => {
  runCode({
    properties: [
      { key: 'age', value: '29', type: atRunTime.unknownType },
      { key: 'username', value: 'John', type: 'auto' },
    ],
  });
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
  assertApi('gtmOnFailure').wasCalled();
});

scenario('the object variable is merged first and table rows win on the same key', () => {
  runCode({
    propertiesObject: atRunTime.objectVariable,
    properties: [{ key: 'username', value: 'From table', type: 'auto' }],
  });
  assertThat(giosgCalls).isEqualTo([
    ['visitor', 'submit', { username: 'From table', email: 'jane@example.com' }, 'plain', false],
  ]);
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('the object variable may be JSON text of an object', () => {
  runCode({ propertiesObject: '{"username": "Jane", "age": 29}' });
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'Jane', age: 29 }, 'plain', false]]);
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('an object variable that is not an object is reported; table rows are still sent', () => {
  runCode({ propertiesObject: 'not json', properties: [{ key: 'username', value: 'John', type: 'auto' }] });
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnFailure').wasCalled();
});

scenario('nothing to send: no call, the tag fails', () => {
  runCode({ action: 'submit', properties: [], propertiesObject: undefined });
  assertThat(giosgCalls).isEqualTo([]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnFailure').wasCalled();
  assertApi('gtmOnSuccess').wasNotCalled();
});

scenario('replace existing passes true', () => {
  runCode({ properties: [{ key: 'username', value: 'John', type: 'auto' }], replaceExisting: true });
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', true]]);
  assertApi('gtmOnSuccess').wasCalled();
});

// ---- Rooms ---------------------------------------------------------------------------------------

scenario('rooms by ID and by name become the sixth argument', () => {
  runCode({
    properties: [{ key: 'username', value: 'John', type: 'auto' }],
    rooms: [
      { by: 'id', room: 'spgxcgwpj3qkmfvrxqaafh5wd63js3ir5g3omascvqiqacqm' },
      { by: 'name', room: 'Sales' },
    ],
  });
  assertThat(giosgCalls).isEqualTo([
    [
      'visitor',
      'submit',
      { username: 'John' },
      'plain',
      false,
      [{ id: 'spgxcgwpj3qkmfvrxqaafh5wd63js3ir5g3omascvqiqacqm' }, { name: 'Sales' }],
    ],
  ]);
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('without rooms the room argument is left out (five arguments)', () => {
  runCode({ properties: [{ key: 'username', value: 'John', type: 'auto' }], rooms: [] });
  assertThat(giosgCalls[0]).hasLength(5);
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('an empty room row is reported; the valid rooms are still used', () => {
  runCode({
    properties: [{ key: 'username', value: 'John', type: 'auto' }],
    rooms: [
      { by: 'name', room: atRunTime.emptyText },
      { by: 'name', room: 'Support' },
    ],
  });
  assertThat(giosgCalls).isEqualTo([
    ['visitor', 'submit', { username: 'John' }, 'plain', false, [{ name: 'Support' }]],
  ]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnFailure').wasCalled();
});

// ---- Signing -------------------------------------------------------------------------------------

scenario('JWT: the token is sent with its algorithm; the table does not apply', () => {
  runCode({
    signing: 'HS256',
    token: HS256_TOKEN,
    properties: [{ key: 'ignored', value: 'x', type: 'auto' }],
  });
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', HS256_TOKEN, 'HS256', false]]);
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('JWT: replace existing and rooms are passed after the algorithm', () => {
  runCode({
    signing: 'RS256',
    token: ' ' + RS256_TOKEN + ' ',
    replaceExisting: true,
    rooms: [{ by: 'id', room: 'r1' }],
  });
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', RS256_TOKEN, 'RS256', true, [{ id: 'r1' }]]]);
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('JWT: a token that is not a JWT is not sent and the tag fails', () => {
  runCode({ signing: 'HS256', token: atRunTime.notAToken });
  assertThat(giosgCalls).isEqualTo([]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnFailure').wasCalled();
});

scenario('JWT: a header algorithm different from the one chosen is not sent', () => {
  runCode({ signing: 'HS512', token: HS256_TOKEN });
  assertThat(giosgCalls).isEqualTo([]);
  assertApi('gtmOnFailure').wasCalled();
});

scenario('JWT: a header that is not base64url JSON is not sent', () => {
  runCode({ signing: 'HS256', token: 'bm90IGpzb24.eyJ1c2VybmFtZSI6IkphbmUifQ.c2ln' });
  assertThat(giosgCalls).isEqualTo([]);
  assertApi('gtmOnFailure').wasCalled();
});

scenario('JWT: a missing token is reported', () => {
  runCode({ signing: 'RS512' });
  assertThat(giosgCalls).isEqualTo([]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnFailure').wasCalled();
});

scenario('md5: the checksum and expiry are added as _checksum and _exp', () => {
  runCode({
    signing: 'md5',
    properties: [
      { key: 'username', value: 'Django signed', type: 'auto' },
      { key: 'email', value: 'django@giosg.com', type: 'auto' },
    ],
    checksum: MD5_CHECKSUM,
    checksumExpiry: '1371720939',
    replaceExisting: true,
  });
  assertThat(giosgCalls).isEqualTo([
    [
      'visitor',
      'submit',
      { username: 'Django signed', email: 'django@giosg.com', _checksum: MD5_CHECKSUM, _exp: '1371720939' },
      'md5',
      true,
    ],
  ]);
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('sha1 without an expiry sends only _checksum', () => {
  runCode({
    signing: 'sha1',
    properties: [{ key: 'username', value: 'Jane', type: 'auto' }],
    checksum: SHA1_CHECKSUM,
  });
  assertThat(giosgCalls).isEqualTo([
    ['visitor', 'submit', { username: 'Jane', _checksum: SHA1_CHECKSUM }, 'sha1', false],
  ]);
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('md5: _checksum and _exp can come from the object variable', () => {
  runCode({
    signing: 'md5',
    propertiesObject: atRunTime.signedObjectVariable,
  });
  assertThat(giosgCalls).isEqualTo([
    ['visitor', 'submit', { username: 'Jane', _checksum: MD5_CHECKSUM, _exp: 1767225600 }, 'md5', false],
  ]);
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('md5: a missing checksum is reported and nothing is sent', () => {
  runCode({ signing: 'md5', properties: [{ key: 'username', value: 'Jane', type: 'auto' }] });
  assertThat(giosgCalls).isEqualTo([]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnFailure').wasCalled();
});

scenario('sha1: a checksum of md5 length is reported and nothing is sent', () => {
  runCode({
    signing: 'sha1',
    properties: [{ key: 'username', value: 'Jane', type: 'auto' }],
    checksum: MD5_CHECKSUM,
  });
  assertThat(giosgCalls).isEqualTo([]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnFailure').wasCalled();
});

scenario('md5: an expiry that is not a Unix timestamp is reported and nothing is sent', () => {
  runCode({
    signing: 'md5',
    properties: [{ key: 'username', value: 'Jane', type: 'auto' }],
    checksum: MD5_CHECKSUM,
    checksumExpiry: atRunTime.notATimestamp,
  });
  assertThat(giosgCalls).isEqualTo([]);
  assertApi('gtmOnFailure').wasCalled();
});

scenario('an unknown signing value is reported and nothing is sent', () => {
  runCode({
    signing: atRunTime.unknownSigning,
    properties: [{ key: 'username', value: 'Jane', type: 'auto' }],
  });
  assertThat(giosgCalls).isEqualTo([]);
  assertApi('gtmOnFailure').wasCalled();
});

// ---- Removing ------------------------------------------------------------------------------------

scenario('remove: one call per key', () => {
  runCode({ action: 'remove', removeKeys: [{ key: 'email' }, { key: ' phone ' }] });
  assertThat(giosgCalls).isEqualTo([
    ['visitor', 'remove', 'email'],
    ['visitor', 'remove', 'phone'],
  ]);
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('remove: empty and duplicate keys are reported; the others are removed', () => {
  runCode({
    action: 'remove',
    removeKeys: [{ key: 'email' }, { key: atRunTime.emptyText }, { key: 'email' }],
  });
  assertThat(giosgCalls).isEqualTo([['visitor', 'remove', 'email']]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnFailure').wasCalled();
});

scenario('remove: no keys at all is reported', () => {
  runCode({ action: 'remove', removeKeys: atRunTime.noRows });
  assertThat(giosgCalls).isEqualTo([]);
  assertApi('gtmOnFailure').wasCalled();
});

scenario('removeAll: one call with two arguments', () => {
  runCode({ action: 'removeAll', properties: [{ key: 'username', value: 'ignored', type: 'auto' }] });
  assertThat(giosgCalls).isEqualTo([['visitor', 'removeAll']]);
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('an unknown action is reported and nothing is sent', () => {
  runCode({ action: atRunTime.unknownAction });
  assertThat(giosgCalls).isEqualTo([]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnFailure').wasCalled();
});

// ---- Loading the giosg client ----------------------------------------------------------------------

scenario('loadClient: sets _c and _h, injects script v2 once, succeeds when it loads', () => {
  runCode({
    properties: [{ key: 'username', value: 'John', type: 'auto' }],
    loadClient: true,
    organizationId: ORGANIZATION_ID,
  });
  assertApi('setInWindow').wasCalledWith('_giosg._c', ORGANIZATION_ID, true);
  assertApi('setInWindow').wasCalledWith('_giosg._h', 'https://service.giosg.com', true);
  assertApi('injectScript').wasCalled();
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
  assertApi('gtmOnSuccess').wasCalled();
  assertApi('gtmOnFailure').wasNotCalled();
});

scenario('loadClient: the script URL and cache token are the live2 URL of the organization', () => {
  let injectedUrl: unknown;
  let cacheToken: unknown;
  mock('injectScript', (url: string, onSuccess: () => void, onFailure: () => void, token: string) => {
    injectedUrl = url;
    cacheToken = token;
    onSuccess();
  });
  runCode({ action: 'removeAll', loadClient: true, organizationId: ' ' + ORGANIZATION_ID + ' ' });
  assertThat(injectedUrl).isEqualTo(CLIENT_URL);
  assertThat(cacheToken).isEqualTo(CLIENT_URL);
  assertApi('gtmOnSuccess').wasCalled();
});

scenario('loadClient: the tag fails when the script does not load', () => {
  mock('injectScript', (url: string, onSuccess: () => void, onFailure: () => void) => onFailure());
  runCode({ action: 'removeAll', loadClient: true, organizationId: ORGANIZATION_ID });
  assertThat(giosgCalls).isEqualTo([['visitor', 'removeAll']]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnFailure').wasCalled();
  assertApi('gtmOnSuccess').wasNotCalled();
});

scenario('loadClient: an invalid organization ID loads nothing but still queues the calls', () => {
  runCode({ action: 'removeAll', loadClient: true, organizationId: atRunTime.notAUuid });
  assertApi('injectScript').wasNotCalled();
  assertApi('setInWindow').wasNotCalled();
  assertThat(giosgCalls).isEqualTo([['visitor', 'removeAll']]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnFailure').wasCalled();
});

scenario('loadClient: bad rows fail the tag after the script has loaded', () => {
  runCode({
    properties: [
      { key: 'age', value: 'old', type: 'number' },
      { key: 'username', value: 'John', type: 'auto' },
    ],
    loadClient: true,
    organizationId: ORGANIZATION_ID,
  });
  assertApi('injectScript').wasCalled();
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
  assertApi('gtmOnFailure').wasCalled();
  assertApi('gtmOnSuccess').wasNotCalled();
});

scenario('loadClient: on a page whose giosg tag set _giosg._c, giosg is not loaded a second time', () => {
  mock('copyFromWindow', (key: string) => (key === '_giosg._c' ? ORGANIZATION_ID : undefined));
  runCode({
    properties: [{ key: 'username', value: 'John', type: 'auto' }],
    loadClient: true,
    organizationId: ORGANIZATION_ID,
  });
  assertApi('copyFromWindow').wasCalledWith('_giosg._c');
  assertApi('injectScript').wasNotCalled();
  assertApi('setInWindow').wasNotCalled();
  // The calls go to the snippet's queue, which giosg's own client drains.
  assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
  assertApi('logToConsole').wasCalled();
  assertApi('gtmOnSuccess').wasCalled();
  assertApi('gtmOnFailure').wasNotCalled();
});

scenario('loadClient: later firings of this tag wait on the script it injected, not on the site', () => {
  // The page as this tag leaves it: setInWindow writes _giosg._c, copyFromWindow reads it back.
  let organizationOnPage: unknown;
  mock('setInWindow', (key: string, value: unknown) => {
    if (key === '_giosg._c') organizationOnPage = value;
    return true;
  });
  mock('copyFromWindow', (key: string) => (key === '_giosg._c' ? organizationOnPage : undefined));
  let injections = 0;
  mock('injectScript', (url: string, onSuccess: () => void) => {
    injections++;
    onSuccess();
  });
  const load = { action: 'removeAll', loadClient: true, organizationId: ORGANIZATION_ID };
  runCode(load);
  runCode(load);
  // GTM injects the script once per cache token; each firing still reports on the load.
  assertThat(injections).isEqualTo(2);
  assertThat(organizationOnPage).isEqualTo(ORGANIZATION_ID);
  assertApi('logToConsole').wasNotCalled();
});

scenario('without loadClient nothing is injected and nothing is set on the page', () => {
  runCode({
    properties: [{ key: 'username', value: 'John', type: 'auto' }],
    loadClient: false,
    organizationId: ORGANIZATION_ID,
  });
  assertApi('injectScript').wasNotCalled();
  assertApi('setInWindow').wasNotCalled();
  assertApi('gtmOnSuccess').wasCalled();
});
