// Stage 7b: the Template from the stages' outputs. INFO is written in the editor's key order; the
// NOTES text comes from template.json (never a timestamp), so the same sources give the same bytes.

import type { Parameter, Permission, Template, TemplateTests } from '../tpl/model.js';
import { TERMS_OF_SERVICE_TEXT, emptyTemplate } from '../tpl/model.js';
import type { ProjectConfig, ProjectSources } from './project.js';
import { normalize } from './project.js';

const ICON_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  svg: 'image/svg+xml',
};

/** The brand icon as the data: URI GTM stores in INFO brand.thumbnail ('' without an icon). */
export function iconDataUri(sources: ProjectSources, icon: string | undefined): string {
  if (!icon) return '';
  const bytes = sources.files.get(normalize(icon));
  if (bytes === undefined) return '';
  const ext = icon.split('.').pop()!.toLowerCase();
  const mime = ICON_TYPES[ext] ?? 'image/png';
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
  return `data:${mime};base64,${buffer.toString('base64')}`;
}

export interface AssembleInput {
  config: ProjectConfig;
  sources: ProjectSources;
  parameters: Parameter[];
  code: string;
  permissions: Permission[];
  tests?: TemplateTests;
}

export function assembleTemplate(input: AssembleInput): Template {
  const { config } = input;
  const template = emptyTemplate(config.context);
  if (config.termsOfService) template.termsOfService = TERMS_OF_SERVICE_TEXT;
  template.info = {
    type: config.type,
    id: 'cvt_temp_public_id',
    version: 1,
    securityGroups: [],
    displayName: config.displayName,
    ...(config.categories ? { categories: config.categories } : {}),
    brand: {
      id: config.brand.id ?? 'brand_dummy',
      displayName: config.brand.displayName,
      thumbnail: iconDataUri(input.sources, config.brand.icon),
    },
    description: config.description,
    containerContexts: [config.context],
  };
  template.parameters = input.parameters;
  template.code = input.code;
  template.permissions = input.permissions;
  if (input.tests) template.tests = input.tests;
  if (config.notes) template.notes = config.notes;
  return template;
}
