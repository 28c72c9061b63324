/// <reference lib="dom" />
// The editor of the simulated page: address, referrer, title, cookies, local storage, the site's own
// script, data layer pushes, GTM variables, how requests to other hosts are answered, and preview
// (debug) mode. Every edit updates the setup; problems are shown beside the field they concern.

import {
  BUILT_IN_VARIABLES,
  checkSetup,
  type Answer,
  type PageSetup,
  type VariableKind,
} from '../page/setup.js';
import { h } from './dom.js';

const VARIABLE_KINDS: readonly (readonly [VariableKind, string, string])[] = [
  ['constant', 'Constant', 'Value (text, or JSON such as {"a": 1})'],
  ['dataLayer', 'Data Layer Variable', 'Data layer key, e.g. giosgVisitor or ecommerce.value'],
  ['cookie', '1st-party cookie', 'Cookie name'],
  ['jsVariable', 'JavaScript variable', 'Global variable, e.g. user.email'],
];

const ANSWERS: readonly (readonly [Answer, string])[] = [
  ['load', 'Loads (an empty stand-in)'],
  ['fail', 'Fails (404)'],
  ['script', 'Runs this script'],
];

export interface PageEditor {
  readonly element: HTMLElement;
  /** The Variables section, shown in its own tab. */
  readonly variablesElement: HTMLElement;
  setup(): PageSetup;
  /** Adds a constant variable (the "Define" action of an unknown-variable message). */
  defineVariable(name: string): void;
}

function field(label: string, control: HTMLElement, hint?: string, problemFor?: string): HTMLElement {
  return h(
    'label',
    { class: 'setup-field' },
    h('span', { class: 'setup-label' }, label),
    control,
    hint ? h('span', { class: 'setup-hint' }, hint) : null,
    problemFor ? h('span', { class: 'setup-problem', 'data-problem': problemFor, hidden: true }) : null,
  );
}

