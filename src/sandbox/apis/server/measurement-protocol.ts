// Google Analytics Measurement Protocol requests as events, for `extractEventsFromMpv1`/`Mpv2`.
// Parameter names follow GA's protocols and GTM's common event data keys (`client_id`,
// `page_location`, `x-ga-*`, ...). One event per hit: for MPv2 a request body may carry several
// hits, one per line, each merged over the query string's parameters.

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

export function mpv2Events(req: ParsedRequest, userAgent: string | undefined): Record<string, unknown>[] {
  return hitLines(req).map((hit) => {
    const event = baseEvent(req, userAgent);
    event['x-ga-protocol_version'] = '2';
    const userProperties: Record<string, unknown> = {};
    for (const [key, value] of [...req.query, ...hit]) {
      if (key === 'en') event.event_name = value;
      else if (key === 'tid') event['x-ga-measurement_id'] = value;
      else if (key === 'sid') event.ga_session_id = value;
      else if (key === 'sct') event.ga_session_number = numberOrString(value);
      else if (key === 'seg') event['x-ga-mp2-seg'] = value;
      else if (key.startsWith('ep.')) event[key.slice(3)] = value;
      else if (key.startsWith('epn.')) event[key.slice(4)] = numberOrString(value);
      else if (key.startsWith('up.')) userProperties[key.slice(3)] = value;
      else if (key.startsWith('upn.')) userProperties[key.slice(4)] = numberOrString(value);
      else if (COMMON_KEYS[key]) event[COMMON_KEYS[key]!] = value;
      else if (key !== 'v') event[`x-ga-${key}`] = value;
    }
    if (Object.keys(userProperties).length) event['x-ga-mp2-user_properties'] = userProperties;
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
      else if (key !== 'v') event[`x-ga-${key}`] = value;
    }
    return event;
  });
}
