// Keys a JSON section writes twice in one object with two different values. Parsing (JSON.parse,
// as GTM's reader) keeps the last, so whatever rewrites the template from its model (`format`,
// `import`) would drop the earlier value: they refuse or say so. The same value twice loses
// nothing (published templates repeat `displayName` so).

import { certainlyNoRepeatedKeys, JsonPositions, jsonPathText, type JsonPath } from './json-positions.js';
import { controlCharsInStrings } from './lenient.js';
import type { Template } from './model.js';
import { lineColumnAt } from './position.js';
import { sectionValue } from './sections.js';

const JSON_SECTIONS: readonly string[] = [
  'INFO',
  'TEMPLATE_PARAMETERS',
  'WEB_PERMISSIONS',
  'SERVER_PERMISSIONS',
];

export interface LostValue {
  section: string;
  key: string;
  /** The object holding the key (empty for the section's root). */
  path: JsonPath;
  /** The file's line of the later occurrence. */
  line: number;
  /** E.g. `the key "id" twice in one object (`brand`, line 24) with different values`. */
  what: string;
}

export function repeatedKeysWithTwoValues(template: Template): LostValue[] {
  const lost: LostValue[] = [];
  for (const section of template.layout?.sections ?? []) {
    if (!JSON_SECTIONS.includes(section.name)) continue;
    if (template.syntaxErrors.some((e) => e.section === section.name)) continue;
    const value = sectionValue(template, section.name);
    if (value !== undefined && certainlyNoRepeatedKeys(section.content, value)) continue;
    // A raw control character in a string (which GTM reads) is indexed as a space, which keeps
    // every offset but could make two values look alike: then no repeat counts as the same value.
    const noted = template.syntaxNotes?.some((n) => n.section === section.name) ?? false;
    const text = noted
      ? (controlCharsInStrings(section.content, 'blank') ?? section.content)
      : section.content;
    for (const repeat of new JsonPositions(text).repeatedKeys) {
      if (repeat.sameValue && !noted) continue;
      const line = section.contentLine + lineColumnAt(section.content, repeat.offset).line - 1;
      const where = repeat.path.length === 0 ? 'the section' : `\`${jsonPathText(repeat.path)}\``;
      lost.push({
        section: section.name,
        key: repeat.key,
        path: repeat.path,
        line,
        what: `the key "${repeat.key}" twice in one object (${where}, line ${line}) with different values`,
      });
    }
  }
  return lost;
}
