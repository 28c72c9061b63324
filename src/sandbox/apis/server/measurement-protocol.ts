// Google Analytics Measurement Protocol requests as events, for `extractEventsFromMpv1`/`Mpv2`.
// Parameter names follow GA's protocols and GTM's common event data keys (`client_id`,
// `page_location`, `x-ga-*`, ...). One event per hit: for MPv2 a request body may carry several
// hits, one per line, each merged over the query string's parameters. A parameter GTM has no name
// for keeps its own under the protocol's prefix (`x-ga-mp2-tt`, `x-ga-mp1-ev`), as the event data
// GTM's own clients produce shows (docs/runtime.md, "Server APIs").

import type { ParsedRequest } from '../../server-world.js';

type Params = [string, string][];

const COMMON_KEYS: Record<string, string> = {
  cid: 'client_id',
  uid: 'user_id',
  dl: 'page_location',
  dr: 'page_referrer',
  dt: 'page_title',
  ul: 'language',
  sr: 'screen_resolution',
  _uip: 'ip_override',
  uip: 'ip_override',
  ua: 'user_agent',
};

function numberOrString(value: string): number | string {
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : value;
}

function baseEvent(req: ParsedRequest, userAgent: string | undefined): Record<string, unknown> {
  const event: Record<string, unknown> = { ip_override: req.remoteAddress };
  if (userAgent !== undefined) event.user_agent = userAgent;
  return event;
}

function hitLines(req: ParsedRequest): Params[] {
  const lines = (req.body ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => [...new URLSearchParams(l)] as Params);
  return lines.length ? lines : [[]];
}

/** MPv2 parameters GTM gives a name of its own: the key and whether the value is a number. */
const MPV2_KEYS: Record<string, [string, boolean]> = {
  tid: ['x-ga-measurement_id', false],
  gtm: ['x-ga-gtm_version', false],
  _p: ['x-ga-page_id', true],
  _s: ['x-ga-request_count', true],
  _et: ['engagement_time_msec', true],
  sid: ['ga_session_id', false],
  sct: ['ga_session_number', true],
  tfd: ['x-ga-tfd', true],
};

/** MPv2 parameters kept under their own name as `x-ga-<name>` (Google's internal parameters). */
const MPV2_GA_PARAMS = new Set([
  'gcs',
  'gcd',
  'gcu',
  'npa',
  'dma',
  'dma_cps',
  'are',
  'pscdl',
  'did',
  'gdid',
  'edid',
  'ecid',
  'em',
]);

export function mpv2Events(req: ParsedRequest, userAgent: string | undefined): Record<string, unknown>[] {
  return hitLines(req).map((hit) => {
    const event = baseEvent(req, userAgent);
    event['x-ga-protocol_version'] = '2';
    const userProperties: Record<string, unknown> = {};
    const systemProperties: Record<string, unknown> = {};
    const sstProperties: Record<string, unknown> = {};
    for (const [key, value] of [...req.query, ...hit]) {
      const named = MPV2_KEYS[key];
      if (key === 'v') continue;
      else if (key === 'en') event.event_name = value;
      else if (named) event[named[0]] = named[1] ? numberOrString(value) : value;
      else if (key.startsWith('ep.')) event[key.slice(3)] = value;
      else if (key.startsWith('epn.')) event[key.slice(4)] = numberOrString(value);
      else if (key.startsWith('up.')) userProperties[key.slice(3)] = value;
      else if (key.startsWith('upn.')) userProperties[key.slice(4)] = numberOrString(value);
      else if (key.startsWith('sst.')) sstProperties[key.slice(4)] = value;
      else if (COMMON_KEYS[key]) event[COMMON_KEYS[key]!] = value;
      else if (MPV2_GA_PARAMS.has(key)) event[`x-ga-${key}`] = value;
      // gtag's own flags (`_ss`, `_fv`, `_nsi`, `_z`, ...) go together, without the underscore.
      else if (key.startsWith('_') && key.length > 1) systemProperties[key.slice(1)] = value;
      else event[`x-ga-mp2-${key}`] = value;
    }
    if (Object.keys(userProperties).length) event['x-ga-mp2-user_properties'] = userProperties;
    if (Object.keys(systemProperties).length) event['x-ga-system_properties'] = systemProperties;
    if (Object.keys(sstProperties).length) event['x-sst-system_properties'] = sstProperties;
    return event;
  });
}

const MPV1_HIT_TYPES: Record<string, string> = { pageview: 'page_view', screenview: 'screen_view' };

export function mpv1Events(req: ParsedRequest, userAgent: string | undefined): Record<string, unknown>[] {
  return hitLines(req).map((hit) => {
    const event = baseEvent(req, userAgent);
    event['x-ga-protocol_version'] = '1';
    for (const [key, value] of [...req.query, ...hit]) {
      if (key === 't') event.event_name = MPV1_HIT_TYPES[value] ?? value;
      else if (key === 'tid') event['x-ga-property_id'] = value;
      else if (key === 'ea') event.event_name = value;
      else if (COMMON_KEYS[key]) event[COMMON_KEYS[key]!] = value;
      else if (key !== 'v') event[`x-ga-mp1-${key}`] = value;
    }
    return event;
  });
}
