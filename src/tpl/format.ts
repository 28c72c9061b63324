// `format`: a template rewritten in the current editor style, or the reason it cannot be without
// losing something (a section that does not parse would otherwise be dropped).

import { parse } from './parse.js';
import { printCanonical } from './print.js';

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
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate)
    return { ok: false, reason: `___${duplicate}___ appears more than once; keep one and run format again` };
  const formatted = printCanonical(template);
  return { ok: true, text: formatted, changed: formatted !== text };
}
