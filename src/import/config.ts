// `___INFO___`, the permissions and `___NOTES___` → `template.json` (and the brand icon as a file).
// Permissions: only what the compiler's inference does not give by itself is written, as
// overrides, so that the rebuilt template asks for exactly the permissions the original declared.

import { inferPermissions } from '../compile/permissions.js';
import type { PermissionOverrides } from '../compile/project.js';
import { describeGtmDefault, gtmDefaultParams } from '../gtm/permissions.js';
import { permissionId, permissionParams, type PlainValue } from '../gtm/typed-value.js';
import { findApiUsage } from '../js/api-usage.js';
import { parseSandboxJs } from '../js/parse.js';
import { isLocalisedText, type ContainerContext, type Permission, type Template } from '../tpl/model.js';
import { detectedPermissions } from '../sandbox/permissions.js';
import type { Notes } from './report.js';

const ICON_EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/svg+xml': 'svg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** INFO keys the compiler writes itself (with these values), and those template.json holds. */
const INFO_WRITTEN: Record<string, unknown> = { id: 'cvt_temp_public_id', version: 1 };
const INFO_CARRIED = new Set([
  'type',
  'displayName',
  'description',
  'categories',
  'brand',
  'containerContexts',
  'securityGroups',
]);

export interface ConfigResult {
  config: Record<string, unknown>;
  icon?: { file: string; bytes: Uint8Array };
}

/**
 * A canonical text of a plain value: keys sorted and, by default, lists as sets (GTM treats
 * permission lists as sets; a form's lists keep their order with `listsAsSets` false).
 */
export function canonical(value: unknown, listsAsSets = true): string {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v, listsAsSets));
    return `[${(listsAsSets ? items.sort() : items).join(',')}]`;
  }
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k], listsAsSets)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** The permissions the compiler infers from the code by itself (no overrides), by id. */
function inferredFrom(
  code: string | undefined,
  context: ContainerContext,
): Map<string, Record<string, PlainValue>> {
  const out = new Map<string, Record<string, PlainValue>>();
  const parsed = parseSandboxJs(code ?? '');
  if (!parsed.ok) return out;
  const { permissions } = inferPermissions(findApiUsage(parsed.program), {}, undefined, code, context);
  for (const p of permissions) out.set(permissionId(p)!, permissionParams(p));
  return out;
}

/** The overrides that make inference give back exactly `declared`. */
export function permissionOverrides(
  declared: Permission[] | undefined,
  code: string | undefined,
  context: ContainerContext,
  notes: Notes,
): PermissionOverrides {
  const overrides: PermissionOverrides = {};
  const inferred = inferredFrom(code, context);
  const section = context === 'SERVER' ? '___SERVER_PERMISSIONS___' : '___WEB_PERMISSIONS___';
  const seen = new Set<string>();
  for (const permission of declared ?? []) {
    const id = permissionId(permission);
    if (!id) {
      notes.add('import/permission', section, 'a permission without a publicId: left out');
      continue;
    }
    if (seen.has(id)) notes.add('import/permission', id, `'${id}' is declared twice: the last one is kept`);
    seen.add(id);
    const params = permissionParams(permission);
    const raw = permission.instance?.param ?? [];
    if (Array.isArray(raw) && raw.length !== Object.keys(params).length)
      notes.add('import/permission', id, "a parameter whose value is not in GTM's typed encoding: left out");
    const same = inferred.has(id) && canonical(inferred.get(id)) === canonical(params);
    if (!same) overrides[id] = params;
  }
  // A permission the code needs and the file lacks: GTM adds it with its default configuration when
  // it imports the file (src/sandbox/permissions.ts), so the project declares that configuration.
  for (const id of detectedPermissions({ code, context })) {
    if (seen.has(id)) continue;
    const params = gtmDefaultParams(id);
    notes.add(
      'import/detected-permission',
      id,
      `the code needs '${id}', which the template does not declare: GTM adds it with its default configuration (${describeGtmDefault(id)}), and so does template.json`,
    );
    const same = inferred.has(id) && canonical(inferred.get(id)) === canonical(params);
    if (!same) overrides[id] = params;
  }
  return overrides;
}

