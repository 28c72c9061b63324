// The form as HTML, laid out like GTM's tag editor: a label above each field, a "?" that opens its
// help, text inputs, drop-downs, radio buttons, checkboxes, simple tables with "Add row", param
// tables whose rows open in a dialog, groups (plain or collapsible) and labels.
//
// A pure function of the parameters and the current values, so the unit tests read the HTML
// without a browser. Inputs carry `data-bind` (a JSON path into the values); every field's wrapper
// carries `data-key`, the key `fieldKeys` gives it, so the page can show and hide fields by running
// `enabledFields` again on each change without rendering anew. Help texts and LABEL names are HTML
// in GTM: they are emitted in `data-html` (escaped) for the page to sanitise with the browser's own
// parser; the unit tests see them as text.

import { defaultText, type Parameter, type SelectItem, type SimpleTableColumn } from '../../tpl/model.js';
import {
  childFields,
  holdsValue,
  isChanged,
  paramTableFields,
  walkFields,
  type FormValues,
  type TableRow,
} from './values.js';

export function escapeHtml(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A stable key per field (its position in the tree), shared by the renderer and the page script. */
export function fieldKeys(params: readonly Parameter[], prefix = 'f'): Map<Parameter, string> {
  const keys = new Map<Parameter, string>();
  const visit = (fields: readonly Parameter[], path: string) => {
    fields.forEach((field, i) => {
      if (!field || typeof field !== 'object') return;
      const key = `${path}-${i}`;
      keys.set(field, key);
      childFields(field).forEach((group, g) => visit(group.fields, `${key}.${g}`));
    });
  };
  visit(params, prefix);
  return keys;
}

export type BindPath = (string | number)[];

export interface RenderOptions {
  /** Names of the variables the simulated page defines (offered in drop-downs that include variables). */
  variables?: readonly string[];
  /** Key prefix (a PARAM_TABLE row dialog renders its columns with its own). */
  keyPrefix?: string;
  /** Prefix of every `data-bind` path (a PARAM_TABLE row dialog binds into the row). */
  bindPrefix?: BindPath;
}

interface Context {
  keys: Map<Parameter, string>;
  values: FormValues;
  variables: readonly string[];
  bindPrefix: BindPath;
}

const attr = (name: string, value: unknown) => ` ${name}="${escapeHtml(value)}"`;
const bindAttr = (ctx: Context, ...path: BindPath) =>
  attr('data-bind', JSON.stringify([...ctx.bindPrefix, ...path]));
const idFor = (ctx: Context, field: Parameter) => `in-${ctx.keys.get(field)}`;

// UI texts show their default text (a localised text's `text`), as the editor does in English.
const uiText = (value: unknown): string | undefined => defaultText(value);
/** A placeholder attribute for a field's value hint, if it has one. */
const placeholder = (hint: unknown): string => {
  const text = uiText(hint);
  return text ? attr('placeholder', text) : '';
};
/** `<span class=…>` around a UI text, or nothing when it is empty. */
const textSpan = (cls: string, value: unknown): string => {
  const text = uiText(value);
  return text ? `<span class="${cls}">${escapeHtml(text)}</span>` : '';
};

function helpButton(ctx: Context, field: Parameter): string {
  if (!uiText(field.help)) return '';
  return `<button type="button" class="help-toggle" aria-label="Help"${attr('data-help', ctx.keys.get(field))}>?</button>`;
}

function helpBody(ctx: Context, field: Parameter): string {
  const help = uiText(field.help);
  if (!help) return '';
  return `<div class="help" hidden${attr('data-help-body', ctx.keys.get(field))}${attr('data-html', help)}>${escapeHtml(help)}</div>`;
}

function label(ctx: Context, field: Parameter, forId?: string): string {
  const name = uiText(field.displayName) ?? '';
  if (!name && !uiText(field.help)) return '';
  const text = forId
    ? `<label class="label-text"${attr('for', forId)}>${escapeHtml(name)}</label>`
    : `<div class="label-text">${escapeHtml(name)}</div>`;
  return `<div class="field-label">${text}${helpButton(ctx, field)}</div>${helpBody(ctx, field)}`;
}

function errorSlot(path: BindPath): string {
  return `<div class="error" hidden${attr('data-error', JSON.stringify(path))}></div>`;
}

function itemLabel(item: SelectItem): string {
  return uiText(item.displayValue) ?? String(item.value);
}

/** `<option>`s for a drop-down; values are item indexes (`i:N`) or variable references (`v:{{name}}`). */
function selectOptions(
  items: readonly SelectItem[],
  current: unknown,
  options: { notSetText?: string; variables?: readonly string[] },
): string {
  let html = '';
  const matched = items.findIndex((it) => it && it.value === current);
  if (options.notSetText !== undefined || (matched < 0 && (current === '' || current === undefined)))
    html += `<option value="i:-1"${matched < 0 && (current === '' || current === undefined) ? ' selected' : ''}>${escapeHtml(options.notSetText ?? '')}</option>`;
  items.forEach((item, i) => {
    if (!item) return;
    html += `<option${attr('value', `i:${i}`)}${i === matched ? ' selected' : ''}>${escapeHtml(itemLabel(item))}</option>`;
  });
  const variables = options.variables ?? [];
  const currentRef = typeof current === 'string' && /^\{\{[^{}]+\}\}$/.test(current) ? current : undefined;
  const refs = variables.map((v) => `{{${v}}}`);
  if (currentRef && !refs.includes(currentRef)) refs.push(currentRef);
  if (refs.length) {
    html += `<optgroup label="Variables">`;
    for (const ref of refs)
      html += `<option${attr('value', `v:${ref}`)}${ref === currentRef ? ' selected' : ''}>${escapeHtml(ref)}</option>`;
    html += `</optgroup>`;
  }
  return html;
}

function renderText(ctx: Context, field: Parameter & { name: string }): string {
  const id = idFor(ctx, field);
  const value = ctx.values[field.name];
  const text = Array.isArray(value) ? value.join('\n') : String(value ?? '');
  const common = `${attr('id', id)}${bindAttr(ctx, field.name)}${placeholder(field.valueHint)}`;
  const lines =
    typeof field.lineCount === 'number' && field.lineCount > 1 ? field.lineCount : field.textAsList ? 3 : 1;
  const input =
    lines > 1
      ? `<textarea class="text-input" rows="${lines}"${common}>${escapeHtml(text)}</textarea>`
      : `<input type="text" class="text-input"${common}${attr('value', text)}>`;
  const unit = textSpan('unit', field.valueUnit);
  return `${label(ctx, field, id)}<div class="control">${input}<button type="button" class="var-picker" title="Insert a variable"${attr('data-insert-into', id)}>{{+}}</button>${unit}</div>${errorSlot([...ctx.bindPrefix, field.name])}`;
}

function renderSelect(ctx: Context, field: Parameter & { name: string }): string {
  const id = idFor(ctx, field);
  const options = selectOptions(field.selectItems ?? [], ctx.values[field.name], {
    notSetText: uiText(field.notSetText),
    variables: field.macrosInSelect ? ctx.variables : undefined,
  });
  return `${label(ctx, field, id)}<div class="control"><select class="select-input"${attr('id', id)}${bindAttr(ctx, field.name)}>${options}</select></div>${errorSlot([...ctx.bindPrefix, field.name])}`;
}

function renderCheckbox(ctx: Context, field: Parameter & { name: string }): string {
  const id = idFor(ctx, field);
  const checked = ctx.values[field.name] === true ? ' checked' : '';
  const text = uiText(field.checkboxText) ?? uiText(field.displayName) ?? field.name;
  return `<div class="checkbox-row"><input type="checkbox"${attr('id', id)}${bindAttr(ctx, field.name)}${checked}><label${attr('for', id)}>${escapeHtml(text)}</label>${helpButton(ctx, field)}</div>${helpBody(ctx, field)}${errorSlot([...ctx.bindPrefix, field.name])}`;
}

function renderRadio(ctx: Context, field: Parameter & { name: string }): string {
  const current = ctx.values[field.name];
  const groupName = `radio-${ctx.keys.get(field)}`;
  let html = label(ctx, field);
  html += `<div class="radio-list" role="radiogroup">`;
  (field.radioItems ?? []).forEach((item, i) => {
    if (!item) return;
    const id = `${idFor(ctx, field)}-${i}`;
    const checked = item.value === current ? ' checked' : '';
    html += `<div class="radio-item"><div class="radio-row"><input type="radio"${attr('id', id)}${attr('name', groupName)}${attr('value', `i:${i}`)}${bindAttr(ctx, field.name)}${checked}><label${attr('for', id)}>${escapeHtml(itemLabel(item))}</label>${textSpan('item-help', item.help)}</div>`;
    if (Array.isArray(item.subParams) && item.subParams.length)
      html += `<div class="nested">${renderFields(ctx, item.subParams)}</div>`;
    html += `</div>`;
  });
  return html + `</div>${errorSlot([...ctx.bindPrefix, field.name])}`;
}

/** A table field: its label, one row per value with remove (and edit) buttons, "Add row", errors. */
function renderTable(
  ctx: Context,
  field: Parameter & { name: string },
  kind: 'simple' | 'param',
  headers: string[],
  cells: (row: TableRow, r: number) => string[],
): string {
  const rows = Array.isArray(ctx.values[field.name]) ? (ctx.values[field.name] as TableRow[]) : [];
  let html = label(ctx, field);
  if (rows.length) {
    html += `<table class="${kind}-table"><thead><tr>`;
    for (const h of headers) html += `<th>${escapeHtml(h)}</th>`;
    html += `<th class="row-actions"></th></tr></thead><tbody>`;
    rows.forEach((row, r) => {
      const rowPath = JSON.stringify([...ctx.bindPrefix, field.name, r]);
      const edit =
        kind === 'param'
          ? `<button type="button" class="edit-row" title="Edit row"${attr('data-edit-row', rowPath)}>✎</button>`
          : '';
      html += `<tr>${cells(row ?? {}, r)
        .map((cell) => `<td>${cell}</td>`)
        .join(
          '',
        )}<td class="row-actions">${edit}<button type="button" class="remove-row" title="Remove row"${attr('data-remove-row', rowPath)}>✕</button></td></tr>`;
    });
    html += `</tbody></table>`;
  } else {
    const notSet = uiText(field.notSetText);
    if (notSet) html += `<div class="not-set">${escapeHtml(notSet)}</div>`;
  }
  const add = `<button type="button" class="add-row"${attr('data-add-row', JSON.stringify([...ctx.bindPrefix, field.name]))}${attr('data-table-kind', kind)}>${escapeHtml(uiText(field.newRowButtonText) || 'Add Row')}</button>`;
  return `${html}<div class="table-actions">${add}</div>${errorSlot([...ctx.bindPrefix, field.name])}`;
}

function renderSimpleTable(ctx: Context, field: Parameter & { name: string }): string {
  const columns = (field.simpleTableColumns ?? []).filter(
    (c): c is SimpleTableColumn => !!c && typeof c.name === 'string',
  );
  return renderTable(
    ctx,
    field,
    'simple',
    columns.map((c) => uiText(c.displayName) ?? c.name),
    (row, r) =>
      columns.map((c) => {
        const path: BindPath = [field.name, r, c.name];
        const common = `${bindAttr(ctx, ...path)}${attr('aria-label', uiText(c.displayName) ?? c.name)}`;
        const input =
          c.type === 'SELECT'
            ? `<select class="select-input"${common}>${selectOptions(c.selectItems ?? [], row[c.name], { variables: c.macrosInSelect ? ctx.variables : undefined })}</select>`
            : `<input type="text" class="text-input"${common}${attr('value', row[c.name] ?? '')}${placeholder(c.valueHint)}>`;
        return input + errorSlot([...ctx.bindPrefix, ...path]);
      }),
  );
}

/** How one PARAM_TABLE cell reads in the row list. */
function cellSummary(param: Parameter, value: unknown): string {
  if (param.type === 'CHECKBOX') return value === true ? 'true' : 'false';
  const items =
    param.type === 'SELECT' ? param.selectItems : param.type === 'RADIO' ? param.radioItems : undefined;
  const item = items?.find((it) => it && it.value === value);
  if (item) return itemLabel(item);
  if (Array.isArray(value)) return `${value.length} row${value.length === 1 ? '' : 's'}`;
  return String(value ?? '');
}

function renderParamTable(ctx: Context, field: Parameter & { name: string }): string {
  const columns = paramTableFields(field).filter(holdsValue);
  return renderTable(
    ctx,
    field,
    'param',
    columns.map((c) => uiText(c.displayName) ?? c.name),
    (row, r) =>
      columns.map(
        (c) =>
          escapeHtml(cellSummary(c, row[c.name])) + errorSlot([...ctx.bindPrefix, field.name, r, c.name]),
      ),
  );
}

function groupOpen(field: Parameter, values: FormValues): boolean {
  if (field.groupStyle === 'ZIPPY_OPEN') return true;
  if (field.groupStyle === 'ZIPPY_CLOSED') return false;
  // ZIPPY_OPEN_ON_PARAM: open when a field inside holds something other than its default.
  for (const { field: inner } of walkFields(field.subParams ?? [])) {
    if (holdsValue(inner) && isChanged(inner, values[inner.name])) return true;
  }
  return false;
}

function renderGroup(ctx: Context, field: Parameter): string {
  const body = `<div class="group-body">${helpBody(ctx, field)}${renderFields(ctx, field.subParams ?? [])}</div>`;
  const title = `<span class="group-title">${escapeHtml(uiText(field.displayName) ?? '')}</span>${helpButton(ctx, field)}`;
  if (!field.groupStyle || field.groupStyle === 'NO_ZIPPY')
    return `<section class="group plain"><div class="group-head">${title}</div>${body}</section>`;
  return `<details class="group zippy"${groupOpen(field, ctx.values) ? ' open' : ''}><summary class="group-head">${title}</summary>${body}</details>`;
}

function renderField(ctx: Context, field: Parameter): string {
  const key = ctx.keys.get(field) ?? '';
  const type = String(field.type);
  let inner: string;
  if (type === 'GROUP') inner = renderGroup(ctx, field);
  else if (type === 'LABEL') {
    const text = uiText(field.displayName) ?? '';
    inner = `<div class="label-field"${attr('data-html', text)}>${escapeHtml(text)}</div>`;
  } else if (!holdsValue(field))
    inner = `<div class="unsupported">A ${escapeHtml(type)} field without a name: GTM cannot show it.</div>`;
  else if (type === 'TEXT') inner = renderText(ctx, field);
  else if (type === 'SELECT') inner = renderSelect(ctx, field);
  else if (type === 'CHECKBOX') inner = renderCheckbox(ctx, field);
  else if (type === 'RADIO') inner = renderRadio(ctx, field);
  else if (type === 'SIMPLE_TABLE') inner = renderSimpleTable(ctx, field);
  else inner = renderParamTable(ctx, field);
  // Nested fields of a TEXT, SELECT or CHECKBOX sit indented below it (RADIO items nest their own).
  if (type !== 'GROUP' && type !== 'RADIO' && Array.isArray(field.subParams) && field.subParams.length)
    inner += `<div class="nested">${renderFields(ctx, field.subParams)}</div>`;
  return `<div class="field field-${type.toLowerCase()}"${attr('data-key', key)}${field.name ? attr('data-name', field.name) : ''}>${inner}</div>`;
}

function renderFields(ctx: Context, fields: readonly Parameter[]): string {
  return fields
    .filter((f) => f && typeof f === 'object')
    .map((f) => renderField(ctx, f))
    .join('');
}

/** The whole form (or, with `bindPrefix`/`keyPrefix`, one PARAM_TABLE row's fields). */
export function renderForm(
  params: readonly Parameter[],
  values: FormValues,
  options: RenderOptions = {},
): string {
  const ctx: Context = {
    keys: fieldKeys(params, options.keyPrefix),
    values,
    variables: options.variables ?? [],
    bindPrefix: options.bindPrefix ?? [],
  };
  return renderFields(ctx, params);
}
