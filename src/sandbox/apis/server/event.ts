// Event data and the container: getEventData/getAllEventData (`read_event_data`), runContainer
// (`run_container`), addEventCallback, getContainerVersion, templateDataStorage and the messages
// tags of one event send each other (`use_message`).

import { SandboxError } from '../../realm.js';
import { snapshot } from '../../values.js';
import type { ApiContext, ApiDefinition } from '../types.js';
import { later } from '../pure/index.js';

/** A value at a dot-separated key path (`items.0.price`), or undefined. */
export function keyPathValue(root: unknown, keyPath: string): unknown {
  let node: unknown = root;
  for (const part of keyPath.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** A detached copy: what the template gets can never change the world's data, and the reverse. */
function copy(ctx: ApiContext, value: unknown): unknown {
  return ctx.bridge.toSandbox(snapshot(value));
}

export const EVENT_APIS: Record<string, ApiDefinition> = {
  getAllEventData: {
    check: (ctx) => ctx.demand('getAllEventData', 'read_event_data'),
    call: (ctx) => copy(ctx, ctx.page.server.eventData),
  },
  getEventData: {
    check: (ctx, [keyPath]) => ctx.demand('getEventData', 'read_event_data', String(keyPath)),
    call: (ctx, [keyPath]) => copy(ctx, keyPathValue(ctx.page.server.eventData, String(keyPath))),
  },
  runContainer: {
    check: (ctx) => ctx.demand('runContainer', 'run_container'),
    call: (ctx, [event, onComplete, onStart]) => {
      // The event runs through the container's tags; bindToEvent ties a client's callbacks
      // (addEventCallback, ...) to this event. Here the tags are the world's description.
      if (ctx.template.info?.type === 'CLIENT' && !ctx.record.server.claimed) {
        // GTM's own message (quoted in stape-io/data-client's scenarios).
        throw new SandboxError(
          'sandbox/api-error',
          'runContainer: Request must be claimed before calling runContainer.',
        );
      }
      const eventCopy = snapshot(event);
      ctx.record.server.containerEvents.push(eventCopy);
      // bindToEvent(api) runs `api` in the scope of this event: an addEventCallback made through
      // it belongs to this event and is called with this event's tags, not another event's.
      const boundCallbacks: unknown[] = [];
      const bindToEvent = ctx.realm.wrapHost((fn) =>
        ctx.realm.wrapHost((...args) => {
          const from = ctx.eventCallbacks.length;
          try {
            return ctx.callSandbox(fn, args);
          } finally {
            boundCallbacks.push(...ctx.eventCallbacks.splice(from));
          }
        }),
      );
      const server = ctx.page.server;
      const previous = server.eventData;
      server.eventData = (eventCopy && typeof eventCopy === 'object' ? eventCopy : {}) as Record<
        string,
        unknown
      >;
      ctx.callSandbox(onStart, [bindToEvent]);
      const tags = (server.init.tags ?? []).filter((t) => {
        const name = (eventCopy as { event_name?: unknown } | null)?.event_name;
        return !t.eventNames || t.eventNames.includes(String(name));
      });
      later(ctx, onComplete, [bindToEvent]);
      ctx.schedule(() => {
        server.eventData = previous;
        const eventData = {
          tags: tags.map((t, i) => ({
            id: t.id ?? String(i + 1),
            name: t.name,
            status: t.status ?? 'success',
            executionTime: 0,
            ...(t.metadata ?? {}),
          })),
        };
        for (const cb of [...boundCallbacks.splice(0), ...ctx.eventCallbacks.splice(0)]) {
          ctx.callSandbox(cb, [ctx.page.containerVersion.containerId, ctx.bridge.toSandbox(eventData)]);
        }
      });
      return undefined;
    },
  },
  templateDataStorage: {
    methods: {
      getItemCopy: {
        check: (ctx) => ctx.demand('templateDataStorage.getItemCopy', 'access_template_storage'),
        // A key nothing is stored under reads null (Google's reference).
        call: (ctx, [key]) => {
          const store = ctx.page.server.templateStore(ctx.templateKey);
          return store.has(String(key)) ? copy(ctx, store.get(String(key))) : null;
        },
      },
      setItemCopy: {
        check: (ctx) => ctx.demand('templateDataStorage.setItemCopy', 'access_template_storage'),
        call: (ctx, [key, value]) => {
          const stored = snapshot(value);
          // Storing null removes the key (Google's reference).
          if (stored === null) ctx.page.server.templateStore(ctx.templateKey).delete(String(key));
          else ctx.page.server.templateStore(ctx.templateKey).set(String(key), stored);
          ctx.record.server.storageWrites.push({
            op: 'setItemCopy',
            key: String(key),
            value: snapshot(stored),
          });
          return undefined;
        },
      },
      removeItem: {
        check: (ctx) => ctx.demand('templateDataStorage.removeItem', 'access_template_storage'),
        call: (ctx, [key]) => {
          ctx.page.server.templateStore(ctx.templateKey).delete(String(key));
          ctx.record.server.storageWrites.push({ op: 'removeItem', key: String(key) });
          return undefined;
        },
      },
      clear: {
        check: (ctx) => ctx.demand('templateDataStorage.clear', 'access_template_storage'),
        call: (ctx) => {
          ctx.page.server.templateStore(ctx.templateKey).clear();
          ctx.record.server.storageWrites.push({ op: 'clear' });
          return undefined;
        },
      },
    },
  },
  addMessageListener: {
    check: (ctx, [type]) => ctx.demand('addMessageListener', 'use_message', type, 'listen'),
    call: (ctx, [type, listener]) => {
      ctx.page.server.messageListeners.push({ type: String(type), listener });
      return undefined;
    },
  },
  hasMessageListener: {
    check: (ctx, [type]) => ctx.demand('hasMessageListener', 'use_message', type, 'listen'),
    call: (ctx, [type]) => ctx.page.server.messageListeners.some((l) => l.type === String(type)),
  },
  sendMessage: {
    check: (ctx, [type]) => ctx.demand('sendMessage', 'use_message', type, 'send'),
    call: (ctx, [type, message]) => {
      // A message that is not an object is not sent (Google's reference: "the API will do nothing").
      if (message === null || typeof message !== 'object') return undefined;
      ctx.record.server.messagesSent.push({ type: String(type), message: snapshot(message) });
      for (const l of ctx.page.server.messageListeners) {
        if (l.type === String(type)) ctx.callSandbox(l.listener, [String(type), copy(ctx, message)]);
      }
      return undefined;
    },
  },
};
