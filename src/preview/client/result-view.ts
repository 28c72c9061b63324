/// <reference lib="dom" />
// The result panel: what one "Fire" did. The outcome first, then the calls the tag made to the
// page's functions, what it loaded, the cookies it set, the console, permission denials, the
// requests the preview answered, and (folded) the data it received and every API call.

import type { FormProblem } from '../form/validate.js';
import {
  deniedPermission,
  formatCall,
  formatCookie,
  formatValue,
  outcomeSummary,
  type FireReport,
} from '../result.js';
import { h } from './dom.js';

function section(title: string, count: number | undefined, ...body: (Node | string | null)[]): HTMLElement {
  return h(
    'section',
    { class: 'result-section', 'data-section': title },
    h('h3', {}, title, count !== undefined ? h('span', { class: 'count' }, String(count)) : null),
    ...body,
  );
}

function codeLines(lines: string[], empty: string, cls = 'call'): HTMLElement {
  if (lines.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'ul',
    { class: 'code-list' },
    lines.map((line) => h('li', {}, h('pre', { class: cls }, line))),
  );
}

function folded(title: string, content: string): HTMLElement {
  return h(
    'details',
    { class: 'result-fold' },
    h('summary', {}, title),
    h('pre', { class: 'code-block' }, content),
  );
}

/** The panel for a firing. */
export function renderReport(report: FireReport, debugMode: boolean, templateType: string): HTMLElement {
  const r = report.result;
  const summary = outcomeSummary(r, templateType);
  const permission = deniedPermission(r);
  const answered = new Map(report.requests.map((q) => [q.url, q]));
  const loads = [
    ...r.injectedScripts.map((s) => ({ kind: 'script', url: s.url })),
    ...r.pixels.map((url) => ({ kind: 'pixel', url })),
    ...r.iframes.map((url) => ({ kind: 'iframe', url })),
  ];
  const logLines = report.console.map(
    (c) => `${c.from === 'template' ? '' : '[page] '}${c.level === 'log' ? '' : c.level + ': '}${c.text}`,
  );
  const pageOnlyRequests = report.requests.filter((q) => !loads.some((l) => l.url === q.url));

  return h(
    'div',
    { class: 'report', 'data-outcome': r.outcome },
    h(
      'div',
      { class: `outcome ${summary.tone}` },
      h('div', { class: 'outcome-label' }, summary.label),
      h('div', { class: 'outcome-detail' }, summary.detail),
      h(
        'div',
        { class: 'outcome-meta' },
        `Firing ${report.firing} on this page · ${Math.round(report.durationMs)} ms`,
      ),
    ),
    permission
      ? h(
          'div',
          { class: 'denial' },
          h('strong', {}, `Permission denied: ${permission}`),
          h('p', {}, r.error ?? ''),
          r.errorWhere ? h('p', { class: 'error-where' }, `At ${r.errorWhere}.`) : null,
          h(
            'p',
            { class: 'setup-hint' },
            'GTM stops the tag at the first call its permissions do not allow.',
          ),
        )
      : null,
    r.returnValue !== undefined
      ? section('Return value', undefined, h('pre', { class: 'code-block' }, formatValue(r.returnValue)))
      : null,
    section(
      'Calls to page functions',
      report.pageCalls.length,
      codeLines(
        report.pageCalls.map((c) => formatCall(c.target, c.args, 72)),
        'The tag called no function of the page.',
      ),
    ),
    section(
      'Scripts, pixels and iframes',
      loads.length,
      loads.length
        ? h(
            'ul',
            { class: 'load-list' },
            loads.map((l) => {
              const q = answered.get(l.url);
              return h(
                'li',
                {},
                h('span', { class: `badge ${l.kind}` }, l.kind),
                h('code', { class: 'url' }, l.url),
                h(
                  'span',
                  { class: `answer ${q && q.status >= 400 ? 'bad' : 'good'}` },
                  q ? `answered ${q.status}${q.by === 'rule' ? ' (rule)' : ' (stand-in)'}` : 'no request',
                ),
              );
            }),
          )
        : h('p', { class: 'empty' }, 'Nothing was loaded.'),
    ),
    section(
      'Cookies set',
      r.cookiesSet.length,
      codeLines(r.cookiesSet.map(formatCookie), 'No cookies were set.', 'cookie'),
    ),
    section(
      'Console',
      logLines.length,
      codeLines(
        logLines,
        debugMode
          ? 'Nothing was logged.'
          : 'Nothing was logged. Preview mode is off: logToConsole with the "debug" logging setting prints nothing.',
        'log',
      ),
    ),
    r.outcome === 'error' && !permission
      ? section(
          'Error',
          undefined,
          h(
            'pre',
            { class: 'code-block error-text' },
            `${r.error ?? ''}${r.errorWhere ? `\nat ${r.errorWhere}` : ''}${r.errorCode ? `\n(${r.errorCode})` : ''}`,
          ),
        )
      : null,
    pageOnlyRequests.length
      ? section(
          'Other requests the preview answered',
          pageOnlyRequests.length,
          h(
            'ul',
            { class: 'load-list' },
            pageOnlyRequests.map((q) =>
              h(
                'li',
                {},
                h('span', { class: `badge ${q.kind}` }, q.kind),
                h('code', { class: 'url' }, q.url),
                h('span', { class: 'answer' }, String(q.status)),
              ),
            ),
          ),
        )
      : null,
    report.blocked.length
      ? section('Blocked by the preview', report.blocked.length, codeLines(report.blocked, '', 'url'))
      : null,
    folded('data the tag received', formatValue(report.data, 80)),
    folded(
      `All API calls (${r.calls.length})`,
      r.calls.map((c) => formatCall(c.name, c.args, 10_000)).join('\n') || '(none)',
    ),
  );
}

/** What stops GTM from saving the tag, instead of a result. */
export function renderProblems(
  problems: readonly FormProblem[],
  unknownVariables: readonly string[],
  setupProblems: readonly string[],
  labelOf: (field: string) => string,
  define: (name: string) => void,
): HTMLElement {
  const count = problems.length + unknownVariables.length;
  return h(
    'div',
    { class: 'report', 'data-outcome': 'invalid' },
    h(
      'div',
      { class: 'outcome bad' },
      h('div', { class: 'outcome-label' }, count ? 'The tag has errors' : 'The page has errors'),
      h(
        'div',
        { class: 'outcome-detail' },
        count
          ? 'GTM would not save the tag as it is. Fix these, then Fire again.'
          : 'Fix the simulated page, then Fire again.',
      ),
    ),
    problems.length
      ? h(
          'ul',
          { class: 'problem-list' },
          problems.map((p) =>
            h(
              'li',
              {},
              h('strong', {}, labelOf(p.field) + (p.row !== undefined ? `, row ${p.row + 1}` : '')),
              ': ',
              p.message,
            ),
          ),
        )
      : null,
    unknownVariables.length
      ? h(
          'ul',
          { class: 'problem-list' },
          unknownVariables.map((name) =>
            h(
              'li',
              {},
              `Unknown variable '${name}' found in the tag. Define it, or remove the reference. `,
              h(
                'button',
                { type: 'button', class: 'button text', onclick: () => define(name) },
                `Define {{${name}}}`,
              ),
            ),
          ),
        )
      : null,
    setupProblems.length
      ? h(
          'ul',
          { class: 'problem-list' },
          setupProblems.map((p) => h('li', {}, p)),
        )
      : null,
  );
}
