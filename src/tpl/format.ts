// `format`: a template rewritten in the current editor style, or the reason it cannot be without
// losing something (a section that does not parse would otherwise be dropped).

import { parse } from './parse.js';
import { printCanonical } from './print.js';
import { repeatedKeysWithTwoValues } from './repeated-keys.js';

/** Sections only a web template has, and only a server template has. */
const WEB_ONLY: readonly string[] = ['SANDBOXED_JS_FOR_WEB_TEMPLATE', 'WEB_PERMISSIONS'];
const SERVER_ONLY: readonly string[] = ['SANDBOXED_JS_FOR_SERVER', 'SERVER_PERMISSIONS'];

export type FormatResult = { ok: true; text: string; changed: boolean } | { ok: false; reason: string };

export function formatTemplate(text: string): FormatResult {
  const template = parse(text);
  const first = template.syntaxErrors[0];
  if (first) {
    return {
      ok: false,
      reason: `___${first.section}___ does not parse (${first.message} at line ${first.line}, column ${first.column}); fix it first so nothing is lost`,
    };
  }
  const names = template.layout?.sections.map((s) => s.name) ?? [];
  // Printing text without sections would rewrite a file that is not a template at all.
  if (names.length === 0)
    return {
      ok: false,
      reason:
        'no section markers found (such as ___INFO___, each alone on its line): this is not a GTM template file, so it is left as it is',
    };
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate)
    return { ok: false, reason: `___${duplicate}___ appears more than once; keep one and run format again` };
  // The model holds one context's code and permissions, so a file with sections of both (a
  // hand-merged web and server template) would lose the other context's on printing.
  const web = names.filter((n) => WEB_ONLY.includes(n));
  const server = names.filter((n) => SERVER_ONLY.includes(n));
  if (web.length > 0 && server.length > 0) {
    const sections = [...web, ...server].map((n) => `___${n}___`).join(', ');
    return {
      ok: false,
      reason: `the file has web and server sections (${sections}); a template is one or the other: delete the sections of the context its containerContexts does not name and run format again`,
    };
  }
  // The model holds the last of a repeated key's values: printing it would drop the earlier one.
  const lost = repeatedKeysWithTwoValues(template)[0];
  if (lost)
    return {
      ok: false,
      reason: `___${lost.section}___ writes ${lost.what}, and only the last would be kept; delete the one you do not mean and run format again`,
    };
  const formatted = printCanonical(template);
  return { ok: true, text: formatted, changed: formatted !== text };
}
