// What one "Fire" produced, as the result panel shows it: the sandbox's run result (the shape of
// `RunResult`, as plain data), the calls the tag made to the page's own functions, the page's
// console, and the requests the preview answered. Pure helpers turn these into text.

import type { AnsweredRequest } from './network.js';

/** `RunResult` after it crossed from the page (`toWire`): functions became `{ "[function]": name }`. */
export interface WireRunResult {
  outcome: 'success' | 'failure' | 'none' | 'multiple' | 'error';
  error?: string;
  errorCode?: string;
  /** Where in the template code the error was thrown ("template code line 2, line 12 of the file"). */
  errorWhere?: string;
  returnValue?: unknown;
  calls: { name: string; args: unknown[] }[];
  logs: unknown[][];
  injectedScripts: { url: string; cacheToken?: string }[];
  pixels: string[];
  iframes: string[];
  cookiesSet: { name: string; value: string; options: Record<string, unknown>; encode: boolean }[];
  gtmOnSuccessCount: number;
  gtmOnFailureCount: number;
  cookies?: { name: string; value: string }[];
  localStorage?: Record<string, string>;
  [key: string]: unknown;
}

export interface PageCall {
  /** The page function, e.g. `_giosg` or `dataLayer.push`. */
  target: string;
  args: unknown[];
}

export interface ConsoleLine {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  text: string;
  /** `logToConsole` (the template) or `page` (the page's own code, loaded scripts). */
  from: 'template' | 'page';
}

/** One firing as the simulated page reports it. */
export interface Firing {
  /** 1 for the first firing on this page, 2 for the next… */
  firing: number;
  durationMs: number;
  /** `data` as the tag received it. */
  data: Record<string, unknown>;
  result: WireRunResult;
  pageCalls: PageCall[];
  console: ConsoleLine[];
  /** URLs the browser refused to load (the page's content security policy), if anything tried. */
  blocked: string[];
}

/** A firing with the requests the preview server answered meanwhile: what the result panel shows. */
export interface FireReport extends Firing {
  requests: AnsweredRequest[];
}

export interface OutcomeSummary {
  label: string;
  tone: 'good' | 'bad' | 'warn';
  detail: string;
}

/** The outcome in GTM's words (Tag Assistant says Succeeded / Failed), with what it means. */
export function outcomeSummary(result: WireRunResult, templateType = 'TAG'): OutcomeSummary {
  // A variable template returns its value; it has no gtmOnSuccess to call.
  if (templateType === 'MACRO' && result.outcome !== 'error')
    return { label: 'Returned a value', tone: 'good', detail: 'The variable returned the value below.' };
  switch (result.outcome) {
    case 'success':
      return { label: 'Succeeded', tone: 'good', detail: 'The tag called data.gtmOnSuccess() once.' };
    case 'failure':
      return { label: 'Failed', tone: 'bad', detail: 'The tag called data.gtmOnFailure() once.' };
    case 'none':
      return {
        label: 'Did not finish',
        tone: 'warn',
        detail:
          'The tag called neither data.gtmOnSuccess() nor data.gtmOnFailure(); GTM would wait for it until it times out.',
      };
    case 'multiple':
      return {
        label: 'Finished more than once',
        tone: 'warn',
        detail: `The tag called data.gtmOnSuccess() ${result.gtmOnSuccessCount} and data.gtmOnFailure() ${result.gtmOnFailureCount} times; it must call exactly one of them exactly once.`,
      };
    default:
      return {
        label: 'Failed',
        tone: 'bad',
        detail: `The code stopped with an error: ${result.error ?? 'unknown error'}${result.errorWhere ? ` (${result.errorWhere})` : ''}`,
      };
  }
}

/** The permission a denial names (`sandbox/permission-denied` errors say `'<id>' …`). */
export function deniedPermission(result: WireRunResult): string | undefined {
  if (result.errorCode !== 'sandbox/permission-denied') return undefined;
  return /'([a-z_]+)'/.exec(result.error ?? '')?.[1];
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A value as JavaScript-like text (strings double-quoted), on one line when it fits. */
export function formatValue(value: unknown, width = 100, indent = ''): string {
  const flat = formatFlat(value);
  if (flat.length + indent.length <= width || value === null || typeof value !== 'object') return flat;
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + formatValue(v, width, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (isFunctionWire(value)) return flat;
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${formatValue(v, width, inner)}`).join(',\n')}\n${indent}}`;
}

function key(k: string): string {
  return IDENTIFIER.test(k) ? k : JSON.stringify(k);
}

function isFunctionWire(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && '[function]' in (value as object);
}

function formatFlat(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? String(value);
  if (Array.isArray(value)) return `[${value.map(formatFlat).join(', ')}]`;
  if (isFunctionWire(value)) {
    const { ['[function]']: name, ...props } = value;
    const rest = Object.keys(props).length ? ` ${formatFlat(props)}` : '';
    return `function ${String(name)}${rest}`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{${entries.map(([k, v]) => `${key(k)}: ${formatFlat(v)}`).join(', ')}}`;
}

/** A call as it reads in code: `_giosg("visitor", "submit", {…}, "plain", false)`. */
export function formatCall(target: string, args: readonly unknown[], width = 100): string {
  const flat = `${target}(${args.map(formatFlat).join(', ')})`;
  if (flat.length <= width) return flat;
  // One object or array: hugged, as Prettier prints `f({…})`.
  if (args.length === 1 && args[0] !== null && typeof args[0] === 'object')
    return `${target}(${formatValue(args[0], width)})`;
  return `${target}(\n${args.map((a) => '  ' + formatValue(a, width, '  ')).join(',\n')}\n)`;
}

/** A cookie write as a `Set-Cookie`-like line: `name=value; domain=auto; max-age=63072000`. */
export function formatCookie(c: WireRunResult['cookiesSet'][number]): string {
  const options = Object.entries(c.options ?? {})
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? k : `${k}=${String(v)}`));
  return [`${c.name}=${c.encode ? encodeURIComponent(c.value) : c.value}`, ...options].join('; ');
}
