/// <reference lib="dom" />
// The preview page: GTM's tag editor for one template (the form), the simulated page beside it,
// "Fire", and the result. The template comes from the server (`/api/template`) and is reloaded
// whenever the server says it changed (a rebuilt project, an edited file); the form keeps what was
// typed, field by field.

import './styles.css';
import { defaultText } from '../../tpl/model.js';
import { referencedVariables } from '../form/data.js';
import { validateForm } from '../form/validate.js';
import { holdsValue, initialValues, walkFields, type FormValues } from '../form/values.js';
import type { AnsweredRequest } from '../network.js';
import { BUILT_IN_VARIABLES, checkSetup, defaultSetup, parseSetup, type PageSetup } from '../page/setup.js';
import type { FireReport } from '../result.js';
import type { PreviewSnapshot } from '../snapshot.js';
import { AGENT_GLOBAL, type PreviewAgent } from './agent-api.js';
import { h } from './dom.js';
import { mountForm, type FormView } from './form-view.js';
import { mountPageEditor, type PageEditor } from './page-editor.js';
import { renderProblems, renderReport } from './result-view.js';

const STORE_KEY = 'gtm-template-preview';

interface Saved {
  /** The form's values per template (by its source path), so another template starts fresh. */
  values?: Record<string, FormValues>;
  setup?: PageSetup;
}

/** The form and page as last edited in this tab (sessionStorage: the simulated page clears localStorage). */
function loadSaved(): Saved {
  try {
    return JSON.parse(sessionStorage.getItem(STORE_KEY) ?? '{}') as Saved;
  } catch {
    return {};
  }
}

function save(source: string, values: FormValues, setup: PageSetup): void {
  try {
    const saved = loadSaved();
    const all = {
      ...(saved.values && typeof saved.values === 'object' ? saved.values : {}),
      [source]: values,
    };
    sessionStorage.setItem(STORE_KEY, JSON.stringify({ values: all, setup }));
  } catch {
    // storage full or disabled: editing still works
  }
}

/** The values for a (re)loaded form: what was typed for fields that still exist, defaults for the rest. */
function carryValues(snapshot: PreviewSnapshot, previous: FormValues | undefined): FormValues {
  const values = initialValues(snapshot.parameters);
  if (!previous) return values;
  for (const { field } of walkFields(snapshot.parameters)) {
    if (holdsValue(field) && Object.prototype.hasOwnProperty.call(previous, field.name)) {
      const old = previous[field.name];
      if (Array.isArray(old) === Array.isArray(values[field.name])) values[field.name] = old;
    }
  }
  return values;
}

class PreviewApp {
  private snapshot!: PreviewSnapshot;
  private form?: FormView;
  private editor!: PageEditor;
  private setup: PageSetup;
  private values?: FormValues;
  /** The setup the simulated page was served with; a Fire with another one loads a new page. */
  private pageSetupKey = '';
  private lastRequestId = 0;
  private frame!: HTMLIFrameElement;
  private agent?: Promise<PreviewAgent>;
  /** Counts results shown, so a test (or a person) can tell a new result from the last one. */
  private shown = 0;

  private readonly root = document.getElementById('app')!;
  private readonly formHost = h('div', { class: 'form', id: 'form' });
  private readonly header = h('div', { class: 'template-header' });
  private readonly diagnostics = h('div', { class: 'diagnostics' });
  private readonly resultHost = h('div', { class: 'result', id: 'result' });
  private readonly status = h('span', { class: 'status' });
  private readonly fireButton = h(
    'button',
    { type: 'button', class: 'button primary fire', id: 'fire', onclick: () => void this.fire() },
    'Fire',
  );
  private readonly tabs = new Map<string, { button: HTMLElement; panel: HTMLElement }>();

  constructor() {
    this.setup = parseSetup(loadSaved().setup) ?? defaultSetup();
  }

  async start(): Promise<void> {
    this.editor = mountPageEditor(this.setup, (setup) => {
      this.setup = setup;
      this.form?.setVariables(this.variableNames());
      this.persist();
    });
    this.frame = h('iframe', { class: 'simulated-page', title: 'The simulated page', src: 'about:blank' });
    this.layout();
    await this.reload();
    const events = new EventSource('/api/events');
    events.addEventListener('template', (e) => {
      if (Number((e as MessageEvent).data) !== this.snapshot.version) void this.reload(true);
    });
  }

  private variableNames(): string[] {
    return [...this.setup.variables.map((v) => v.name.trim()).filter(Boolean), ...BUILT_IN_VARIABLES];
  }

  private persist(): void {
    if (this.form) save(this.snapshot.source.path, this.form.values, this.setup);
  }

