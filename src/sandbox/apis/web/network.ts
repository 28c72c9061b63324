// APIs that load things into the page: scripts, pixels, hidden iframes. Loads are
// asynchronous: callbacks run after the current code returns, in the order the loads were asked for;
// the world decides per URL whether each load succeeds.

import type { ApiContext, ApiDefinition } from '../types.js';
import { later } from '../pure/index.js';

function runScript(ctx: ApiContext, url: string): boolean {
  const behaviour = ctx.page.scriptBehaviour(url);
  if (behaviour === 'fail') return false;
  if (typeof behaviour === 'function') behaviour(ctx.page.window);
  return true;
}

export const NETWORK_APIS: Record<string, ApiDefinition> = {
  injectScript: {
    check: (ctx, [url]) => ctx.demand('injectScript', 'inject_script', url),
    call: (ctx, [url, onSuccess, onFailure, cacheToken]) => {
      const href = String(url);
      const token = cacheToken === undefined || cacheToken === null ? undefined : String(cacheToken);
      if (token !== undefined) {
        const cached = ctx.page.scriptCache.get(token);
        if (cached) {
          // One script element per cacheToken: later callers wait for (or reuse) the first load.
          if (cached.state === 'loading') cached.waiters.push([onSuccess, onFailure]);
          else later(ctx, cached.state === 'loaded' ? onSuccess : onFailure);
          return undefined;
        }
      }
      ctx.record.injectedScripts.push(token === undefined ? { url: href } : { url: href, cacheToken: token });
      const entry = {
        state: 'loading' as 'loading' | 'loaded' | 'failed',
        waiters: [[onSuccess, onFailure]] as [unknown, unknown][],
      };
      if (token !== undefined) ctx.page.scriptCache.set(token, entry);
      ctx.schedule(() => {
        const ok = runScript(ctx, href);
        entry.state = ok ? 'loaded' : 'failed';
        const waiters = entry.waiters.splice(0);
        for (const [success, failure] of waiters) ctx.callSandbox(ok ? success : failure);
      });
      return undefined;
    },
  },
  sendPixel: {
    check: (ctx, [url]) => ctx.demand('sendPixel', 'send_pixel', url),
    call: (ctx, [url, onSuccess, onFailure]) => {
      const href = String(url);
      ctx.record.pixels.push(href);
      later(ctx, ctx.page.pixelBehaviour(href) === 'load' ? onSuccess : onFailure);
      return undefined;
    },
  },
  injectHiddenIframe: {
    check: (ctx, [url]) => ctx.demand('injectHiddenIframe', 'inject_hidden_iframe', url),
    call: (ctx, [url, onSuccess]) => {
      const href = String(url);
      ctx.record.iframes.push(href);
      if (ctx.page.pixelBehaviour(href) === 'load') later(ctx, onSuccess);
      return undefined;
    },
  },
};
