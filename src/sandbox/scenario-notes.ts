// What a scenario that did not pass adds to its message, from what the runtime saw while it ran:
// facts about the run that explain a failure and that the assertion's own text cannot show.

import { apiInfo, unknownMockAdvice } from '../gtm/apis.js';
import type { Session } from './runtime.js';
import type { ScenarioResult } from './run-tests.js';

type Outcome = Omit<ScenarioResult, 'name' | 'ms'>;

/** `result` with the notes below appended, when it did not pass. */
export function withNotes(result: Outcome, session: Session | undefined): Outcome {
  if (result.status === 'pass' || !session) return result;
  const notes = [unansweredNote(session), unknownMocksNote(session)].filter((n) => n !== undefined);
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