  private layout(): void {
    const tab = (id: string, label: string, panel: HTMLElement) => {
      const button = h(
        'button',
        { type: 'button', class: 'tab', role: 'tab', 'data-tab': id, onclick: () => this.showTab(id) },
        label,
      );
      this.tabs.set(id, { button, panel });
      return button;
    };
    const pagePanel = h(
      'div',
      { class: 'tab-panel', 'data-panel': 'page' },
      this.editor.element,
      h(
        'section',
        { class: 'setup-section' },
        h(
          'div',
          { class: 'frame-head' },
          h('h3', {}, 'The simulated page'),
          h(
            'button',
            { type: 'button', class: 'button text', id: 'new-page', onclick: () => void this.newPage() },
            'New page',
          ),
        ),
        h(
          'p',
          { class: 'setup-hint' },
          'Firings share this page (its globals, cookies and loaded scripts) until you change the page above or start a new one.',
        ),
        this.frame,
      ),
    );
    const variablesPanel = h(
      'div',
      { class: 'tab-panel', 'data-panel': 'variables' },
      this.editor.variablesElement,
    );
    const resultPanel = h('div', { class: 'tab-panel', 'data-panel': 'result' }, this.resultHost);
    this.resultHost.append(
      h(
        'div',
        { class: 'placeholder' },
        h(
          'p',
          {},
          'Fill in the tag, then press ',
          h('strong', {}, 'Fire'),
          ' to run it on the simulated page.',
        ),
      ),
    );

    this.root.replaceChildren(
      h(
        'header',
        { class: 'topbar' },
        h(
          'div',
          { class: 'brand' },
          h('span', { class: 'logo', 'aria-hidden': 'true' }, '◆'),
          h('span', {}, 'gtm-template'),
          h('span', { class: 'product' }, 'preview'),
        ),
        h(
          'div',
          { class: 'topbar-actions' },
          this.status,
          h(
            'button',
            { type: 'button', class: 'button text', onclick: () => this.resetForm() },
            'Reset form',
          ),
          this.fireButton,
        ),
      ),
      this.diagnostics,
      h(
        'main',
        { class: 'workspace' },
        h(
          'div',
          { class: 'editor-column' },
          h('div', { class: 'card tag-card' }, this.header, h('div', { class: 'card-body' }, this.formHost)),
        ),
        h(
          'div',
          { class: 'side-column' },
          h(
            'div',
            { class: 'card side-card' },
            h(
              'nav',
              { class: 'tabs', role: 'tablist' },
              tab('result', 'Result', resultPanel),
              tab('page', 'Page', pagePanel),
              tab('variables', 'Variables', variablesPanel),
            ),
            resultPanel,
            pagePanel,
            variablesPanel,
          ),
        ),
      ),
    );
    this.showTab('result');
  }

  private show(...content: (Node | string)[]): void {
    this.resultHost.replaceChildren(...content);
    this.resultHost.dataset.shown = String(++this.shown);
  }

  private showTab(id: string): void {
    for (const [key, { button, panel }] of this.tabs) {
      button.classList.toggle('active', key === id);
      button.setAttribute('aria-selected', String(key === id));
      panel.hidden = key !== id;
    }
  }

  private async reload(changed = false): Promise<void> {
    const response = await fetch('/api/template');
    this.snapshot = (await response.json()) as PreviewSnapshot;
    const s = this.snapshot;
    const previous = this.form?.values ?? loadSaved().values?.[s.source.path];
    this.values = carryValues(s, previous);
    this.header.replaceChildren(
      h('div', { class: 'card-title' }, 'Tag Configuration'),
      h(
        'div',
        { class: 'tag-type' },
        s.icon
          ? h('img', { class: 'tag-icon', src: s.icon, alt: '' })
          : h('div', { class: 'tag-icon placeholder-icon' }, '◆'),
        h(
          'div',
          {},
          h('div', { class: 'tag-name' }, s.name),
          h(
            'div',
            { class: 'tag-kind' },
            `${s.type === 'MACRO' ? 'Variable' : s.type === 'CLIENT' ? 'Client' : 'Tag'} template · ${s.context === 'SERVER' ? 'server' : 'web'} container`,
          ),
        ),
      ),
    );
    this.form = mountForm(this.formHost, s.parameters, this.values, () => this.persist());
    this.form.setVariables(this.variableNames());
    this.renderDiagnostics();
    const when = new Date().toLocaleTimeString();
    this.status.textContent = `${s.source.kind === 'project' ? 'Built' : 'Read'} ${s.source.path} · ${changed ? 'reloaded' : 'loaded'} ${when}`;
    this.status.classList.toggle('changed', changed);
    this.fireButton.toggleAttribute('disabled', !s.tpl || s.context === 'SERVER');
    this.fireButton.title =
      s.context === 'SERVER'
        ? 'Server templates run in a server container; use gtm-template test for them.'
        : '';
    this.persist();
  }

