// GTM's URL match patterns (format notes §3.2). The checker uses them to compare literal URLs in
// template code with the declared patterns; the sandbox uses them to enforce permissions.
//
// Two readings. The web permissions (`inject_script`, `send_pixel`, `inject_hidden_iframe`) follow
// the published gtm.js assert, `matchesWebUrlPattern` at the end of this file. The server ones
// (`send_http`, `send_pixel_from_browser`: the server runtime is not published) and the checker's
// question about a URL whose start alone is known (`prefixCanMatchUrlPattern`: wider than gtm.js's
// reading, but for an explicit `:443` and a final `/*`, which the checker also asks as `*`) use the
// reading below.
//
// Semantics (Simo Ahava's guide plus the 57 corpus templates; Google's page gives no grammar):
// - `https://host/path`: the scheme and host compare case-insensitively, the path case-sensitively.
// - `*` is a wildcard: in the host it matches within the host (`*.example.com` matches any
//   subdomain, at any depth, and `example.com` itself: published gtm.js builds accept a host equal
//   to the part after `*.`, see docs/diagnostics.md); in the path and query it matches any run of
//   characters (across `/` too).
// - A pattern path that ends in `/` matches every path below it (`https://pi.pardot.com/`).
// - A pattern without `?` ignores the URL's query string; with `?` the query must match as well.
// - A URL's `#fragment` never takes part in matching.

/** One step of a compiled pattern: a literal character or a wildcard. */
type Token =
  | { kind: 'char'; char: string }
  /** Zero or more characters, none of them in `stop`. */
  | { kind: 'star'; stop: string }
  /** Everything to the end of the URL. */
  | { kind: 'rest' }
  /** Either the end of the URL or one of `start` followed by anything (an ignored query string). */
  | { kind: 'optionalTail'; start: string };

interface CompiledPattern {
  tokens: Token[];
}

const PATTERN = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?$/;

/** Why `pattern` is not a usable URL match pattern, or `undefined` when it is. */
export function urlPatternProblem(pattern: string): string | undefined {
  if (typeof pattern !== 'string' || pattern.trim() === '') return 'the pattern is empty';
  if (/\s/.test(pattern)) return 'the pattern contains whitespace';
  const m = PATTERN.exec(pattern);
  if (!m) return 'a URL pattern looks like https://host/path (a scheme, a host and a path)';
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'https' && scheme !== 'http') return `the scheme must be https (found '${m[1]}')`;
  const host = m[2]!.replace(/:\d+$/, '');
  if (host === '' || !/^[a-zA-Z0-9*.-]+$/.test(host)) return `'${m[2]}' is not a valid host`;
  if (pattern.includes('#')) return 'a URL pattern cannot contain a #fragment';
  return undefined;
}

const cache = new Map<string, CompiledPattern | null>();

