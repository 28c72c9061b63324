// URL patterns inferred from the URL a call passes: the URL itself for a constant, or a pattern
// covering every URL that starts with the constant prefix the code builds it from.

import { urlPatternProblem } from '../gtm/url-pattern.js';
import type { ArgValue } from '../js/api-usage.js';

/** A URL pattern for a literal URL (itself, query dropped) or a literal prefix (up to its last '/', then '*'). */
export function urlPatternFor(arg: ArgValue): string | undefined {
  if (arg.kind === 'string') {
    const noQuery = arg.value.replace(/[?#].*$/, '');
    return urlPatternProblem(noQuery) ? undefined : noQuery;
  }
  if (arg.kind === 'prefix') {
    // The query has started: the path is complete, and a pattern without '?' ignores the query.
    const path = /^(https?:\/\/[^/?#*]+\/[^?#*]*)[?#]/.exec(arg.prefix);
    if (path) return urlPatternProblem(path[1]!) ? undefined : path[1];
    const m = /^(https?:\/\/[^/?#*]+\/(?:[^?#]*\/)?)/.exec(arg.prefix);
    if (!m) return undefined;
    const pattern = m[1] + '*';
    return urlPatternProblem(pattern) ? undefined : pattern;
  }
  return undefined;
}
