// The project's context and type in the type check. The 'gtm' typings of one context have none of
// the other's APIs, so using one is a TypeScript error ("Module 'gtm' has no exported member
// 'injectScript'"); that message does not say why, so this names the problem. And `data` differs
// by template type (Google's API references): a tag gets gtmOnSuccess/gtmOnFailure, a server
// client and a variable do not.

import ts from 'typescript';
import type { Diagnostic } from '../diagnostics.js';
import { apiInfo } from '../gtm/apis.js';
import { locate, type ProjectProgram } from './program.js';
import type { ProjectContext } from './project.js';

/**
 * TypeScript errors a missing API shows up as: no such export of 'gtm' (2305, 2724), and a name
 * that `require`, `mock` or `assertApi` does not take (2345 with one of the typings' API-name types).
 */
const MISSING_EXPORT_CODES = new Set(['ts/2305', 'ts/2724']);
const API_NAME_TYPE = /parameter of type '(keyof Gtm\w*Apis|GtmServer\w*Api)\b/;

function isMissingApi(d: Diagnostic): boolean {
  return MISSING_EXPORT_CODES.has(d.code) || (d.code === 'ts/2345' && API_NAME_TYPE.test(d.text));
}

const CONTEXT_WORD: Record<ProjectContext, string> = { WEB: 'web', SERVER: 'server' };

/**
 * The type errors whose cause is an API of the other context, rewritten to say so
 * (`project/wrong-context-api`); the others unchanged.
 */
export function explainWrongContext(diagnostics: Diagnostic[], context: ProjectContext): Diagnostic[] {
  return diagnostics.map((d) => {
    if (!isMissingApi(d)) return d;
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

const DATA_TYPE_OF: Record<string, string> = { CLIENT: 'ClientData', MACRO: 'VariableData' };

/**
 * A client's or a variable's `data` has no `gtmOnSuccess`/`gtmOnFailure` (only tags have them):
 * a `main` whose `data` is typed with them would call functions GTM does not pass. Checked on the
 * type of `main`'s first parameter, when the main module has `export default function main(data)`.
 */
export function checkDataType(project: ProjectProgram, mainFile: string, type: string): Diagnostic[] {
  const expected = DATA_TYPE_OF[type];
  const file = project.sourceFile(mainFile);
  if (!expected || !file) return [];
  for (const stmt of file.statements) {
    if (!ts.isFunctionDeclaration(stmt)) continue;
    const modifiers = ts.getModifiers(stmt) ?? [];
    if (!modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) continue;
    const param = stmt.parameters[0];
    if (!param) return [];
    const dataType = project.checker.getTypeAtLocation(param);
    const callbacks = ['gtmOnSuccess', 'gtmOnFailure'].filter((name) => dataType.getProperty(name));
    if (callbacks.length === 0) return [];
    const what = type === 'CLIENT' ? 'a client' : 'a variable';
    return [
      {
        code: 'project/data-type',
        severity: 'error',
        text: `${what}'s data has no ${callbacks.join(' or ')} (only tags do): type it ${expected}<Fields> from 'gtm'`,
        file: mainFile,
        section: mainFile,
        ...locate(file, param.getStart(file)),
      },
    ];
  }
  return [];
}