export function mountPageEditor(initial: PageSetup, onChange: (setup: PageSetup) => void): PageEditor {
  const setup: PageSetup = structuredClone(initial);
  const element = h('div', { class: 'page-editor' });
  const variablesElement = h('div', { class: 'variables-editor' });

  const changed = () => {
    showProblems();
    onChange(structuredClone(setup));
  };

  const showProblems = () => {
    const problems = checkSetup(setup);
    for (const root of [element, variablesElement]) {
      for (const el of Array.from(root.querySelectorAll<HTMLElement>('[data-problem]'))) {
        const mine = problems.filter((p) => p.field === el.dataset.problem);
        el.hidden = mine.length === 0;
        el.textContent = mine.map((p) => p.message).join(' ');
      }
    }
  };

  /** An input or text area that writes `target[key]` on every keystroke. */
  const bound = <T extends object, K extends keyof T>(
    tag: 'input' | 'textarea',
    target: T,
    key: K,
    attrs: Record<string, unknown> = {},
  ) =>
    h(tag, {
      ...(tag === 'input' ? { type: 'text' } : { spellcheck: 'false' }),
      class: 'text-input',
      value: target[key],
      ...attrs,
      oninput: (e: Event) => {
        (target as Record<PropertyKey, unknown>)[key as PropertyKey] = (e.target as HTMLInputElement).value;
        changed();
      },
    });

  /** A drop-down that writes `target[key]`, then draws its list again (the choice changes the row). */
  const boundSelect = <T extends object, K extends keyof T & string>(
    target: T,
    key: K,
    choices: readonly (readonly [string, string, ...string[]])[],
    label: string,
    redraw: () => void,
  ) =>
    h(
      'select',
      {
        class: 'select-input',
        'aria-label': label,
        onchange: (e: Event) => {
          (target as Record<string, unknown>)[key] = (e.target as HTMLSelectElement).value;
          redraw();
          changed();
        },
      },
      choices.map(([value, text]) => h('option', { value, selected: value === target[key] }, text)),
    );

  const removeButton = (list: unknown[], i: number, title: string, redraw: () => void) =>
    h(
      'button',
      {
        type: 'button',
        class: 'remove-row',
        title,
        onclick: () => {
          list.splice(i, 1);
          redraw();
          changed();
        },
      },
      '✕',
    );

  const text = (key: 'url' | 'referrer' | 'title', placeholder = '') =>
    bound('input', setup, key, { placeholder, 'data-setup': key });

  const area = (
    key: 'cookies' | 'localStorage' | 'script',
    rows: number,
    placeholder: string,
    code = false,
  ) =>
    bound('textarea', setup, key, {
      rows,
      placeholder,
      'data-setup': key,
      class: `text-input${code ? ' code' : ''}`,
    });

  const pushesList = h('div', { class: 'pushes' });
  const renderPushes = () => {
    pushesList.replaceChildren(
      ...setup.dataLayer.map((push, i) =>
        h(
          'div',
          { class: 'push-row' },
          h('span', { class: 'push-prefix' }, 'dataLayer.push('),
          bound('textarea', setup.dataLayer, i, {
            class: 'text-input code',
            rows: Math.min(6, Math.max(1, push.split('\n').length)),
            'data-setup': `dataLayer.${i}`,
          }),
          h('span', { class: 'push-prefix' }, ')'),
          removeButton(setup.dataLayer, i, 'Remove this push', renderPushes),
        ),
      ),
    );
  };

  const variablesList = h('div', { class: 'variable-rows' });
  const renderVariables = () => {
    variablesList.replaceChildren(
      ...setup.variables.map((v, i) => {
        const kind = VARIABLE_KINDS.find((k) => k[0] === v.kind) ?? VARIABLE_KINDS[0]!;
        return h(
          'div',
          { class: 'variable-row' },
          h(
            'div',
            { class: 'variable-cells' },
            bound('input', v, 'name', {
              placeholder: 'Name, e.g. DLV - user email',
              'aria-label': 'Variable name',
              'data-variable-name': i,
            }),
            boundSelect(v, 'kind', VARIABLE_KINDS, 'Variable type', renderVariables),
            bound('input', v, 'value', {
              placeholder: kind[2],
              'aria-label': 'Variable value',
              'data-variable-value': i,
            }),
            removeButton(setup.variables, i, 'Remove this variable', renderVariables),
          ),
          h('span', { class: 'setup-problem', 'data-problem': `variables.${i}.name`, hidden: true }),
          h('span', { class: 'setup-problem', 'data-problem': `variables.${i}.value`, hidden: true }),
        );
      }),
    );
    showProblems();
  };

  const responsesList = h('div', { class: 'response-rows' });
  const renderResponses = () => {
    responsesList.replaceChildren(
      ...setup.responses.map((r, i) =>
        h(
          'div',
          { class: 'response-row' },
          h(
            'div',
            { class: 'variable-cells' },
            bound('input', r, 'url', {
              placeholder: 'https://cdn.example.com/ (a URL or its start)',
              'aria-label': 'URL',
            }),
            boundSelect(r, 'answer', ANSWERS, 'Answer', renderResponses),
            removeButton(setup.responses, i, 'Remove this rule', renderResponses),
          ),
          r.answer === 'script'
            ? bound('textarea', r, 'body', {
                class: 'text-input code',
                rows: 4,
                placeholder:
                  '// JavaScript the script URL answers with, e.g. a stand-in for a vendor library',
                value: r.body ?? '',
              })
            : null,
          h('span', { class: 'setup-problem', 'data-problem': `responses.${i}.url`, hidden: true }),
        ),
      ),
    );
    showProblems();
  };

  const addButton = (label: string, what: string, onclick: () => void) =>
    h('button', { type: 'button', class: 'add-row', 'data-add': what, onclick }, label);

  element.append(
    h(
      'section',
      { class: 'setup-section' },
      h('h3', {}, 'Page'),
      field(
        'Address',
        text('url', 'https://www.example.com/'),
        'What getUrl and {{Page URL}} return.',
        'url',
      ),
      field('Referrer', text('referrer', 'https://www.google.com/'), undefined, 'referrer'),
      field('Title', text('title')),
      h(
        'label',
        { class: 'checkbox-row' },
        h('input', {
          type: 'checkbox',
          checked: setup.debugMode,
          'data-setup': 'debugMode',
          onchange: (e: Event) => {
            setup.debugMode = (e.target as HTMLInputElement).checked;
            changed();
          },
        }),
        h('span', {}, 'Preview (debug) mode: logToConsole prints with the "debug" logging setting'),
      ),
    ),
    h(
      'section',
      { class: 'setup-section' },
      h('h3', {}, 'What the page already has'),
      field(
        'Cookies',
        area('cookies', 2, 'consent=yes; _ga=GA1.1.123.456'),
        'name=value, separated by ; or new lines.',
        'cookies',
      ),
      field('Local storage', area('localStorage', 2, 'key=value (one per line)'), undefined, 'localStorage'),
      field(
        'Page script',
        area(
          'script',
          5,
          "// The site's own JavaScript, run before the tag fires: globals,\n// a vendor's snippet, e.g.\nwindow.user = { email: 'jane@example.com' };",
          true,
        ),
        'Runs in the page’s <head>. Requests it makes to other hosts are answered by the preview, never sent.',
        'script',
      ),
    ),
    h(
      'section',
      { class: 'setup-section' },
      h('h3', {}, 'Data layer pushes'),
      h(
        'p',
        { class: 'setup-hint' },
        'Made after the page script, before the tag fires; each is a JavaScript object.',
      ),
      pushesList,
      addButton('Add push', 'push', () => {
        setup.dataLayer.push("{ event: 'custom_event' }");
        renderPushes();
        changed();
      }),
    ),
    h(
      'section',
      { class: 'setup-section' },
      h('h3', {}, 'Requests to other hosts'),
      h(
        'p',
        { class: 'setup-hint' },
        'Nothing leaves your machine: the preview answers every script, pixel and iframe itself. By default they load as empty stand-ins; rules change that per URL.',
      ),
      responsesList,
      addButton('Add rule', 'response', () => {
        setup.responses.push({ url: 'https://', answer: 'fail' });
        renderResponses();
        changed();
      }),
    ),
  );

  variablesElement.append(
    h(
      'section',
      { class: 'setup-section' },
      h('h3', {}, 'Variables'),
      h(
        'p',
        { class: 'setup-hint' },
        'The GTM variables the form refers to as {{name}}, read from the page when the tag fires.',
      ),
      variablesList,
      addButton('Add variable', 'variable', () => {
        setup.variables.push({ name: '', kind: 'dataLayer', value: '' });
        renderVariables();
        changed();
      }),
      h(
        'div',
        { class: 'built-ins' },
        h('span', { class: 'setup-label' }, 'Built in: '),
        BUILT_IN_VARIABLES.map((n) => h('code', {}, `{{${n}}}`)),
      ),
    ),
  );

  renderPushes();
  renderVariables();
  renderResponses();
  showProblems();

  return {
    element,
    variablesElement,
    setup: () => structuredClone(setup),
    defineVariable(name) {
      if (setup.variables.some((v) => v.name.trim() === name)) return;
      setup.variables.push({ name, kind: 'constant', value: '' });
      renderVariables();
      changed();
      variablesElement
        .querySelector<HTMLInputElement>(`[data-variable-value="${setup.variables.length - 1}"]`)
        ?.focus();
    },
  };
}
