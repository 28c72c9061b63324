/// <reference lib="dom" />
// The form on the page: rendered by `renderForm`, then kept live. Typing updates the values and
// shows or hides fields by their enabling conditions without rendering anew (so focus and caret
// stay); adding or removing table rows renders the form again. PARAM_TABLE rows are edited in a
// dialog, as in GTM. Problems found on "Fire" appear under their fields.

import { enabledColumns, enabledFields } from '../form/enabling.js';
import { fieldKeys, renderForm, type BindPath } from '../form/render.js';
import { validateForm, type FormProblem } from '../form/validate.js';
import {
  holdsValue,
  newParamRow,
  newSimpleRow,
  paramTableFields,
  walkFields,
  type FormValues,
  type TableRow,
} from '../form/values.js';
import { defaultText, type Parameter, type SelectItem } from '../../tpl/model.js';
import { h, renderHtmlSlots } from './dom.js';

export interface FormView {
  readonly values: FormValues;
  setVariables(names: readonly string[]): void;
  showProblems(problems: readonly FormProblem[]): void;
  clearProblems(): void;
  /** Renders again (after the values were replaced from outside). */
  refresh(): void;
}

function fieldsByName(params: readonly Parameter[]): Map<string, Parameter> {
  const map = new Map<string, Parameter>();
  for (const { field } of walkFields(params)) if (holdsValue(field)) map.set(field.name, field);
  return map;
}

/** The value an input holds, in the terms of the field it edits. */
function inputValue(
  el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  items: readonly SelectItem[] | undefined,
): unknown {
  if (el instanceof HTMLInputElement && el.type === 'checkbox') return el.checked;
  const raw = el.value;
  if (el instanceof HTMLSelectElement || (el instanceof HTMLInputElement && el.type === 'radio')) {
    if (raw.startsWith('v:')) return raw.slice(2);
    const index = Number(raw.slice(2));
    return index < 0 ? '' : items?.[index]?.value;
  }
  return raw;
}

function setAt(values: FormValues, path: BindPath, value: unknown): void {
  let node: Record<string | number, unknown> = values;
  for (let i = 0; i < path.length - 1; i++) node = node[path[i]!] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
}

interface Mounted {
  root: HTMLElement;
  params: readonly Parameter[];
  values: FormValues;
  /** Names resolved here first (a PARAM_TABLE row), then in the form's values. */
  scope?: { table: Parameter; form: FormValues };
  keyPrefix: string;
}

/** Fills `root` with the fields and keeps them live; `onChange` runs after every edit. */
function mountFields(
  m: Mounted,
  variables: () => readonly string[],
  onChange: () => void,
): { render(): void; updateVisibility(): void } {
  const byName = fieldsByName(m.params);
  const keys = fieldKeys(m.params, m.keyPrefix);

  const updateVisibility = () => {
    const enabled = m.scope
      ? enabledColumns(m.scope.table, m.values, m.scope.form)
      : enabledFields(m.params, m.values);
    for (const [field, key] of keys) {
      const el = m.root.querySelector<HTMLElement>(`[data-key="${key}"]`);
      if (el) el.hidden = !enabled.has(field);
    }
  };

  const render = () => {
    m.root.innerHTML = renderForm(m.params, m.values, { variables: variables(), keyPrefix: m.keyPrefix });
    renderHtmlSlots(m.root);
    updateVisibility();
  };

  const columnItems = (table: Parameter, column: string): SelectItem[] | undefined =>
    table.simpleTableColumns?.find((c) => c?.name === column)?.selectItems;

  const onInput = (event: Event) => {
    const el = event.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    const bind = el?.dataset?.bind;
    if (!bind) return;
    const path = JSON.parse(bind) as BindPath;
    const field = byName.get(String(path[0]));
    if (!field) return;
    const items =
      path.length === 3
        ? columnItems(field, String(path[2]))
        : field.type === 'RADIO'
          ? field.radioItems
          : field.selectItems;
    if (el instanceof HTMLInputElement && el.type === 'radio' && !el.checked) return;
    setAt(m.values, path, inputValue(el, items));
    updateVisibility();
    onChange();
  };
  m.root.addEventListener('input', onInput);
  m.root.addEventListener('change', onInput);

  m.root.addEventListener('click', (event) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>('button');
    if (!target || !m.root.contains(target)) return;
    if (target.dataset.help) {
      // A group's "?" sits in its <summary>: open the help, not the group.
      event.preventDefault();
      const body = m.root.querySelector<HTMLElement>(`[data-help-body="${target.dataset.help}"]`);
      if (body) body.hidden = !body.hidden;
      target.classList.toggle('open', body ? !body.hidden : false);
      return;
    }
    if (target.dataset.insertInto) {
      openVariableMenu(
        target,
        m.root.querySelector<HTMLInputElement>(`#${CSS.escape(target.dataset.insertInto)}`),
        variables(),
      );
      return;
    }
    const rowPath = target.dataset.removeRow ?? target.dataset.editRow;
    const tablePath = target.dataset.addRow;
    const [name, index] = JSON.parse(rowPath ?? tablePath ?? '[]') as [string, number?];
    const table = byName.get(name);
    if (!table) return;
    const rows = (Array.isArray(m.values[name]) ? m.values[name] : (m.values[name] = [])) as TableRow[];
    if (target.dataset.removeRow !== undefined) {
      rows.splice(index!, 1);
      render();
      onChange();
    } else if (tablePath && table.type === 'SIMPLE_TABLE') {
      rows.push(newSimpleRow(table.simpleTableColumns ?? []));
      render();
      onChange();
      const inputs = m.root.querySelectorAll<HTMLElement>(
        `[data-bind^="${CSS.escape(JSON.stringify([name, rows.length - 1]).slice(0, -1))}"]`,
      );
      inputs[0]?.focus();
    } else {
      const editing = index !== undefined;
      const draft: TableRow = editing ? structuredClone(rows[index]!) : newParamRow(table);
      openRowDialog(table, draft, m.values, variables, editing, (row) => {
        if (editing) rows[index!] = row;
        else rows.push(row);
        render();
        onChange();
      });
    }
  });

  return { render, updateVisibility };
}

