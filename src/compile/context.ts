// The project's context (web or server container) in the type check: the 'gtm' typings of one
// context have none of the other's APIs, so using one is a TypeScript error ("Module 'gtm' has no
// exported member 'injectScript'"). That message does not say why; this names the problem.

import type { Diagnostic } from '../diagnostics.js';
import { apiInfo } from '../gtm/apis.js';
import type { ProjectContext } from './project.js';

/** TypeScript errors a missing API shows up as: no such export, and a name outside `keyof` the APIs. */
const MISSING_API_CODES = new Set(['ts/2305', 'ts/2724', 'ts/2345', 'ts/2339', 'ts/2551']);

const CONTEXT_WORD: Record<ProjectContext, string> = { WEB: 'web', SERVER: 'server' };

/**
 * The type errors whose cause is an API of the other context, rewritten to say so
 * (`project/wrong-context-api`); the others unchanged.
 */
export function explainWrongContext(diagnostics: Diagnostic[], context: ProjectContext): Diagnostic[] {
  return diagnostics.map((d) => {
    if (!MISSING_API_CODES.has(d.code)) return d;
    // The first quoted name in the message that is an API of the other context only.
    for (const m of d.text.matchAll(/['"]([A-Za-z_$][\w$]*)['"]/g)) {
      const info = apiInfo(m[1]!);
      if (!info || info.contexts.includes(context)) continue;
      const other = info.contexts.map((c) => CONTEXT_WORD[c]).join(' and ');
      return {
        ...d,
        code: 'project/wrong-context-api',
        text:
          `'${m[1]}' exists only in ${other} templates, and this is a ${CONTEXT_WORD[context]} template ` +
          `(template.json "context": "${context}")`,
        notes: [...(d.notes ?? []), `TypeScript: ${d.text}`],
      };
    }
    return d;
  });
}