  private renderDiagnostics(): void {
    const s = this.snapshot;
    const errors = s.diagnostics.filter((d) => d.severity === 'error');
    const warnings = s.diagnostics.filter((d) => d.severity === 'warning');
    if (!s.error && s.diagnostics.length === 0) {
      this.diagnostics.replaceChildren();
      return;
    }
    this.diagnostics.replaceChildren(
      h(
        'details',
        {
          class: `diagnostics-box ${s.error || errors.length ? 'bad' : 'warn'}`,
          open: !!s.error || errors.length > 0,
        },
        h(
          'summary',
          {},
          s.error ??
            `${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'} in ${s.source.path}`,
        ),
        h(
          'ul',
          {},
          s.diagnostics.map((d) =>
            h(
              'li',
              {},
              h('code', {}, `${d.file ?? s.source.path}:${d.line}:${d.column}`),
              ` ${d.severity} ${d.code}: ${d.text}`,
            ),
          ),
        ),
      ),
    );
  }

  private resetForm(): void {
    this.values = initialValues(this.snapshot.parameters);
    this.form = mountForm(this.formHost, this.snapshot.parameters, this.values, () => this.persist());
    this.form.setVariables(this.variableNames());
    this.persist();
  }

  private labelOf(name: string): string {
    for (const { field } of walkFields(this.snapshot.parameters))
      if (field.name === name) return defaultText(field.displayName) || name;
    return name;
  }

  /** Serves the page with the current setup and waits for its agent. */
  private loadPage(): Promise<PreviewAgent> {
    const key = JSON.stringify(this.setup);
    this.pageSetupKey = key;
    this.agent = (async () => {
      await fetch('/api/page', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: key });
      await new Promise<void>((resolve) => {
        this.frame.addEventListener('load', () => resolve(), { once: true });
        this.frame.src = `/__page/?v=${Date.now()}`;
      });
      const agent = (this.frame.contentWindow as unknown as Record<string, PreviewAgent | undefined>)[
        AGENT_GLOBAL
      ];
      if (!agent) throw new Error('the simulated page did not start its agent');
      return agent;
    })();
    return this.agent;
  }

  private async newPage(): Promise<void> {
    await this.loadPage();
  }

  private async fire(): Promise<void> {
    const form = this.form;
    const s = this.snapshot;
    if (!form || !s.tpl) return;
    this.showTab('result');
    const { problems } = validateForm(s.parameters, form.values);
    const defined = new Set(this.variableNames());
    const unknown = referencedVariables(s.parameters, form.values).filter((n) => !defined.has(n));
    const setupProblems = checkSetup(this.setup).map((p) => `Page, ${p.field}: ${p.message}`);
    form.showProblems(problems);
    if (problems.length || unknown.length || setupProblems.length) {
      this.show(
        renderProblems(
          problems,
          unknown,
          setupProblems,
          (f) => this.labelOf(f),
          (name) => {
            this.editor.defineVariable(name);
            this.showTab('variables');
          },
        ),
      );
      return;
    }
    this.fireButton.setAttribute('disabled', '');
    this.fireButton.textContent = 'Firing…';
    try {
      const agent =
        JSON.stringify(this.setup) === this.pageSetupKey && this.agent
          ? await this.agent
          : await this.loadPage();
      const firing = await agent.fire({
        tpl: s.tpl,
        parameters: s.parameters,
        values: form.values,
        variables: this.setup.variables,
        debugMode: this.setup.debugMode,
      });
      const requests = (await (
        await fetch(`/api/requests?after=${this.lastRequestId}`)
      ).json()) as AnsweredRequest[];
      this.lastRequestId = requests.length ? requests[requests.length - 1]!.id : this.lastRequestId;
      const report: FireReport = { ...firing, requests };
      this.show(
        agent.setupErrors.length
          ? h(
              'div',
              { class: 'diagnostics-box bad' },
              h(
                'ul',
                {},
                agent.setupErrors.map((e) => h('li', {}, e)),
              ),
            )
          : '',
        renderReport(report, this.setup.debugMode, s.type),
      );
    } catch (err) {
      this.show(
        h(
          'div',
          { class: 'outcome bad' },
          h('div', { class: 'outcome-label' }, 'The preview could not fire the tag'),
          h('div', { class: 'outcome-detail' }, String((err as Error)?.message ?? err)),
        ),
      );
    } finally {
      this.fireButton.removeAttribute('disabled');
      this.fireButton.textContent = 'Fire';
    }
  }
}

void new PreviewApp().start();
