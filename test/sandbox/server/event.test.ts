// Event data, runContainer, addEventCallback, templateDataStorage and messages.
import { describe, expect, test } from 'vitest';
import { SandboxPage } from '../../../src/sandbox/index.js';
import { ALL_EVENT_DATA, perm, RETURN, runServer, serverTemplate } from './helpers.js';

const eventData = {
  event_name: 'purchase',
  value: 10,
  items: [{ id: 'a', price: 2 }],
  user_data: { email: 'x@y' },
};

describe('event data', () => {
  test('getEventData reads key paths (array indexes too); getAllEventData is a copy', () => {
    const r = runServer(
      `const get = require('getEventData');
       const all = require('getAllEventData')();
       all.value = 99;
       return [get('event_name'), get('items.0.price'), get('user_data.email'), get('missing.key'), require('getEventData')('value')];`,
      [ALL_EVENT_DATA],
      { eventData },
    );
    expect(r.returnValue).toEqual(['purchase', 2, 'x@y', undefined, 10]);
  });

  test('getEventData returns a copy and coerces a key path that is not a string', () => {
    const r = runServer(
      `const get = require('getEventData');
       const o = get('user_data');
       o.email = 'changed';
       return [get('user_data.email'), get(1), get(null)];`,
      [ALL_EVENT_DATA],
      { eventData: { user_data: { email: 'x@y' }, '1': 'one', null: 'N' } },
    );
    expect(r.returnValue).toEqual(['x@y', 'one', 'N']);
  });

  test('read_event_data with key patterns: listed keys and what is below them', () => {
    const specific = perm('read_event_data', {
      eventDataAccess: 'specific',
      keyPatterns: ['event_name', 'user_data'],
    });
    expect(
      runServer("return require('getEventData')('user_data.email');", [specific], { eventData }).returnValue,
    ).toBe('x@y');
    const denied = runServer("return require('getEventData')('value');", [specific], { eventData });
    expect(denied.error).toMatch(
      /getEventData: permission denied: 'read_event_data' denies it: the event data key 'value' is not listed/,
    );
    expect(runServer("require('getAllEventData')();", [specific], { eventData }).error).toMatch(
      /reading all event data needs "Event data access: any"/,
    );
  });
});

describe('runContainer', () => {
  const perms = [RETURN, perm('run_container'), perm('read_event_metadata'), ALL_EVENT_DATA];
  test("a client must claim the request first (GTM's message)", () => {
    const r = runServer("require('runContainer')({ event_name: 'x' }, () => {});", perms, {}, 'CLIENT');
    expect(r.error).toMatch(/Request must be claimed before calling runContainer/);
  });

  test('onStart, then the tags, then onComplete; bound event callbacks see the tags', () => {
    const r = runServer(
      `const log = require('logToConsole');
       require('claimRequest')();
       require('runContainer')({ event_name: 'page_view', page: 1 }, (bind) => {
         log('complete');
         require('returnResponse')();
       }, (bind) => {
         log('start', require('getEventData')('page'));
         bind(require('addEventCallback'))((containerId, data) => log('callback', containerId, data.tags.length));
       });
       log('sync');`,
      [...perms, perm('logging', { environments: 'all' })],
      {
        tags: [
          { name: 'GA4', eventNames: ['page_view'] },
          { name: 'Other', eventNames: ['purchase'] },
        ],
      },
      'CLIENT',
    );
    expect(r.error).toBeUndefined();
    expect(r.logs).toEqual([['start', 1], ['sync'], ['complete'], ['callback', 'GTM-XXXXXXX', 1]]);
    expect(r.server.containerEvents).toEqual([{ event_name: 'page_view', page: 1 }]);
    expect(r.server.response.returned).toBe(1);
  });

  test("a callback bound to one event is called with that event's tags, not another's", () => {
    const r = runServer(
      `const log = require('logToConsole');
       const runContainer = require('runContainer');
       const addEventCallback = require('addEventCallback');
       require('claimRequest')();
       ['page_view', 'purchase'].forEach((name) => {
         runContainer({ event_name: name }, () => log('complete', name), (bind) => {
           bind(addEventCallback)((containerId, data) => log('callback', name, data.tags.map((t) => t.name).join()));
         });
       });`,
      [...perms, perm('logging', { environments: 'all' })],
      {
        tags: [
          { name: 'GA4', eventNames: ['page_view'] },
          { name: 'Ads', eventNames: ['purchase'] },
        ],
      },
      'CLIENT',
    );
    expect(r.error).toBeUndefined();
    expect(r.logs).toEqual([
      ['complete', 'page_view'],
      ['callback', 'page_view', 'GA4'],
      ['complete', 'purchase'],
      ['callback', 'purchase', 'Ads'],
    ]);
  });
});

