// Does an imported project build back into an equivalent template? `roundTrip(template)` imports
// it, compiles the project from memory and compares the rebuilt template with the original:
//   - the build succeeds (zero errors, the checker included);
//   - the form is equivalent: the same fields with the same names, types, nesting, conditions,
//     validators, options, labels and defaults (`compareForms`; the few spellings GTM treats as the
//     same are listed in `normalizeField`);
//   - the permissions are equal, or narrower with the reason listed (`comparePermissions`), the
//     original's as GTM holds them (with the permissions GTM detects in its code);
//   - every scenario that passed before still passes.
// The same function backs the import command's report, the corpus test and the benchmark.

import path from 'node:path';
import { check } from '../check/index.js';
import { compileSources } from '../compile/index.js';
import type { Diagnostic } from '../diagnostics.js';
import { permissionId, permissionParams, type PlainValue } from '../gtm/typed-value.js';
import { gtmDefaultParams } from '../gtm/permissions.js';
import { runTests } from '../sandbox/index.js';
import { detectedPermissions } from '../sandbox/permissions.js';
import type { ScenarioResult } from '../sandbox/index.js';
import type { Parameter, Permission, Template } from '../tpl/model.js';
import { canonical } from './config.js';
import { columnKeys, fieldKeys } from '../gtm/form-fields.js';
import { importTemplate, type ImportNote } from './index.js';

export interface RoundTrip {
  /** The import's own notes (what was left out or changed, and why). */
  notes: ImportNote[];
  /** Why the template could not be imported at all. */
  importError?: string;
  buildErrors: Diagnostic[];
  buildWarnings: Diagnostic[];
  /**
   * When the build fails: the errors `check` finds in the original file itself. The build checks
   * what it makes, so a fault of the original (a call its permissions do not allow, a regex
   * literal) stops the rebuilt project too, under the compiler's code for it.
   */
  originalErrors: Diagnostic[];
  /** Differences between the original form and the rebuilt one, one line each. */
  formDifferences: string[];
  /** Permissions the rebuilt template lacks or allows less of (with why), and any it allows more of. */
  permissions: { narrower: string[]; wider: string[] };
  /** Names of scenarios that passed on the original and do not on the rebuilt template. */
  scenarioRegressions: string[];
  scenariosPassedBefore: number;
  /** Every check passed. */
  complete: boolean;
  rebuilt?: Template;
}

const VALUE_TYPES = new Set(['TEXT', 'SELECT', 'CHECKBOX', 'RADIO']);

/**
 * A field as GTM reads it, for comparison: only the keys GTM's field format has; and the spellings
 * the editor treats alike made one: `simpleValueType` (the editor always writes true),
 * `macrosInSelect` absent or false, empty lists (`subParams`, `enablingConditions`,
 * `valueValidators`, a drop-down's options) and absent ones, a PRESENT condition's `paramValue`
 * (it compares nothing), a simple table column's empty default and a false `isUnique`, options on a
 * column that is not a drop-down (GTM shows a text input).
 */
export function normalizeField(p: Parameter): Record<string, unknown> {
  const type = String(p.type);
  const out: Record<string, unknown> = {};
  for (const key of fieldKeys(type)) if (p[key] !== undefined) out[key] = p[key];
  if (VALUE_TYPES.has(type)) out.simpleValueType = true;
  if (type === 'SELECT' && out.macrosInSelect === false) delete out.macrosInSelect;
  if (type === 'SELECT') out.selectItems ??= [];
  const conditions = (list: unknown) =>
    Array.isArray(list) && list.length
      ? list.map((c) => {
          const { paramValue, ...rest } = c as Record<string, unknown>;
          return rest.type === 'PRESENT' ? rest : { ...rest, paramValue };
        })
      : undefined;
  out.enablingConditions = conditions(p.enablingConditions);
  out.valueValidators =
    Array.isArray(p.valueValidators) && p.valueValidators.length
      ? p.valueValidators.map((v) => {
          const copy: Record<string, unknown> = { ...v };
          copy.enablingConditions = conditions(v.enablingConditions);
          if (copy.enablingConditions === undefined) delete copy.enablingConditions;
          return copy;
        })
      : undefined;
  if (p.subParams?.length || type === 'GROUP') out.subParams = (p.subParams ?? []).map(normalizeField);
  else delete out.subParams;
  for (const key of ['selectItems', 'radioItems'] as const) {
    if (!Array.isArray(p[key])) continue;
    out[key] = p[key]!.map((item) => {
      const copy: Record<string, unknown> = { value: item.value, displayValue: item.displayValue };
      if (item.help !== undefined) copy.help = item.help;
      if (item.subParams?.length) copy.subParams = item.subParams.map(normalizeField);
      return copy;
    });
  }
  if (Array.isArray(p.simpleTableColumns)) {
    out.simpleTableColumns = p.simpleTableColumns.map((column) => {
      const c: Record<string, unknown> = {};
      for (const key of columnKeys(String(column.type))) if (column[key] !== undefined) c[key] = column[key];
      if (column.type === 'SELECT') c.selectItems ??= [];
      if (c.defaultValue === undefined) c.defaultValue = '';
      if (c.macrosInSelect === false) delete c.macrosInSelect;
      if (c.isUnique === false) delete c.isUnique;
      if (Array.isArray(c.valueValidators) && c.valueValidators.length === 0) delete c.valueValidators;
      return c;
    });
  }
  if (Array.isArray(p.paramTableColumns))
    out.paramTableColumns = p.paramTableColumns.map((c) => ({
      param: normalizeField(c.param),
      isUnique: !!c.isUnique,
    }));
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'nothing' : text.length > 120 ? text.slice(0, 117) + '…' : text;
}