/** The template's type as a project can build it: a CLIENT only in a server container. */
export function templateType(template: Template): 'TAG' | 'MACRO' | 'CLIENT' {
  const type = template.info?.type;
  if (type === 'MACRO') return 'MACRO';
  if (type === 'CLIENT' && template.context === 'SERVER') return 'CLIENT';
  return 'TAG';
}

/** `template.json` from the template's INFO, terms of service, notes and permissions. */
export function configFor(template: Template, notes: Notes): ConfigResult {
  const info = template.info ?? {};
  for (const [key, value] of Object.entries(info)) {
    if (key in INFO_WRITTEN) {
      if (value !== INFO_WRITTEN[key])
        notes.add(
          'import/info',
          `___INFO___.${key}`,
          `${JSON.stringify(value)} becomes ${JSON.stringify(INFO_WRITTEN[key])}, as GTM's editor writes on import`,
        );
    } else if (!INFO_CARRIED.has(key)) {
      notes.add('import/info', `___INFO___.${key}`, `'${key}' is not part of GTM's template info: left out`);
    }
  }
  if (Array.isArray(info.securityGroups) && info.securityGroups.length)
    notes.add(
      'import/info',
      '___INFO___.securityGroups',
      'the security groups are left out (the compiler writes [])',
    );
  const config: Record<string, unknown> = {
    displayName:
      (typeof info.displayName === 'string' && info.displayName) || isLocalisedText(info.displayName)
        ? info.displayName
        : 'Imported template',
    description:
      typeof info.description === 'string' || isLocalisedText(info.description) ? info.description : '',
    type: templateType(template),
    context: template.context,
  };
  if (info.type !== config.type)
    notes.add(
      'import/info',
      '___INFO___.type',
      `type ${JSON.stringify(info.type)} is built as a ${config.type}`,
    );
  if (Array.isArray(info.categories)) {
    const valid = info.categories.filter((c) => typeof c === 'string' && /^[A-Z_]+$/.test(c));
    const unique = [...new Set(valid)];
    if (unique.length !== info.categories.length)
      notes.add(
        'import/info',
        '___INFO___.categories',
        'categories that are not GTM category names, or repeated, are left out',
      );
    config.categories = unique;
  }
  const brand = (info.brand ?? {}) as Record<string, unknown>;
  const outBrand: Record<string, unknown> = {
    displayName: typeof brand.displayName === 'string' ? brand.displayName : '',
  };
  if (typeof brand.id === 'string' && brand.id !== 'brand_dummy') outBrand.id = brand.id;
  let icon: ConfigResult['icon'];
  const thumbnail = brand.thumbnail;
  if (typeof thumbnail === 'string' && thumbnail) {
    const m = /^data:([\w.+/-]+);base64,([A-Za-z0-9+/=\s]*)$/.exec(thumbnail);
    const ext = m ? ICON_EXTENSIONS[m[1]!.toLowerCase()] : undefined;
    if (m && ext) {
      icon = { file: `icon.${ext}`, bytes: new Uint8Array(Buffer.from(m[2]!, 'base64')) };
      outBrand.icon = icon.file;
    } else
      notes.add(
        'import/icon',
        '___INFO___.brand.thumbnail',
        'the thumbnail is not a base64 png, jpeg, svg, gif or webp data URI: left out',
      );
  }
  for (const key of Object.keys(brand))
    if (!['displayName', 'id', 'thumbnail'].includes(key))
      notes.add(
        'import/info',
        `___INFO___.brand.${key}`,
        `'${key}' is not part of GTM's brand info: left out`,
      );
  config.brand = outBrand;
  if (template.termsOfService !== undefined) config.termsOfService = true;
  config.fields = { file: 'src/fields.ts', type: 'Fields' };
  config.main = 'src/main.ts';
  config.tests = 'tests';
  const overrides = permissionOverrides(template.permissions, template.code, template.context, notes);
  if (Object.keys(overrides).length) config.permissions = overrides;
  if (template.notes !== undefined) config.notes = template.notes;
  for (const name of Object.keys(template.unknownSections))
    notes.add(
      'import/section',
      `___${name}___`,
      `the section ___${name}___ is not part of GTM's format: left out`,
    );
  return { config, icon };
}
