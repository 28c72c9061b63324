// Requests the simulated page makes to other hosts never leave the machine: the preview page sends
// the scripts, pixels and iframes a tag loads to the preview server (`/__net/<kind>?u=<url>`), and
// the server answers a request for any non-loopback URL itself (absolute-form requests, foreign
// `Host` headers) the same way. What it answers is decided here, from the page's response rules;
// every answer is logged for the result panel.

import { ruleFor, type ResponseRule } from './page/setup.js';

export type RequestKind = 'script' | 'pixel' | 'iframe' | 'other';

export interface StandInAnswer {
  status: number;
  contentType: string;
  body: string | Uint8Array;
  /** What answered: the default stand-in, or the page's rule for this URL. */
  by: 'default' | 'rule';
}

export interface AnsweredRequest {
  id: number;
  /** Milliseconds since the server started. */
  at: number;
  method: string;
  url: string;
  kind: RequestKind;
  status: number;
  by: StandInAnswer['by'];
}

/** A transparent 1×1 GIF, what tracking pixels return. */
export const PIXEL_GIF = Uint8Array.from(
  atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'),
  (c) => c.charCodeAt(0),
);

const TYPES: Record<RequestKind, string> = {
  script: 'text/javascript; charset=utf-8',
  pixel: 'image/gif',
  iframe: 'text/html; charset=utf-8',
  other: 'text/plain; charset=utf-8',
};

function comment(kind: RequestKind, url: string): string {
  const safe = url.replace(/\*\//g, '*\\/').replace(/--/g, '- -');
  if (kind === 'script') return `/* gtm-template preview: stand-in for ${safe} (nothing was fetched) */\n`;
  if (kind === 'iframe')
    return `<!doctype html><!-- gtm-template preview: stand-in for ${safe} --><title>stand-in</title>\n`;
  return '';
}

/** Guesses what a proxied request is for from its URL and `Accept` header. */
export function kindOf(url: string, accept = ''): RequestKind {
  const path = (() => {
    try {
      return new URL(url).pathname;
    } catch {
      return '';
    }
  })();
  if (/\.m?js$/i.test(path) || accept.includes('javascript')) return 'script';
  if (/\.(gif|png|jpe?g|webp|svg)$/i.test(path) || accept.startsWith('image/')) return 'pixel';
  if (accept.includes('text/html')) return 'iframe';
  return 'other';
}

/** The answer to a request for `url`: the page's rule for it, else a stand-in that loads. */
export function standInAnswer(kind: RequestKind, url: string, rules: readonly ResponseRule[]): StandInAnswer {
  const rule = ruleFor(rules, url);
  const by = rule ? 'rule' : 'default';
  if (rule?.answer === 'fail')
    return { status: 404, contentType: TYPES.other, body: 'Not found (a preview rule)\n', by };
  if (rule?.answer === 'script')
    return { status: 200, contentType: TYPES.script, body: comment('script', url) + (rule.body ?? ''), by };
  if (kind === 'pixel') return { status: 200, contentType: TYPES.pixel, body: PIXEL_GIF, by };
  return { status: 200, contentType: TYPES[kind], body: comment(kind, url), by };
}

/** The answered requests, in order, capped so a long session does not grow without bound. */
export class RequestLog {
  private readonly entries: AnsweredRequest[] = [];
  private next = 1;
  private readonly started = Date.now();

  constructor(private readonly limit = 500) {}

  add(entry: Omit<AnsweredRequest, 'id' | 'at'>): AnsweredRequest {
    const full = { ...entry, id: this.next++, at: Date.now() - this.started };
    this.entries.push(full);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return full;
  }

  /** Entries with an id above `after`. */
  since(after: number): AnsweredRequest[] {
    return this.entries.filter((e) => e.id > after);
  }

  get lastId(): number {
    return this.next - 1;
  }
}
