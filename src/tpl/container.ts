// A GTM container export (`exportFormatVersion: 2`, format notes §6) holding one custom template
// and a recipe: the variables, triggers and tags that use it, ready for Admin → Import Container
// (Merge). The output is deterministic: fixed placeholder ids, a fixed export time, no fingerprints
// from a clock. Where real exports differ from what import strictly needs, it looks like them: an
// `exportTime`, the built-in `Event` variable the recipe's custom-event triggers read ({{_event}}),
// and non-zero account and container ids (real ones are never 0), the same in every entity.

import type { Parameter, Template } from './model.js';

/** Every parameter of the form, depth first: GTM flattens groups and nested fields into one namespace. */
export function flattenParameters(parameters: readonly Parameter[]): Parameter[] {
  const out: Parameter[] = [];
  const walk = (list: readonly Parameter[] | undefined) => {
    for (const p of list ?? []) {
      out.push(p);
      walk(p.subParams);
      for (const item of [...(p.selectItems ?? []), ...(p.radioItems ?? [])]) walk(item.subParams);
    }
  };
  walk(parameters);
  return out;
}

/** The built-in "All Pages" trigger: it has no entry of its own in exports. */
export const ALL_PAGES_TRIGGER_ID = '2147479553';

/**
 * A tag of the recipe, as GTM exports tags (`parameter`, `firingTriggerId`, …) without the
 * account/container ids and without `type` (the compiler sets `cvt_<containerId>_<templateId>`).
 * Shorthands: `parameters` (values by field name, encoded from the template's field types) and
 * `firingTriggers` (trigger names, or 'All Pages').
 */
export interface RecipeTag {
  name: string;
  tagId?: string;
  parameter?: ContainerParameter[];
  parameters?: Record<string, unknown>;
  firingTriggerId?: string[];
  firingTriggers?: string[];
  tagFiringOption?: 'ONCE_PER_EVENT' | 'ONCE_PER_LOAD' | 'UNLIMITED';
  [key: string]: unknown;
}

/** A trigger or variable as GTM exports it (type, parameter, filters…), minus the account ids. */
export interface RecipeEntity {
  name: string;
  type: string;
  [key: string]: unknown;
}

/** `recipe.json`: the entities of a container export that use the template (`tags` etc. also accepted). */
export interface ContainerRecipe {
  containerName?: string;
  variable?: RecipeEntity[];
  trigger?: RecipeEntity[];
  tag?: RecipeTag[];
  variables?: RecipeEntity[];
  triggers?: RecipeEntity[];
  tags?: RecipeTag[];
}

export interface ContainerIds {
  accountId: string;
  containerId: string;
  templateId: string;
}

/** Placeholders in the shape of real ids (10 and 9 digits); GTM assigns its own on import. */
export const DEFAULT_IDS: ContainerIds = {
  accountId: '1000000001',
  containerId: '100000001',
  templateId: '1',
};

/** A fixed `exportTime` in the export's own format, so the same sources give the same bytes. */
export const EXPORT_TIME = '2024-01-01 00:00:00';

/** Built-in variables the export enables: `Event` ({{_event}}), which custom-event triggers read. */
export const BUILT_IN_VARIABLES = [{ type: 'EVENT', name: 'Event' }] as const;

export interface ContainerParameter {
  type: 'TEMPLATE' | 'BOOLEAN' | 'INTEGER' | 'LIST' | 'MAP';
  key?: string;
  value?: string;
  list?: ContainerParameter[];
  map?: ContainerParameter[];
}

function scalarParameter(
  field: Parameter | undefined,
  key: string | undefined,
  value: unknown,
): ContainerParameter {
  const items = field?.selectItems ?? field?.radioItems;
  const type =
    field?.type === 'CHECKBOX' || typeof value === 'boolean'
      ? 'BOOLEAN'
      : items?.some((i) => typeof i.value === 'number')
        ? 'INTEGER'
        : 'TEMPLATE';
  const p: ContainerParameter = { type };
  if (key !== undefined) p.key = key;
  p.value = String(value);
  return p;
}

/**
 * One tag parameter in the export's encoding: checkbox → BOOLEAN, numeric select → INTEGER,
 * table → LIST of MAP, anything else → TEMPLATE; `value` is always a string.
 */