/** A small menu of the page's variables; choosing one inserts `{{name}}` at the caret. */
function openVariableMenu(
  anchor: HTMLElement,
  input: HTMLInputElement | null,
  names: readonly string[],
): void {
  document.querySelector('.variable-menu')?.remove();
  if (!input) return;
  const close = () => menu.remove();
  const menu = h(
    'div',
    { class: 'variable-menu', role: 'menu' },
    h('div', { class: 'menu-title' }, 'Insert a variable'),
    names.length
      ? names.map((name) =>
          h(
            'button',
            {
              type: 'button',
              role: 'menuitem',
              onclick: () => {
                const start = input.selectionStart ?? input.value.length;
                const end = input.selectionEnd ?? start;
                input.setRangeText(`{{${name}}}`, start, end, 'end');
                input.dispatchEvent(new Event('input', { bubbles: true }));
                input.focus();
                close();
              },
            },
            `{{${name}}}`,
          ),
        )
      : h('div', { class: 'menu-empty' }, 'No variables yet: define them under Variables.'),
  );
  anchor.after(menu);
  setTimeout(() => document.addEventListener('click', close, { once: true }));
}

function openRowDialog(
  table: Parameter,
  draft: TableRow,
  formValues: FormValues,
  variables: () => readonly string[],
  editing: boolean,
  save: (row: TableRow) => void,
): void {
  const body = h('div', { class: 'dialog-fields' });
  const errors = h('div', { class: 'dialog-errors' });
  const dialog = h(
    'dialog',
    { class: 'row-dialog' },
    h(
      'h2',
      {},
      defaultText(editing ? table.editRowTitle : table.newRowTitle) || (editing ? 'Edit row' : 'New row'),
    ),
    body,
    errors,
    h(
      'div',
      { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'button text', onclick: () => dialog.close() }, 'Cancel'),
      h(
        'button',
        {
          type: 'button',
          class: 'button primary',
          onclick: () => {
            const fields = paramTableFields(table);
            const problems = validateForm(fields, { ...formValues, ...draft }).problems;
            view.showProblems(problems);
            if (problems.length) return;
            save(draft);
            dialog.close();
          },
        },
        editing ? 'Save' : 'Add',
      ),
    ),
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  const mounted = mountFields(
    {
      root: body,
      params: paramTableFields(table),
      values: draft,
      scope: { table, form: formValues },
      keyPrefix: 'row',
    },
    variables,
    () => undefined,
  );
  mounted.render();
  const view = problemsView(body);
  dialog.showModal();
}

function problemsView(root: HTMLElement): Pick<FormView, 'showProblems' | 'clearProblems'> {
  const clearProblems = () => {
    for (const el of Array.from(root.querySelectorAll<HTMLElement>('[data-error]'))) {
      el.hidden = true;
      el.textContent = '';
    }
    for (const el of Array.from(root.querySelectorAll('.invalid'))) el.classList.remove('invalid');
  };
  return {
    clearProblems,
    showProblems(problems) {
      clearProblems();
      let first: HTMLElement | undefined;
      for (const p of problems) {
        const path = p.row === undefined ? [p.field] : [p.field, p.row, p.column];
        const slot = root.querySelector<HTMLElement>(`[data-error="${CSS.escape(JSON.stringify(path))}"]`);
        if (!slot) continue;
        slot.hidden = false;
        slot.textContent = slot.textContent ? `${slot.textContent} ${p.message}` : p.message;
        const input = root.querySelector<HTMLElement>(`[data-bind="${CSS.escape(JSON.stringify(path))}"]`);
        input?.classList.add('invalid');
        first ??= input ?? slot;
      }
      // A problem inside a closed section: open it, so the message can be seen.
      first?.closest('details')?.setAttribute('open', '');
      first?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    },
  };
}

/** Mounts the whole form in `root`. */
export function mountForm(
  root: HTMLElement,
  params: readonly Parameter[],
  values: FormValues,
  onChange: () => void,
): FormView {
  let variableNames: readonly string[] = [];
  const listsVariables = [...walkFields(params)].some(
    ({ field }) =>
      field.macrosInSelect === true ||
      (field.simpleTableColumns ?? []).some((c) => c?.macrosInSelect === true),
  );
  const mounted = mountFields({ root, params, values, keyPrefix: 'f' }, () => variableNames, onChange);
  mounted.render();
  const problems = problemsView(root);
  return {
    values,
    setVariables(names) {
      const changed = names.join('\n') !== variableNames.join('\n');
      variableNames = names;
      // Only drop-downs that include variables list them; render again only if the form has one.
      if (changed && listsVariables) mounted.render();
    },
    showProblems: problems.showProblems,
    clearProblems: problems.clearProblems,
    refresh: mounted.render,
  };
}