/** Differences between two normalized values, as `path: original → rebuilt` lines. */
function differences(a: unknown, b: unknown, where: string, out: string[]): void {
  if (canonical(a, false) === canonical(b, false)) return;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => {
      const name = (item as { name?: string })?.name;
      differences(item, b[i], `${where}[${name ?? i}]`, out);
    });
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of [...keys].sort())
      differences(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${where}.${key}`,
        out,
      );
    return;
  }
  out.push(`${where}: ${describe(a)} → ${describe(b)}`);
}

export function compareForms(original: Parameter[] | undefined, rebuilt: Parameter[] | undefined): string[] {
  const out: string[] = [];
  differences((original ?? []).map(normalizeField), (rebuilt ?? []).map(normalizeField), 'form', out);
  return out;
}

function byId(list: Permission[] | undefined): Map<string, Record<string, PlainValue>> {
  const out = new Map<string, Record<string, PlainValue>>();
  for (const p of list ?? []) {
    const id = permissionId(p);
    if (id) out.set(id, permissionParams(p));
  }
  return out;
}

/** Does `inner` allow no more than `outer` (lists as sets, everything else equal)? */
function within(inner: PlainValue | undefined, outer: PlainValue | undefined): boolean {
  if (Array.isArray(inner) && Array.isArray(outer)) {
    const allowed = new Set(outer.map((item) => canonical(item)));
    return inner.every((item) => allowed.has(canonical(item)));
  }
  return canonical(inner) === canonical(outer);
}

/**
 * `original` is compared as GTM holds it: `detected` (the permissions of the APIs its code
 * requires, src/sandbox/permissions.ts) that it does not declare are present with GTM's defaults,
 * as GTM adds them on import or save.
 */
export function comparePermissions(
  original: Permission[] | undefined,
  rebuilt: Permission[] | undefined,
  detected: Iterable<string> = [],
): RoundTrip['permissions'] {
  const before = byId(original);
  for (const id of detected) if (!before.has(id)) before.set(id, gtmDefaultParams(id));
  const after = byId(rebuilt);
  const narrower: string[] = [];
  const wider: string[] = [];
  for (const [id, params] of after) {
    const was = before.get(id);
    if (!was) {
      wider.push(`${id}: not declared by the original`);
      continue;
    }
    for (const key of new Set([...Object.keys(params), ...Object.keys(was)])) {
      if (canonical(params[key]) === canonical(was[key])) continue;
      if (params[key] !== undefined && within(params[key], was[key]))
        narrower.push(
          `${id}.${key}: ${describe(was[key])} → ${describe(params[key])} (only what the code uses)`,
        );
      else wider.push(`${id}.${key}: ${describe(was[key])} → ${describe(params[key])}`);
    }
  }
  for (const id of before.keys())
    if (!after.has(id)) narrower.push(`${id}: declared by the original, not needed by the rebuilt code`);
  return { narrower, wider };
}

function passed(results: ScenarioResult[]): Set<string> {
  return new Set(results.filter((r) => r.status === 'pass').map((r) => r.name));
}

function emptyRoundTrip(notes: ImportNote[]): RoundTrip {
  return {
    notes,
    buildErrors: [],
    buildWarnings: [],
    originalErrors: [],
    formDifferences: [],
    permissions: { narrower: [], wider: [] },
    scenarioRegressions: [],
    scenariosPassedBefore: 0,
    complete: false,
  };
}

/**
 * Builds the imported project's `files` (from memory, as if in `root`) and compares the rebuilt
 * template with the original `template`.
 */
export async function compareRebuilt(
  template: Template,
  files: Map<string, string | Uint8Array>,
  root: string,
  notes: ImportNote[] = [],
): Promise<RoundTrip> {
  const result = emptyRoundTrip(notes);
  const built = await compileSources({ root, files });
  result.buildErrors = built.errors;
  result.buildWarnings = built.warnings;
  if (!built.template || built.errors.length) {
    if (built.errors.length) result.originalErrors = check(template).filter((d) => d.severity === 'error');
    return result;
  }
  const rebuilt = built.template;
  result.rebuilt = rebuilt;
  result.formDifferences = compareForms(template.parameters, rebuilt.parameters);
  result.permissions = comparePermissions(
    template.permissions,
    rebuilt.permissions,
    detectedPermissions(template),
  );
  const before = passed(runTests(template));
  result.scenariosPassedBefore = before.size;
  if (before.size) {
    const after = passed(runTests(rebuilt));
    result.scenarioRegressions = [...before].filter((n) => !after.has(n));
  }
  result.complete =
    result.formDifferences.length === 0 &&
    result.permissions.wider.length === 0 &&
    result.scenarioRegressions.length === 0;
  return result;
}

/** Imports `template`, builds the project from memory and compares the result with the original. */
export async function roundTrip(template: Template, name = 'imported'): Promise<RoundTrip> {
  const root = path.resolve('gtm-template-import', name);
  const imported = importTemplate(template, { name, toolchainVersion: '*', root });
  if (!imported.files) return { ...emptyRoundTrip(imported.notes), importError: imported.error?.text };
  return compareRebuilt(template, imported.files, root, imported.notes);
}
