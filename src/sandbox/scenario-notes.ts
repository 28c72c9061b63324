// What a scenario that did not pass adds to its message, from what the runtime saw while it ran:
// facts about the run that explain a failure and that the assertion's own text cannot show.

import { apiInfo, unknownMockAdvice } from '../gtm/apis.js';
import type { Session } from './runtime.js';
import type { ScenarioResult } from './run-tests.js';

type Outcome = Omit<ScenarioResult, 'name' | 'ms'>;

/** `result` with the notes below appended, when it did not pass. */
export function withNotes(result: Outcome, session: Session | undefined): Outcome {
  if (result.status === 'pass' || !session) return result;
  const notes = [
    unansweredNote(session),
    result.status === 'fail' ? queuedWorkNote(session) : undefined,
    unknownMocksNote(session),
  ].filter((n) => n !== undefined);
  if (notes.length === 0) return result;
  const note = notes.join(' ');
  return { ...result, message: result.message ? `${result.message} ${note}` : note };
}

/**
 * The outgoing requests nothing answered: they stayed pending, so whatever waited on their answer
 * never ran.
 */
function unansweredNote(session: Session): string | undefined {
  const unanswered = session.unansweredRequests;
  if (unanswered.length === 0) return undefined;
  const list = unanswered.map((r) => `${r.api} ${r.method} ${r.url}`).join('; ');
  return (
    `(unanswered, left pending as in GTM's Tests tab, so their callbacks never ran: ${list}; ` +
    `mock('${unanswered[0]!.api}', …) to answer)`
  );
}

/**
 * The mocks that named no API and that no code required: Google's test API reference gives a
 * mock's name as "the same string as passed to require()", so such a mock replaced nothing and the
 * code called the real API (`check` warns about the same names: `tests/mock-unknown-api`).
 */
function unknownMocksNote(session: Session): string | undefined {
  const unknown = [...session.mocks.keys()].filter(
    (name) => !apiInfo(name) && !session.requiredNames.has(name),
  );
  if (unknown.length === 0) return undefined;
  const names = unknown.map((name) => `'${name}'`).join(', ');
  return `(mocked ${names}: no API has ${unknown.length === 1 ? 'that name' : 'those names'}, so the mock replaced nothing and the code called the real API; ${unknownMockAdvice(unknown[0]!)})`;
}

/**
 * The asynchronous work of a web scenario still queued when its test code ended (an un-mocked
 * injectScript's load, a sha256 or callLater callback). GTM's Tests tab runs the test code in one
 * go: such callbacks run only after it, so an assertion about what they do (gtmOnSuccess called in
 * a load callback) fails there too. Server scenarios settle their work before they end instead.
 */
function queuedWorkNote(session: Session): string | undefined {
  if (session.template.context !== 'WEB') return undefined;
  const { timers, loads, reactions } = session.pendingWork();
  const parts: string[] = [];
  const count = (queuedBy: (string | undefined)[], what: string) => {
    const byApi = new Map<string, number>();
    for (const api of queuedBy) byApi.set(api ?? 'queued', (byApi.get(api ?? 'queued') ?? 0) + 1);
    for (const [api, n] of byApi) parts.push(`${n} ${api} ${what}${n === 1 ? '' : 's'}`);
  };
  count(timers, 'callback');
  count(loads, 'load');
  count(reactions, 'promise reaction');
  if (parts.length === 0) return undefined;
  return (
    `(still queued when the test code ended: ${parts.join(', ')}; in GTM's Tests tab they run only ` +
    `after the test code, so its assertions cannot see what they do; mock the API to call back at once)`
  );
}
