// Section structure: markers, duplicates, required sections, web/server sections agreeing with
// `containerContexts`, and the JSON/YAML syntax errors `parse` met.

import type { Diagnostic } from '../diagnostics.js';
import { KNOWN_SECTIONS, type Template } from '../tpl/model.js';
import { jsonPathText } from '../tpl/json-positions.js';
import { isPlainObject, type Reporter } from './locate.js';

const WEB_SECTIONS = ['SANDBOXED_JS_FOR_WEB_TEMPLATE', 'WEB_PERMISSIONS'];
const SERVER_SECTIONS = ['SANDBOXED_JS_FOR_SERVER', 'SERVER_PERMISSIONS'];

/** The code each section's syntax error is reported under. */
const SYNTAX_CODES: Record<string, string> = {
  INFO: 'info/invalid-json',
  TEMPLATE_PARAMETERS: 'params/invalid-json',
  WEB_PERMISSIONS: 'permissions/invalid-json',
  SERVER_PERMISSIONS: 'permissions/invalid-json',
  TESTS: 'tests/invalid-yaml',
};

export function checkStructure(template: Template, r: Reporter): void {
  for (const e of template.syntaxErrors) {
    r.error(SYNTAX_CODES[e.section] ?? 'structure/invalid-section', `${e.message}.`, e.section, {
      line: e.line,
      column: e.column,
    });
  }

  for (const n of template.syntaxNotes ?? []) {
    r.warning('structure/nonstandard-json', `${n.message}.`, n.section, { line: n.line, column: n.column }, [
      '`gtm-template format` rewrites the section the way GTM writes it.',
    ]);
  }

  const layout = template.layout;
  if (!layout) {
    // A template built in memory (e.g. by the compiler): only what is missing can be said.
    const missing: [string, unknown][] = [
      ['INFO', template.info],
      ['TEMPLATE_PARAMETERS', template.parameters],
      [
        template.context === 'SERVER' ? 'SANDBOXED_JS_FOR_SERVER' : 'SANDBOXED_JS_FOR_WEB_TEMPLATE',
        template.code,
      ],
    ];
    for (const [name, value] of missing) {
      if (value === undefined)
        r.error('structure/missing-section', `The required section ___${name}___ is missing.`, name, {
          line: 1,
          column: 1,
        });
    }
    return;
  }
  if (layout.sections.length === 0) {
    r.error(
      'structure/no-sections',
      'No section markers found: a .tpl file consists of sections such as ___INFO___ and ___TEMPLATE_PARAMETERS___, each marker alone on its line.',
      'INFO',
      { line: 1, column: 1 },
    );
    return;
  }

  checkMalformedMarkers(template, r);

  const seen = new Set<string>();
  for (const s of layout.sections) {
    const at = { line: s.markerLine, column: 1 };
    if (seen.has(s.name)) {
      r.error(
        'structure/duplicate-section',
        `Section ___${s.name}___ appears more than once; GTM reads one of each. Merge or delete the copy.`,
        s.name,
        at,
      );
      continue;
    }
    seen.add(s.name);
    if (!(KNOWN_SECTIONS as readonly string[]).includes(s.name)) {
      r.warning(
        'structure/unknown-section',
        `Unknown section ___${s.name}___: GTM's editor does not write it and may drop it on import.`,
        s.name,
        at,
      );
    }
  }

  checkRepeatedKeys(template, r);

  const start = { line: layout.sections[0]!.markerLine, column: 1 };
  for (const required of ['INFO', 'TEMPLATE_PARAMETERS']) {
    if (!seen.has(required))
      r.error(
        'structure/missing-section',
        `The required section ___${required}___ is missing.`,
        required,
        start,
      );
  }
  const hasWeb = WEB_SECTIONS.some((n) => seen.has(n));
  const hasServer = SERVER_SECTIONS.some((n) => seen.has(n));
  if (!seen.has('SANDBOXED_JS_FOR_WEB_TEMPLATE') && !seen.has('SANDBOXED_JS_FOR_SERVER')) {
    r.error(
      'structure/missing-section',
      `The template has no code section (___${template.context === 'SERVER' ? 'SANDBOXED_JS_FOR_SERVER' : 'SANDBOXED_JS_FOR_WEB_TEMPLATE'}___).`,
      template.context === 'SERVER' ? 'SANDBOXED_JS_FOR_SERVER' : 'SANDBOXED_JS_FOR_WEB_TEMPLATE',
      start,
    );
  }
  if (hasWeb && hasServer) {
    const first = layout.sections.find((s) => SERVER_SECTIONS.includes(s.name))!;
    const present = (names: string[]) =>
      names
        .filter((n) => seen.has(n))
        .map((n) => `___${n}___`)
        .join(', ');
    const contexts = isPlainObject(template.info) ? template.info.containerContexts : undefined;
    // Name what to delete when containerContexts says which context the template is for.
    const only = Array.isArray(contexts) && contexts.length === 1 ? contexts[0] : undefined;
    const fix =
      only === 'WEB'
        ? ` Its containerContexts is ["WEB"]: delete ${present(SERVER_SECTIONS)}.`
        : only === 'SERVER'
          ? ` Its containerContexts is ["SERVER"]: delete ${present(WEB_SECTIONS)}.`
          : ' Keep the sections of the context the template is for and delete the others.';
    r.error(
      'structure/context-mismatch',
      `The template has web sections (${present(WEB_SECTIONS)}) and server sections (${present(SERVER_SECTIONS)}); a template is one or the other.${fix}`,
      first.name,
      { line: first.markerLine, column: 1 },
    );
    return;
  }

  const info = template.info;
  if (!isPlainObject(info) || !Array.isArray(info.containerContexts)) return;
  const contexts = info.containerContexts;
  const wantsServer = contexts.includes('SERVER');
  const wantsWeb = contexts.includes('WEB');
  const offending = layout.sections.find(
    (s) =>
      (wantsServer && !wantsWeb && WEB_SECTIONS.includes(s.name)) ||
      (wantsWeb && !wantsServer && SERVER_SECTIONS.includes(s.name)),
  );
  if (offending) {
    const expected = wantsServer
      ? '___SANDBOXED_JS_FOR_SERVER___ and ___SERVER_PERMISSIONS___'
      : '___SANDBOXED_JS_FOR_WEB_TEMPLATE___ and ___WEB_PERMISSIONS___';
    r.error(
      'structure/context-mismatch',
      `___${offending.name}___ does not belong in a template whose containerContexts is ${JSON.stringify(contexts)}: use ${expected}.`,
      offending.name,
      { line: offending.markerLine, column: 1 },
    );
  }
}

