// `Template` → `.tpl` text. A section whose value is unchanged since parsing is written back
// byte-for-byte; a changed or new one is written as GTM's current editor exports it:
// marker, blank line, body, two blank lines (format notes §1.2).

import {
  EDITOR_SECTION_ORDER,
  type KnownSectionName,
  type Template,
  codeSectionName,
  permissionsSectionName,
} from './model.js';
import { fingerprint, formatSectionBody, isKnownSection, sectionValue } from './sections.js';

/** The sections the template has a value for, in editor order, unknown ones before NOTES. */
function presentSections(template: Template): string[] {
  const names: string[] = [];
  for (const name of EDITOR_SECTION_ORDER) {
    if (name === 'NOTES') names.push(...Object.keys(template.unknownSections));
    if (sectionValue(template, name) !== undefined) names.push(name);
  }
  return names.filter((name, i) => names.indexOf(name) === i);
}

function editorBlock(name: string, value: unknown, eol: string): string {
  const block = `___${name}___\n\n${formatSectionBody(name, value)}\n\n\n`;
  return eol === '\n' ? block : block.replace(/\n/g, eol);
}

/**
 * Prints the template in the current editor style, ignoring how its source looked, except that
 * text before the first marker (a licence comment) is kept: it is the author's, not the editor's.
 */
export function printCanonical(template: Template): string {
  const preamble = template.layout?.preamble ?? '';
  const blocks = presentSections(template).map((name) =>
    editorBlock(name, sectionValue(template, name), '\n'),
  );
  return '\uFEFF' + preamble + blocks.join('');
}

function rank(name: string): number {
  const i = (EDITOR_SECTION_ORDER as readonly string[]).indexOf(name);
  return i === -1 ? EDITOR_SECTION_ORDER.indexOf('NOTES') - 0.5 : i;
}

/** Prints the template, keeping unchanged sections exactly as they were read. */
export function print(template: Template): string {
  const layout = template.layout;
  if (!layout) return printCanonical(template);

  const eol = layout.sections.some((s) => s.markerEol === '\r\n') ? '\r\n' : '\n';
  // A template re-targeted to the other context writes its code under the other marker.
  const renamed = (name: string): string => {
    if (name.startsWith('SANDBOXED_JS_FOR_')) return codeSectionName(template.context);
    if (name.endsWith('_PERMISSIONS')) return permissionsSectionName(template.context);
    return name;
  };
  const wanted = presentSections(template);
  const written = new Set<string>();
  let out = layout.preamble;
  const append = (block: string) => {
    if (out.length > 0 && !out.endsWith('\n')) out += eol;
    out += block;
  };
  const appendNewBefore = (limit: number) => {
    for (const name of wanted) {
      if (written.has(name) || rank(name) >= limit) continue;
      if (layout.sections.some((s) => renamed(s.name) === name)) continue;
      append(editorBlock(name, sectionValue(template, name), eol));
      written.add(name);
    }
  };

  for (const section of layout.sections) {
    const name = renamed(section.name);
    if (written.has(name)) {
      // A duplicated marker: not part of the model, kept verbatim so nothing is lost.
      append(section.markerText + section.markerEol + section.raw);
      continue;
    }
    appendNewBefore(rank(name));
    const value = sectionValue(template, name);
    const before = layout.fingerprints[section.name];
    const unchanged = name === section.name && fingerprint(value) === before;
    written.add(name);
    if (unchanged) {
      append(section.markerText + section.markerEol + section.raw);
    } else if (value !== undefined) {
      append(editorBlock(name, value, eol));
    } else if (!isKnownSection(name) && before === undefined) {
      append(section.markerText + section.markerEol + section.raw);
    }
    // Otherwise the section was removed from the model: it is not written.
  }
  appendNewBefore(Infinity);
  return (layout.bom ? '\uFEFF' : '') + out;
}

export type { KnownSectionName };