function compile(pattern: string): CompiledPattern | null {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  let compiled: CompiledPattern | null = null;
  const m = typeof pattern === 'string' ? PATTERN.exec(pattern) : null;
  if (m) {
    const tokens: Token[] = [];
    const literal = (text: string) => {
      for (const char of text) tokens.push({ kind: 'char', char });
    };
    const glob = (text: string, stop: string) => {
      for (const char of text) {
        if (char !== '*') tokens.push({ kind: 'char', char });
        else if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star', stop });
      }
    };
    literal(m[1]!.toLowerCase() + '://');
    glob(m[2]!.toLowerCase(), '/?#:');
    const path = m[3] || '/';
    glob(path, '?#');
    const query = m[4];
    if (query !== undefined) {
      glob(query, '#');
    } else if (path.endsWith('/')) {
      tokens.push({ kind: 'rest' });
    } else {
      tokens.push({ kind: 'optionalTail', start: '?' });
    }
    compiled = { tokens };
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

/**
 * Lower-cases the scheme and host (they compare case-insensitively) and drops any fragment. A URL
 * without a path has the path `/`, as a URL parser reads it: Google's permissions reference checks
 * `https://www.example.com?api.js` and `https://www.example.com?foo=3`. A `prefix` (the known start
 * of a URL) gets that `/` only once something follows its host.
 */
function normalizeUrl(url: string, prefix = false): string {
  const hash = url.indexOf('#');
  const noFragment = hash === -1 ? url : url.slice(0, hash);
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)(.*)$/s.exec(noFragment);
  if (!m) return noFragment;
  const rest = m[2]!;
  const path = rest.startsWith('/') || (prefix && rest === '' && hash === -1) ? rest : '/' + rest;
  return m[1]!.toLowerCase() + path;
}

/** The states reachable without consuming input (wildcards may match nothing). */
function closure(tokens: Token[], states: Set<number>): Set<number> {
  const out = new Set<number>();
  const stack = [...states];
  while (stack.length) {
    const s = stack.pop()!;
    if (out.has(s)) continue;
    out.add(s);
    const t = tokens[s];
    if (t && (t.kind === 'star' || t.kind === 'optionalTail')) stack.push(s + 1);
  }
  return out;
}

/** Runs the pattern over `text`; returns the live states (index === tokens.length means "at end"). */
function run(tokens: Token[], text: string): Set<number> {
  let states = closure(tokens, new Set([0]));
  // `optionalTail` consumed its start character: from here on anything goes. Marked as -1.
  for (const char of text) {
    const next = new Set<number>();
    for (const s of states) {
      if (s === -1) {
        next.add(-1);
        continue;
      }
      const t = tokens[s];
      if (!t) continue;
      if (t.kind === 'char' && t.char === char) next.add(s + 1);
      else if (t.kind === 'star' && !t.stop.includes(char)) next.add(s);
      else if (t.kind === 'rest') next.add(s);
      else if (t.kind === 'optionalTail' && t.start.includes(char)) next.add(-1);
    }
    states = closure(tokens, next);
    if (states.size === 0) break;
  }
  return states;
}

/**
 * A pattern whose host starts with `*.` also covers the domain after it: gtm.js compares the host
 * with that domain (`p.length===u.length?!0`) before it looks for a subdomain. So
 * `https://*.example.com/` is read as itself or `https://example.com/`.
 */
function alternatives(pattern: string): string[] {
  if (typeof pattern !== 'string') return [pattern];
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)\*\.([^/?#]*)(.*)$/s.exec(pattern);
  return m && m[2] ? [pattern, m[1]! + m[2] + m[3]!] : [pattern];
}

function matchesOne(pattern: string, url: string): boolean {
  const compiled = compile(pattern);
  if (!compiled || typeof url !== 'string') return false;
  const states = run(compiled.tokens, normalizeUrl(url));
  const end = compiled.tokens.length;
  for (const s of states) {
    if (s === -1 || s === end) return true;
    if (compiled.tokens[s]?.kind === 'rest') return true;
  }
  return false;
}

/** Whether `url` is allowed by the URL match pattern `pattern`. */
export function matchesUrlPattern(pattern: string, url: string): boolean {
  return alternatives(pattern).some((p) => matchesOne(p, url));
}

/**
 * Whether some URL that starts with `prefix` could match `pattern`: for code such as
 * `injectScript('https://host/lib/' + name, …)` where only the start of the URL is known.
 */
export function prefixCanMatchUrlPattern(pattern: string, prefix: string): boolean {
  return alternatives(pattern).some((p) => {
    const compiled = compile(p);
    if (!compiled || typeof prefix !== 'string') return false;
    return run(compiled.tokens, normalizeUrl(prefix, true)).size > 0;
  });
}

// The web URL permissions as published gtm.js builds assert them. `inject_script`'s assert is
// `if(ce(Ch(f),c))return` … `"Prohibited script URL: "+f`, and `ce` / `$d` (find_string id
// 52036953935, read_file page at offset 112000; the same code as `ag` / `Xf` in id 6229447127, a
// 2021 container, page at offset 79000) are followed here line by line: the URL must be `https:` on
// port 443 with a host of two or more labels; a pattern must be `https://` + an optional `*.` + a
// dotted host + `/` + a path ("Invalid Wildcard" otherwise, which denies); the host compares
// case-insensitively, `*.example.com` covering `example.com` and its subdomains; the path and
// query (`pathname+search`) must equal a pattern path without `*` exactly, unless the pattern path
// is `/` or ends in `*`, and `*` inside matches any run of characters.

const WEB_HOST_LABEL = /^[a-z0-9-]+$/i;
const WEB_PATTERN = /^https:\/\/(\*\.|)((?:[a-z0-9-]+\.)+[a-z0-9-]+)\/(.*)$/i;

/** gtm.js's `$d`: the URL's path and query against a pattern's path. */
function webPathMatches(path: string, patternPath: string): boolean {
  let p = patternPath;
  const open = p.endsWith('*') || p === '/';
  if (p.endsWith('/*')) p = p.slice(0, -2);
  if (p.endsWith('?')) p = p.slice(0, -1);
  const parts = p.split('*');
  if (!open && parts.length === 1) return path === parts[0];
  let at = -1;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (!part) continue;
    at = path.indexOf(part, at);
    if (at === -1 || (i === 0 && at !== 0)) return false;
    at += part.length;
  }
  if (open || at === path.length) return true;
  const last = parts[parts.length - 1]!;
  return path.lastIndexOf(last) === path.length - last.length;
}

/** gtm.js's host test: exact, or for `*.domain` the domain itself or a subdomain of it. */
function webHostMatches(host: string, patternHost: string): boolean {
  const h = host.toLowerCase();
  if (!patternHost.startsWith('*.')) return h === patternHost.toLowerCase();
  const domain = patternHost.slice(2).toLowerCase();
  const at = h.indexOf(domain);
  if (at === -1) return false;
  if (h.length === domain.length) return true;
  return h.length === domain.length + at && h[at - 1] === '.';
}

/** Whether `url` starts with a scheme (`https:`, `data:`), so no page resolves it. */
export function hasUrlScheme(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(url);
}

/**
 * `url` as a web page reads it: gtm.js hands the URL of a web URL permission's check to an anchor
 * element (`Ch=function(a){var b=H.createElement("a");a&&(b.href=a);…}`, find_string id 52036953935,
 * read_file page at offset 128000), and the element it inserts loads it the same way, so a URL
 * without a scheme is resolved against the page: `//cdn.test/x.js` is `https://cdn.test/x.js` on an
 * https page, `/x.js` is on the page's own host. A URL with a scheme, an empty one (the anchor then
 * has no URL) or one that does not resolve is returned as it is.
 */
export function resolveOnPage(url: string, pageUrl: string): string {
  if (url === '' || hasUrlScheme(url)) return url;
  try {
    return new URL(url, pageUrl).href;
  } catch {
    return url;
  }
}

/** Whether `pattern` is a pattern gtm.js accepts for a web permission (`https://[*.]host/path`). */
export function isWebUrlPattern(pattern: string): boolean {
  return typeof pattern === 'string' && WEB_PATTERN.test(pattern);
}

/**
 * Whether `url` is allowed by the URL match pattern `pattern` of a web permission (`inject_script`,
 * `send_pixel`, `inject_hidden_iframe`), as gtm.js decides it. The URL is read as a browser reads an
 * absolute URL; one that does not parse is not allowed.
 */
export function matchesWebUrlPattern(pattern: string, url: string): boolean {
  if (typeof pattern !== 'string' || typeof url !== 'string') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || (parsed.port !== '' && parsed.port !== '443')) return false;
  const labels = parsed.hostname.split('.');
  if (labels.length < 2 || !labels.every((l) => WEB_HOST_LABEL.test(l))) return false;
  if (!WEB_PATTERN.test(pattern)) return false;
  const rest = pattern.slice('https://'.length);
  const slash = rest.indexOf('/');
  return (
    webHostMatches(parsed.hostname, rest.slice(0, slash)) &&
    webPathMatches(parsed.pathname + parsed.search, rest.slice(slash))
  );
}
