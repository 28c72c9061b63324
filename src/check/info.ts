// `___INFO___`: the template's identity (format notes §1.5).

import { defaultText, TEMPLATE_TYPES, type Template } from '../tpl/model.js';
import { isPlainObject, kindOf, type Reporter } from './locate.js';

const CONTEXTS = ['WEB', 'SERVER'];

/** The Gallery categories (a third-party list; Google's own page could not be retrieved, so unknown values only warn). */
export const KNOWN_CATEGORIES: readonly string[] = [
  'ADVERTISING',
  'AFFILIATE_MARKETING',
  'ANALYTICS',
  'ATTRIBUTION',
  'CHAT',
  'CONVERSIONS',
  'DATA_WAREHOUSING',
  'EMAIL_MARKETING',
  'EXPERIMENTATION',
  'HEAT_MAP',
  'LEAD_GENERATION',
  'MARKETING',
  'PERSONALIZATION',
  'REMARKETING',
  'SALES',
  'SESSION_RECORDING',
  'SOCIAL',
  'SURVEY',
  'TAG_MANAGEMENT',
  'UTILITY',
];

const THUMBNAIL = /^data:image\/[a-zA-Z0-9.+-]+;base64,[A-Za-z0-9+/=\s]*$/;

export function checkInfo(template: Template, r: Reporter): void {
  const info = template.info as unknown;
  if (info === undefined) return; // missing section or bad JSON: reported by the structure check
  const S = 'INFO';
  const at = (...path: (string | number)[]) => r.locate.json(S, path);
  if (!isPlainObject(info)) {
    r.error('info/not-object', `___INFO___ must be a JSON object, found ${kindOf(info)}.`, S, at());
    return;
  }

  if (!(TEMPLATE_TYPES as readonly string[]).includes(info.type as string)) {
    r.error(
      'info/invalid-type',
      info.type === undefined
        ? '"type" is missing: it must be "TAG", "MACRO" (a variable) or "CLIENT".'
        : `"type" must be "TAG", "MACRO" (a variable) or "CLIENT", found ${JSON.stringify(info.type)}.`,
      S,
      at('type'),
    );
  }

  const contexts = info.containerContexts;
  if (
    !Array.isArray(contexts) ||
    contexts.length === 0 ||
    contexts.some((c) => !CONTEXTS.includes(c as string)) ||
    new Set(contexts).size !== contexts.length
  ) {
    r.error(
      'info/invalid-container-contexts',
      `"containerContexts" must be ["WEB"] or ["SERVER"], found ${contexts === undefined ? 'nothing' : JSON.stringify(contexts)}.`,
      S,
      at('containerContexts'),
    );
  }

  if (!defaultText(info.displayName)?.trim()) {
    r.error(
      'info/missing-display-name',
      '"displayName" must be a non-empty string: it is the template\'s name in GTM.',
      S,
      at('displayName'),
    );
  }
  if (info.description !== undefined && defaultText(info.description) === undefined) {
    r.warning(
      'info/invalid-description',
      `"description" should be a string (or a localised { "text": …, "translations": […] }), found ${kindOf(info.description)}.`,
      S,
      at('description'),
    );
  }
  if (info.version !== undefined && typeof info.version !== 'number') {
    r.warning(
      'info/invalid-version',
      `"version" is the templating system's version and is always the number 1, found ${JSON.stringify(info.version)}.`,
      S,
      at('version'),
    );
  }
  if (info.securityGroups !== undefined && !Array.isArray(info.securityGroups)) {
    r.warning(
      'info/invalid-security-groups',
      `"securityGroups" should be an array (GTM writes []), found ${kindOf(info.securityGroups)}.`,
      S,
      at('securityGroups'),
    );
  }

  if (info.brand !== undefined) {
    if (!isPlainObject(info.brand)) {
      r.error(
        'info/invalid-brand',
        `"brand" must be an object {id, displayName, thumbnail}, found ${kindOf(info.brand)}.`,
        S,
        at('brand'),
      );
    } else {
      const thumbnail = info.brand.thumbnail;
      if (thumbnail !== undefined && typeof thumbnail !== 'string') {
        r.error(
          'info/invalid-thumbnail',
          `"brand.thumbnail" must be a string (empty, or an image data URI data:image/png;base64,…), found ${kindOf(thumbnail)}.`,
          S,
          at('brand', 'thumbnail'),
        );
      } else if (typeof thumbnail === 'string' && thumbnail !== '' && !THUMBNAIL.test(thumbnail)) {
        // Published templates of three vendors carry a URL or a file name here, and no GTM message
        // refusing one is known: GTM's editor writes the uploaded icon as a data URI, so anything
        // else is most likely an icon GTM cannot show (docs/diagnostics.md).
        r.warning(
          'info/thumbnail-not-data-uri',
          '"brand.thumbnail" is not an image data URI (data:image/png;base64,…), which is how GTM stores an uploaded icon; GTM may show no icon for it. Upload the icon in GTM\'s template editor, or leave it empty.',
          S,
          at('brand', 'thumbnail'),
        );
      }
    }
  }

  if (info.categories !== undefined) {
    if (!Array.isArray(info.categories) || info.categories.some((c) => typeof c !== 'string')) {
      r.error(
        'info/invalid-categories',
        '"categories" must be an array of strings such as ["ANALYTICS", "CHAT"].',
        S,
        at('categories'),
      );
    } else {
      info.categories.forEach((c, i) => {
        if (!KNOWN_CATEGORIES.includes(c as string))
          r.warning(
            'info/unknown-category',
            `Unknown category ${JSON.stringify(c)}; the Gallery's categories are ${KNOWN_CATEGORIES.join(', ')}.`,
            S,
            at('categories', i),
          );
      });
    }
  }
}