describe('templateDataStorage', () => {
  const storage = perm('access_template_storage');
  test('copies in and out, outliving a firing on the same server; writes are recorded', () => {
    const t = serverTemplate(
      `const s = require('templateDataStorage');
       const before = s.getItemCopy('k');
       const v = { n: (before ? before.n : 0) + 1 };
       s.setItemCopy('k', v);
       v.n = 100;
       return s.getItemCopy('k').n;`,
      [storage],
    );
    const page = new SandboxPage({ server: { templateDataStorage: { k: { n: 5 } } } });
    expect(page.run(t).returnValue).toBe(6);
    const second = page.run(t);
    expect(second.returnValue).toBe(7);
    expect(second.server.storageWrites).toEqual([{ op: 'setItemCopy', key: 'k', value: { n: 7 } }]);
  });

  test('a key nothing is stored under reads null, and storing null removes the key', () => {
    const r = runServer(
      `const s = require('templateDataStorage');
       const missing = s.getItemCopy('k');
       s.setItemCopy('k', 1);
       s.setItemCopy('k', null);
       return [missing, s.getItemCopy('k')];`,
      [storage],
    );
    expect(r.returnValue).toEqual([null, null]);
  });

  test('needs access_template_storage: GTM adds it for a require it detects, not for a computed one', () => {
    expect(runServer("return require('templateDataStorage').getItemCopy('k');").error).toBeUndefined();
    expect(runServer("require(['templateData', 'Storage'].join('')).getItemCopy('k');").error).toMatch(
      /templateDataStorage.getItemCopy: permission denied: the template does not declare the 'access_template_storage'/,
    );
  });
});

describe('messages', () => {
  test('a listener hears messages of its type; use_message names type and action', () => {
    const both = perm('use_message', {
      allowedActions: 'specific',
      messageTypes: [{ type: 'done', action: 'listen_and_send' }],
    });
    const r = runServer(
      `let heard;
       require('addMessageListener')('done', (type, message) => { heard = [type, message.n]; });
       require('sendMessage')('done', { n: 1 });
       return [require('hasMessageListener')('done'), heard];`,
      [both],
    );
    expect(r.returnValue).toEqual([true, ['done', 1]]);
    expect(r.server.messagesSent).toEqual([{ type: 'done', message: { n: 1 } }]);
    const listenOnly = perm('use_message', {
      allowedActions: 'specific',
      messageTypes: [{ type: 'done', action: 'listen' }],
    });
    const ignored = runServer(
      `let heard = 0;
       require('addMessageListener')('done', () => { heard++; });
       require('sendMessage')('done', 'not an object');
       require('sendMessage')('done');
       return heard;`,
      [both],
    );
    expect(ignored.returnValue).toBe(0);
    expect(ignored.server.messagesSent).toEqual([]);
    expect(runServer("require('sendMessage')('done', {});", [listenOnly]).error).toMatch(
      /'use_message' denies it: the message type 'done' is not listed for send/,
    );
  });
});

describe('getContainerVersion', () => {
  test("the world's container, with read_container_data", () => {
    const r = runServer("return require('getContainerVersion')().containerId;", [
      perm('read_container_data'),
    ]);
    expect(r.returnValue).toBe('GTM-XXXXXXX');
    // Undeclared and not detectable (a computed require): GTM cannot add it.
    expect(runServer("require(['getContainer', 'Version'].join(''))();").error).toMatch(
      /'read_container_data'/,
    );
  });
});