export function containerParameter(
  field: Parameter | undefined,
  key: string,
  value: unknown,
): ContainerParameter {
  if (Array.isArray(value)) {
    const columns = new Map<string, Parameter>();
    for (const c of field?.simpleTableColumns ?? []) columns.set(c.name, c as unknown as Parameter);
    for (const c of field?.paramTableColumns ?? []) if (c.param.name) columns.set(c.param.name, c.param);
    return {
      type: 'LIST',
      key,
      list: value.map((row) => ({
        type: 'MAP',
        map: Object.entries(row as Record<string, unknown>).map(([k, v]) =>
          scalarParameter(columns.get(k), k, v),
        ),
      })),
    };
  }
  return scalarParameter(field, key, value);
}

export interface ContainerResult {
  container?: Record<string, unknown>;
  errors: string[];
}

/** The container export for `templateText` (the printed .tpl) and the recipe. */
export function containerJson(
  template: Template,
  templateText: string,
  recipe: ContainerRecipe,
  ids: ContainerIds = DEFAULT_IDS,
): ContainerResult {
  const errors: string[] = [];
  const { accountId, containerId, templateId } = ids;
  const fields = new Map(flattenParameters(template.parameters ?? []).map((p) => [p.name!, p]));
  const variables = recipe.variable ?? recipe.variables ?? [];
  const triggers = recipe.trigger ?? recipe.triggers ?? [];
  const tags = recipe.tag ?? recipe.tags ?? [];
  // Ids the recipe gives are kept; missing ones continue after the largest.
  let nextId =
    1 +
    Math.max(
      0,
      ...[
        ...variables.map((v) => v.variableId),
        ...triggers.map((t) => t.triggerId),
        ...tags.map((t) => t.tagId),
      ]
        .map(Number)
        .filter(Number.isFinite),
    );
  const idOf = (given: unknown) => (typeof given === 'string' && given ? given : String(nextId++));
  const variable = variables.map((v) => ({
    accountId,
    containerId,
    ...v,
    variableId: idOf(v.variableId),
    fingerprint: '0',
  }));
  const triggerIds = new Map<string, string>([['All Pages', ALL_PAGES_TRIGGER_ID]]);
  const trigger = triggers.map((t) => {
    const triggerId = idOf(t.triggerId);
    triggerIds.set(t.name, triggerId);
    return { accountId, containerId, ...t, triggerId, fingerprint: '0' };
  });
  const tag = tags.map((t) => {
    const { parameters, firingTriggers, parameter: given, ...rest } = t;
    const parameter: ContainerParameter[] = [...(given ?? [])];
    for (const [key, value] of Object.entries(parameters ?? {})) {
      parameter.push(containerParameter(fields.get(key), key, value));
    }
    for (const p of parameter) {
      const field = p.key === undefined ? undefined : fields.get(p.key);
      if (!field || field.type === 'GROUP' || field.type === 'LABEL')
        errors.push(`recipe tag '${t.name}': '${p.key}' is not a field of the template`);
    }
    const firingTriggerId =
      t.firingTriggerId ??
      (firingTriggers ?? ['All Pages']).map((name) => {
        const id = triggerIds.get(name);
        if (!id)
          errors.push(
            `recipe tag '${t.name}': no trigger named '${name}' (define it in triggers, or use 'All Pages')`,
          );
        return id ?? ALL_PAGES_TRIGGER_ID;
      });
    return {
      accountId,
      containerId,
      ...rest,
      tagId: idOf(t.tagId),
      name: t.name,
      type: `cvt_${containerId}_${templateId}`,
      parameter,
      fingerprint: '0',
      firingTriggerId,
      tagFiringOption: t.tagFiringOption ?? 'ONCE_PER_EVENT',
      monitoringMetadata: { type: 'MAP' },
      consentSettings: { consentStatus: 'NOT_SET' },
    };
  });
  for (const t of tag)
    for (const id of t.firingTriggerId)
      if (id !== ALL_PAGES_TRIGGER_ID && !trigger.some((x) => x.triggerId === id))
        errors.push(`recipe tag '${t.name}': firing trigger id ${id} is not defined in the recipe`);
  const path = `accounts/${accountId}/containers/${containerId}`;
  const container = {
    exportFormatVersion: 2,
    exportTime: EXPORT_TIME,
    containerVersion: {
      path: `${path}/versions/0`,
      accountId,
      containerId,
      containerVersionId: '0',
      container: {
        path,
        accountId,
        containerId,
        name: recipe.containerName ?? template.info?.displayName ?? 'Template',
        publicId: 'GTM-XXXXXXX',
        usageContext: ['WEB'],
        fingerprint: '0',
        features: { supportTemplates: true },
      },
      tag,
      trigger,
      variable,
      builtInVariable: BUILT_IN_VARIABLES.map((b) => ({ accountId, containerId, ...b })),
      fingerprint: '0',
      customTemplate: [
        {
          accountId,
          containerId,
          templateId,
          name: template.info?.displayName ?? 'Template',
          fingerprint: '0',
          templateData: templateText.replace(/^\uFEFF/, ''),
        },
      ],
    },
  };
  return { container, errors };
}

