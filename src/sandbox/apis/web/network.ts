// APIs that load things into the page: scripts, pixels, hidden iframes. Loads are asynchronous:
// callbacks run after the current code returns; the page host does the loading and says whether
// each load succeeded (a simulated page as the world tells it, a real page from the element's load
// and error events). A URL without a scheme loads resolved against the page, as an element's does.

import type { ApiDefinition } from '../types.js';
import { resolveOnPage } from '../../../gtm/url-pattern.js';
import { later } from '../pure/index.js';

export const NETWORK_APIS: Record<string, ApiDefinition> = {
  injectScript: {
    check: (ctx, [url]) => ctx.demand('injectScript', 'inject_script', url),
    call: (ctx, [url, onSuccess, onFailure, cacheToken]) => {
      const href = resolveOnPage(String(url), ctx.page.url);
      const token = cacheToken === undefined || cacheToken === null ? undefined : String(cacheToken);
      if (token !== undefined) {
        const cached = ctx.page.scriptCache.get(token);
        if (cached) {
          // One script element per cacheToken: later callers wait for the first load, or after it
          // loaded, only get their onSuccess. A failed load is forgotten (gtm.js sets the token's
          // entry to null), so the next call with that token injects the script again.
          if (cached.state === 'loading') cached.waiters.push([onSuccess, onFailure]);
          else later(ctx, onSuccess);
          return undefined;
        }
      }
      ctx.record.injectedScripts.push(token === undefined ? { url: href } : { url: href, cacheToken: token });
      const entry = {
        state: 'loading' as 'loading' | 'loaded' | 'failed',
        waiters: [[onSuccess, onFailure]] as [unknown, unknown][],
      };
      if (token !== undefined) ctx.page.scriptCache.set(token, entry);
      ctx.loadOnPage('script', href, (ok) => {
        entry.state = ok ? 'loaded' : 'failed';
        if (!ok && token !== undefined && ctx.page.scriptCache.get(token) === entry)
          ctx.page.scriptCache.delete(token);
        // Without a cacheToken the element's load or error event calls back itself; with one,
        // gtm.js defers every waiter's callback with setTimeout(…, 0), as it does for later callers.
        const waiters = entry.waiters.splice(0);
        for (const [success, failure] of waiters) {
          if (token === undefined) ctx.callSandbox(ok ? success : failure);
          else later(ctx, ok ? success : failure);
        }
      });
      return undefined;
    },
  },
  sendPixel: {
    check: (ctx, [url]) => ctx.demand('sendPixel', 'send_pixel', url),
    call: (ctx, [url, onSuccess, onFailure]) => {
      const href = resolveOnPage(String(url), ctx.page.url);
      ctx.record.pixels.push(href);
      ctx.loadOnPage('pixel', href, (ok) => ctx.callSandbox(ok ? onSuccess : onFailure));
      return undefined;
    },
  },
  injectHiddenIframe: {
    check: (ctx, [url]) => ctx.demand('injectHiddenIframe', 'inject_hidden_iframe', url),
    call: (ctx, [url, onSuccess]) => {
      const href = resolveOnPage(String(url), ctx.page.url);
      ctx.record.iframes.push(href);
      ctx.loadOnPage('iframe', href, (ok) => (ok ? ctx.callSandbox(onSuccess) : undefined));
      return undefined;
    },
  },
};