/**
 * A line that looks like a marker but is not one (`___Info___`, `__INFO___`): GTM reads it as text.
 * Matched over a whole section at once, not line by line: the sections of a large
 * template are megabytes, and splitting them into lines cost the checker more than the match.
 */
// Lines end at \n only, as the split into sections reads them (not at a lone \r, as `$` with /m would).
const NEAR_MARKER_LINES =
  /(?<![^\n])[^\S\n]*_{2,}[A-Za-z0-9_ ]*[A-Za-z][A-Za-z0-9_ ]*_{2,}[^\S\n]*(?![^\n])/g;
const MARKER_LINE = /^___[A-Z][A-Z0-9_]*?___[ \t]*$/;

function checkMalformedMarkers(template: Template, r: Reporter): void {
  const layout = template.layout!;
  const scan = (text: string, firstLine: number, section: string) => {
    if (!text.includes('__')) return;
    let line = firstLine;
    let counted = 0;
    NEAR_MARKER_LINES.lastIndex = 0;
    for (let m = NEAR_MARKER_LINES.exec(text); m; m = NEAR_MARKER_LINES.exec(text)) {
      for (let nl = text.indexOf('\n', counted); nl !== -1 && nl < m.index; nl = text.indexOf('\n', nl + 1)) {
        line++;
        counted = nl + 1;
      }
      const l = m[0].replace(/\r$/, '');
      if (!MARKER_LINE.test(l))
        r.warning(
          'structure/malformed-marker',
          `"${l.trim()}" looks like a section marker but is not one: markers are three underscores, an upper-case name and three underscores, alone on the line (e.g. ___INFO___).`,
          section,
          { line, column: 1 },
        );
    }
  };
  scan(layout.preamble, 1, layout.sections[0]?.name ?? 'INFO');
  for (const s of layout.sections) scan(s.raw, s.markerLine + 1, s.name);
}

const JSON_SECTIONS = ['INFO', 'TEMPLATE_PARAMETERS', 'WEB_PERMISSIONS', 'SERVER_PERMISSIONS'];

/**
 * A key written twice in one JSON object. JSON.parse keeps the later value (so do the runner and
 * `format`), and the earlier one would be dropped without a word. Published templates repeat
 * `displayName` in ___INFO___, so the file is not refused: a warning (docs/diagnostics.md).
 */
function checkRepeatedKeys(template: Template, r: Reporter): void {
  for (const name of JSON_SECTIONS) {
    if (template.syntaxErrors.some((e) => e.section === name)) continue;
    for (const k of r.locate.repeatedKeys(name, readValue(template, name))) {
      const where = k.path.length === 0 ? 'the section' : `\`${jsonPathText(k.path)}\``;
      r.warning(
        'structure/repeated-key',
        `The key "${k.key}" appears more than once in the same object (${where}); only its last value is read, the earlier one is lost.`,
        name,
        { line: k.line, column: k.column },
        [
          k.sameValue
            ? 'Both hold the same value: `gtm-template format` writes it once.'
            : 'Delete the one you do not mean: `gtm-template format` refuses the file until then, rather than drop a value.',
        ],
      );
    }
  }
}

/** The value `parse` read from the section `name` (the first of its name), if it read that section. */
function readValue(template: Template, name: string): unknown {
  const sections = template.layout?.sections ?? [];
  // Of the two permissions sections, `parse` reads whichever comes first.
  const read = name.endsWith('_PERMISSIONS')
    ? sections.find((s) => s.name === 'WEB_PERMISSIONS' || s.name === 'SERVER_PERMISSIONS')?.name
    : name;
  if (read !== name) return undefined;
  if (name === 'INFO') return template.info;
  if (name === 'TEMPLATE_PARAMETERS') return template.parameters;
  return template.permissions;
}

/**
 * The finding for a file whose bytes are not UTF-8 from `line`/`column` on (`byte` is the first bad
 * one). The checker is given text, in which such bytes are already U+FFFD: the caller that read
 * the bytes reports it. A warning: the file still reads, with � in place of the character.
 */
export function notUtf8Finding(byte: number, line: number, column: number): Diagnostic {
  const hex = byte.toString(16).toUpperCase().padStart(2, '0');
  return {
    code: 'structure/not-utf8',
    severity: 'warning',
    text: `The file is not UTF-8 text: byte 0x${hex} is not valid UTF-8 (Latin-1 or Windows-1252 text, perhaps). GTM's exports are UTF-8; read as UTF-8, the byte is the character U+FFFD (�). Re-save the file as UTF-8.`,
    line,
    column,
  };
}
