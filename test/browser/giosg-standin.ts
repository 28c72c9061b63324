// A STAND-IN for giosg's client script, NOT giosg's code (which is not public). Written only from
// giosg's documented behaviour (../shared/docs/giosg-api.md §1 and §3): the v2 snippet leaves
// `_giosg` as a stub whose calls wait in `_giosg._e`, with `_giosg._c` (organization) and `_giosg._h`
// (host); once loaded, the client runs the waiting calls in order, and `_giosg(...)` then works at
// once: `_giosg('visitor', 'submit', …)` is `giosg.api.visitor.submit(…)`, and `_giosg(fn)` calls `fn`
// when the client is loaded. This stand-in does exactly that and records every API call with its
// exact arguments in `window.__giosgStandIn`, so tests can see what reached "giosg".

/** What the stand-in records, as read back from the page. */
export interface StandInLog {
  /** How many times the client script ran on the page (giosg loaded twice would be 2). */
  loads: number;
  /** `_giosg._c` and `_giosg._h` as the client found them when it loaded. */
  organization: unknown;
  host: unknown;
  /** Every API call, in order: `visitor.submit` etc. and the exact arguments (their count too). */
  calls: { api: string; args: unknown[] }[];
  /** Functions passed as `_giosg(fn)`, counted when called. */
  readyCallbacks: number;
}

/** The stand-in's JavaScript, as served for https://service.giosg.com/live2/<organization ID>. */
export const GIOSG_STAND_IN = String.raw`
/* Stand-in for the giosg client, written from giosg's documented behaviour for tests. Not giosg's code. */
(function (w) {
  var log = w.__giosgStandIn || (w.__giosgStandIn = { loads: 0, calls: [], readyCallbacks: 0 });
  log.loads++;
  var stub = w._giosg;
  log.organization = stub && stub._c;
  log.host = stub && stub._h;
  var queued = (stub && stub._e) || [];

  function method(module, name) {
    return function () {
      var args = [];
      for (var i = 0; i < arguments.length; i++) args.push(arguments[i]);
      log.calls.push({ api: module + '.' + name, args: args });
      // giosg documents a jQuery promise; a resolved Promise is what callers can rely on here.
      return Promise.resolve();
    };
  }
  var api = {
    visitor: { submit: method('visitor', 'submit'), remove: method('visitor', 'remove'), removeAll: method('visitor', 'removeAll') },
    room: { join: method('room', 'join'), leave: method('room', 'leave') },
    chat: { close: method('chat', 'close'), hide: method('chat', 'hide') },
  };
  w.giosg = { api: api, companyId: log.organization };

  function dispatch(first) {
    if (typeof first === 'function') {
      log.readyCallbacks++;
      first();
      return;
    }
    var module = api[first];
    var fn = module && module[arguments[1]];
    var rest = [];
    for (var i = 2; i < arguments.length; i++) rest.push(arguments[i]);
    if (typeof fn !== 'function') {
      log.calls.push({ api: 'unknown:' + String(first) + '.' + String(arguments[1]), args: rest });
      return;
    }
    return fn.apply(module, rest);
  }
  dispatch._c = log.organization;
  dispatch._h = log.host;
  w._giosg = dispatch;
  for (var i = 0; i < queued.length; i++) dispatch.apply(null, queued[i]);
})(window);
`;
