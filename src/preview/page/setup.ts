// The simulated page the user edits beside the form: the site the tag fires on. Its address, the
// cookies and local storage it already has, its own script (globals such as a vendor's snippet),
// the data layer pushes made before the tag fires, the GTM variables the form refers to, how
// requests to other hosts are answered, and whether GTM's preview (debug) mode is on.
//
// Plain data, shared by the preview page and the server (which renders the page from it and
// answers its requests); `checkSetup` reports what cannot be used, field by field.

import { lookupByUrl } from '../../sandbox/world.js';

export type VariableKind = 'constant' | 'dataLayer' | 'cookie' | 'jsVariable';

/** A GTM variable the form may refer to as `{{name}}`. */
export interface VariableDefinition {
  name: string;
  kind: VariableKind;
  /** constant: the value (JSON, or plain text when it is not JSON); dataLayer: the key (dots nest);
   * cookie: the cookie's name; jsVariable: the global's path (`a.b`). */
  value: string;
}

export type Answer = 'load' | 'fail' | 'script';

/** How requests to a URL (or URLs starting with it; the longest prefix wins) are answered. */
export interface ResponseRule {
  url: string;
  answer: Answer;
  /** For `script`: the JavaScript served. */
  body?: string;
}

export interface PageSetup {
  url: string;
  referrer: string;
  title: string;
  /** `name=value` pairs, one per line or separated by `;`. */
  cookies: string;
  /** `key=value`, one per line. */
  localStorage: string;
  /** JavaScript the page runs in its `<head>` before the tag fires (the site's own code). */
  script: string;
  /** Data layer pushes, each a JavaScript object literal, made after the page script. */
  dataLayer: string[];
  variables: VariableDefinition[];
  responses: ResponseRule[];
  /** GTM's preview/debug mode: `logToConsole` with the `debug` environment prints only then. */
  debugMode: boolean;
}

/** GTM's built-in variables the preview defines itself, from the simulated page. */
export const BUILT_IN_VARIABLES = ['Page URL', 'Page Hostname', 'Page Path', 'Referrer', 'Event'] as const;

export function defaultSetup(): PageSetup {
  return {
    url: 'https://www.example.com/',
    referrer: '',
    title: 'Example page',
    cookies: '',
    localStorage: '',
    script: '',
    dataLayer: [],
    variables: [],
    responses: [],
    debugMode: true,
  };
}

export interface SetupProblem {
  /** The setup field, e.g. `url`, `cookies`, `variables.2.name`, `responses.0.url`. */
  field: string;
  message: string;
}

/** `name=value` pairs from the cookie field (blank parts ignored; a part without `=` is a problem). */
export function parsePairs(text: string, separators: RegExp): { pairs: [string, string][]; bad: string[] } {
  const pairs: [string, string][] = [];
  const bad: string[] = [];
  for (const raw of text.split(separators)) {
    const part = raw.trim();
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) bad.push(part);
    else pairs.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  return { pairs, bad };
}

export const cookiePairs = (text: string) => parsePairs(text, /[;\n]/);
export const storagePairs = (text: string) => parsePairs(text, /\n/);

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Everything in the setup that cannot be used as it is, so nothing the user typed is dropped silently. */
export function checkSetup(setup: PageSetup): SetupProblem[] {
  const problems: SetupProblem[] = [];
  if (!isHttpUrl(setup.url))
    problems.push({
      field: 'url',
      message: 'The page address must be a full http(s) URL, e.g. https://www.example.com/.',
    });
  if (setup.referrer && !isHttpUrl(setup.referrer))
    problems.push({ field: 'referrer', message: 'The referrer must be empty or a full http(s) URL.' });
  for (const part of cookiePairs(setup.cookies).bad)
    problems.push({ field: 'cookies', message: `"${part}" is not name=value.` });
  for (const part of storagePairs(setup.localStorage).bad)
    problems.push({ field: 'localStorage', message: `"${part}" is not key=value.` });
  const names = new Set<string>();
  setup.variables.forEach((v, i) => {
    const name = v.name.trim();
    if (!name) problems.push({ field: `variables.${i}.name`, message: 'Give the variable a name.' });
    else if (/[{}]/.test(name))
      problems.push({ field: `variables.${i}.name`, message: 'Write the name without {{ }}.' });
    else if (names.has(name) || (BUILT_IN_VARIABLES as readonly string[]).includes(name))
      problems.push({ field: `variables.${i}.name`, message: `There is already a variable "${name}".` });
    names.add(name);
    if (v.kind !== 'constant' && !v.value.trim())
      problems.push({ field: `variables.${i}.value`, message: 'Say what the variable reads.' });
  });
  setup.responses.forEach((r, i) => {
    if (!isHttpUrl(r.url))
      problems.push({ field: `responses.${i}.url`, message: 'A full http(s) URL, or the start of one.' });
  });
  return problems;
}

/** The value of a `constant` variable: JSON when it parses as JSON, else the text itself. */
export function constantValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}

/** The rule that answers `url`: an exact match, else the longest prefix (as the Node sandbox's world). */
export function ruleFor(rules: readonly ResponseRule[], url: string): ResponseRule | undefined {
  return lookupByUrl(Object.fromEntries(rules.filter((r) => r.url).map((r) => [r.url, r])), url);
}

/** A setup as sent by the page (or kept from an earlier session): every field's type checked, else `undefined`. */
export function parseSetup(value: unknown): PageSetup | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const base = defaultSetup();
  const str = (x: unknown) => typeof x === 'string';
  if (!['url', 'referrer', 'title', 'cookies', 'localStorage', 'script'].every((k) => str(v[k])))
    return undefined;
  if (!Array.isArray(v.dataLayer) || !v.dataLayer.every(str)) return undefined;
  if (!Array.isArray(v.variables) || !Array.isArray(v.responses) || typeof v.debugMode !== 'boolean')
    return undefined;
  const variables = v.variables.filter(
    (x): x is PageSetup['variables'][number] =>
      !!x &&
      str(x.name) &&
      str(x.value) &&
      ['constant', 'dataLayer', 'cookie', 'jsVariable'].includes(x.kind),
  );
  const responses = v.responses.filter(
    (x): x is PageSetup['responses'][number] =>
      !!x &&
      str(x.url) &&
      ['load', 'fail', 'script'].includes(x.answer) &&
      (x.body === undefined || str(x.body)),
  );
  if (variables.length !== v.variables.length || responses.length !== v.responses.length) return undefined;
  return { ...base, ...(v as unknown as PageSetup), variables, responses };
}
