// The mapping between section markers and `Template` fields, and how each section's body is
// written in the current editor style.

import { Document, isScalar, visit } from 'yaml';
import { gsonStringify } from './json.js';
import {
  type KnownSectionName,
  type Template,
  KNOWN_SECTIONS,
  codeSectionName,
  permissionsSectionName,
} from './model.js';

export function isKnownSection(name: string): name is KnownSectionName {
  return (KNOWN_SECTIONS as readonly string[]).includes(name);
}

/** The template's current value for a section, or `undefined` when the template has none. */
export function sectionValue(template: Template, name: string): unknown {
  switch (name) {
    case 'TERMS_OF_SERVICE':
      return template.termsOfService;
    case 'INFO':
      return template.info;
    case 'TEMPLATE_PARAMETERS':
      return template.parameters;
    case 'SANDBOXED_JS_FOR_WEB_TEMPLATE':
    case 'SANDBOXED_JS_FOR_SERVER':
      return codeSectionName(template.context) === name ? template.code : undefined;
    case 'WEB_PERMISSIONS':
    case 'SERVER_PERMISSIONS':
      return permissionsSectionName(template.context) === name ? template.permissions : undefined;
    case 'TESTS':
      return template.tests;
    case 'NOTES':
      return template.notes;
    default:
      return template.unknownSections[name];
  }
}

/** A comparable summary of a section value, to tell whether it changed since parsing. */
export function fingerprint(value: unknown): string {
  if (value === undefined) return 'undefined';
  return typeof value === 'string' ? 's:' + value : 'j:' + JSON.stringify(value);
}

/** Writes a test block as GTM's editor does: `scenarios:` then `- name:`/`code:` at column 0. */
export function testsToYaml(tests: NonNullable<Template['tests']>): string {
  const doc = new Document(tests);
  // Like SnakeYAML (GTM's emitter): code goes in `|-` blocks unless a line ends in white space,
  // which a block scalar cannot keep reliably; such strings are double-quoted instead.
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && /[ \t](\n|$)/.test(node.value)) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return doc
    .toString({ indentSeq: false, lineWidth: 0, blockQuote: 'literal', doubleQuotedAsJSON: true })
    .replace(/\n+$/, '');
}

/** The section body in the current editor style (without the blank lines around it). */
export function formatSectionBody(name: string, value: unknown): string {
  switch (name) {
    case 'INFO':
    case 'TEMPLATE_PARAMETERS':
    case 'WEB_PERMISSIONS':
    case 'SERVER_PERMISSIONS':
      return gsonStringify(value);
    case 'TESTS':
      return testsToYaml(value as NonNullable<Template['tests']>);
    default:
      return String(value).replace(/\s+$/, '');
  }
}