/** Structural problems of a container export (format notes §6 and §10), as sentences. */
export function containerProblems(value: unknown): string[] {
  const problems: string[] = [];
  const v = value as Record<string, any>;
  if (!v || typeof v !== 'object') return ['not a JSON object'];
  if (v.exportFormatVersion !== 2) problems.push('exportFormatVersion must be 2');
  const cv = v.containerVersion;
  if (!cv || typeof cv !== 'object') return [...problems, 'containerVersion is missing'];
  const templates: any[] = Array.isArray(cv.customTemplate) ? cv.customTemplate : [];
  const entities: [string, any][] = [
    ['container', cv.container],
    ...['tag', 'trigger', 'variable', 'builtInVariable', 'customTemplate'].flatMap((kind) =>
      (Array.isArray(cv[kind]) ? cv[kind] : []).map((e: any): [string, any] => [`${kind} '${e?.name}'`, e]),
    ),
  ];
  for (const [where, e] of entities) {
    if (!e || typeof e !== 'object') continue;
    if ('accountId' in e && e.accountId !== cv.accountId) problems.push(`${where} has another accountId`);
    if ('containerId' in e && e.containerId !== cv.containerId && !where.startsWith('customTemplate'))
      problems.push(`${where} has another containerId`);
  }
  for (const t of templates) {
    if (typeof t.templateId !== 'string' || typeof t.templateData !== 'string')
      problems.push('every customTemplate needs a string templateId and templateData');
    if (t.containerId !== cv.containerId)
      problems.push(`customTemplate ${t.templateId} has another containerId`);
  }
  const PARAM_TYPES = ['TEMPLATE', 'BOOLEAN', 'INTEGER', 'LIST', 'MAP', 'TRIGGER_REFERENCE', 'TAG_REFERENCE'];
  const checkParam = (p: any, where: string) => {
    if (!PARAM_TYPES.includes(p?.type))
      problems.push(`${where}: parameter type '${p?.type}' is not one of ${PARAM_TYPES.join(', ')}`);
    if ('value' in (p ?? {}) && typeof p.value !== 'string')
      problems.push(`${where}: parameter '${p.key}' value must be a string`);
    for (const child of p?.list ?? []) {
      if (child?.type !== 'MAP' && p.type === 'LIST' && child?.type === undefined)
        problems.push(`${where}: list items need a type`);
      checkParam(child, where);
    }
    for (const child of p?.map ?? []) checkParam(child, where);
  };
  const triggerIds = new Set((cv.trigger ?? []).map((t: any) => t.triggerId));
  triggerIds.add(ALL_PAGES_TRIGGER_ID);
  for (const tag of cv.tag ?? []) {
    const where = `tag '${tag.name}'`;
    const m = /^cvt_(\d+)_(\d+)$/.exec(tag.type ?? '');
    if (m) {
      if (!templates.some((t) => t.containerId === m[1] && t.templateId === m[2]))
        problems.push(
          `${where}: type ${tag.type} has no customTemplate with containerId ${m[1]} and templateId ${m[2]}`,
        );
    } else if (/^cvt_/.test(tag.type ?? '')) {
      const gallery = tag.type.slice(4);
      if (!templates.some((t) => t.galleryReference?.galleryTemplateId === gallery))
        problems.push(`${where}: type ${tag.type} has no customTemplate with that galleryTemplateId`);
    }
    for (const p of tag.parameter ?? []) checkParam(p, where);
    for (const id of tag.firingTriggerId ?? [])
      if (!triggerIds.has(id)) problems.push(`${where}: firing trigger ${id} does not exist`);
  }
  return problems;
}
