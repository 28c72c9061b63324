// A template project: its files (read once, at the edge) and its `template.json`, validated with a
// JSON Schema so a mistake names the key. Every later stage reads the project from `ProjectSources`,
// never from disk, so a project can be compiled from memory (tests do).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import type { Diagnostic } from '../diagnostics.js';
import { TEMPLATE_TYPES, type LocalisedText } from '../tpl/model.js';

export interface ProjectSources {
  /** Absolute directory of the project: module resolution and the esbuild/TypeScript hosts use it. */
  root: string;
  /** The project's files by path relative to `root` ('/'-separated): text, or bytes (the icon). */
  files: Map<string, string | Uint8Array>;
}

export interface PermissionOverrides {
  [publicId: string]: { [param: string]: unknown };
}

/** The container a template runs in: a web page or a server container (sGTM). */
export type ProjectContext = 'WEB' | 'SERVER';

/** TAG and MACRO (a variable) exist in both contexts; a CLIENT only in a server container. */
export type TemplateType = 'TAG' | 'MACRO' | 'CLIENT';

export interface ProjectConfig {
  displayName: LocalisedText;
  description: LocalisedText;
  type: TemplateType;
  /** Defaults to WEB when template.json leaves it out. */
  context: ProjectContext;
  categories?: string[];
  brand: { displayName: string; icon?: string; id?: string };
  termsOfService?: boolean;
  fields: { file: string; type: string };
  main: string;
  tests?: string;
  gallery?: {
    homepage: string;
    documentation?: string;
    versions: { sha: string; changeNotes: string }[];
  };
  permissions?: PermissionOverrides;
  notes?: string;
  containerName?: string;
}

/** A localised text, as GTM keeps it: the default `text` and its translations. */
const LOCALISED_TEXT = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: {
    text: { type: 'string' },
    translations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['locale', 'text'],
        properties: { locale: { type: 'string' }, text: { type: 'string' } },
      },
    },
  },
};

const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['displayName', 'description', 'type', 'brand', 'fields', 'main'],
  properties: {
    $schema: { type: 'string' },
    displayName: { anyOf: [{ type: 'string', minLength: 1 }, LOCALISED_TEXT] },
    description: { anyOf: [{ type: 'string' }, LOCALISED_TEXT] },
    type: { enum: [...TEMPLATE_TYPES] },
    context: { enum: ['WEB', 'SERVER'] },
    categories: { type: 'array', items: { type: 'string', pattern: '^[A-Z_]+$' }, uniqueItems: true },
    brand: {
      type: 'object',
      additionalProperties: false,
      required: ['displayName'],
      properties: { displayName: { type: 'string' }, icon: { type: 'string' }, id: { type: 'string' } },
    },
    termsOfService: { type: 'boolean' },
    fields: {
      type: 'object',
      additionalProperties: false,
      required: ['file', 'type'],
      properties: { file: { type: 'string' }, type: { type: 'string', pattern: '^[A-Za-z_$][\\w$]*$' } },
    },
    main: { type: 'string' },
    tests: { type: 'string' },
    gallery: {
      type: 'object',
      additionalProperties: false,
      required: ['homepage', 'versions'],
      properties: {
        homepage: { type: 'string' },
        documentation: { type: 'string' },
        versions: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['sha', 'changeNotes'],
            properties: {
              sha: { type: 'string', pattern: '^[0-9a-f]{40}$' },
              changeNotes: { type: 'string' },
            },
          },
        },
      },
    },
    permissions: { type: 'object', additionalProperties: { type: 'object' } },
    notes: { type: 'string' },
    containerName: { type: 'string' },
  },
} as const;

let validateConfig: ReturnType<Ajv['compile']> | undefined;

export const CONFIG_FILE = 'template.json';
export const RECIPE_FILE = 'recipe.json';

function configError(text: string, line = 1, column = 1): Diagnostic {
  return { code: 'project/bad-config', severity: 'error', text, file: CONFIG_FILE, line, column };
}

/** Reads and validates `template.json`; problems come back as diagnostics naming the key. */
export function loadConfig(sources: ProjectSources): { config?: ProjectConfig; errors: Diagnostic[] } {
  const text = sources.files.get(CONFIG_FILE);
  if (typeof text !== 'string') {
    return {
      errors: [
        {
          code: 'project/no-config',
          severity: 'error',
          text: `no ${CONFIG_FILE} in ${sources.root}: a template project needs one (see docs/template-project.md)`,
          file: CONFIG_FILE,
          line: 1,
          column: 1,
        },
      ],
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { errors: [configError(`${CONFIG_FILE} is not valid JSON: ${(err as Error).message}`)] };
  }
  validateConfig ??= new Ajv({ allErrors: true }).compile(CONFIG_SCHEMA);
  if (!validateConfig(value)) {
    const errors = (validateConfig.errors ?? []).map((e) => {
      const key = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(top level)';
      const extra =
        e.keyword === 'additionalProperties'
          ? `: unknown key '${(e.params as { additionalProperty: string }).additionalProperty}'`
          : e.keyword === 'enum'
            ? `: one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
            : '';
      return configError(`${CONFIG_FILE}: ${key} ${e.message}${extra}`);
    });
    return { errors };
  }
  const config = { ...(value as ProjectConfig) };
  config.context ??= 'WEB';
  const errors: Diagnostic[] = [];
  if (config.type === 'CLIENT' && config.context !== 'SERVER')
    errors.push(
      configError(
        `${CONFIG_FILE}: type CLIENT exists only in server containers: add "context": "SERVER" (a web template is a TAG or a MACRO)`,
      ),
    );
  for (const [key, file] of [
    ['main', config.main],
    ['fields.file', config.fields.file],
  ] as const) {
    if (!sources.files.has(normalize(file)))
      errors.push(configError(`${CONFIG_FILE}: ${key} names '${file}', which does not exist in the project`));
  }
  if (config.brand.icon && !sources.files.has(normalize(config.brand.icon)))
    errors.push(configError(`${CONFIG_FILE}: brand.icon names '${config.brand.icon}', which does not exist`));
  return { config, errors };
}

/** A project-relative path in the '/'-separated form `ProjectSources.files` uses. */
export function normalize(file: string): string {
  return path.posix.normalize(file.replace(/\\/g, '/')).replace(/^\.\//, '');
}

const SOURCE_EXTENSIONS = /\.(ts|mts|json)$/;
const SKIPPED_DIRS = new Set(['node_modules', '.cache', 'build', 'dist', '.git']);

/**
 * Reads a project folder into memory: `template.json`, `recipe.json`, every .ts/.json file below
 * it (sources, tests, JSON data) and the icon. The only place the compiler reads a project from disk.
 */
export function readProject(dir: string): ProjectSources {
  const root = path.resolve(dir);
  const files = new Map<string, string | Uint8Array>();
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(child);
      } else if (SOURCE_EXTENSIONS.test(entry.name)) {
        files.set(child, readFileSync(path.join(root, child), 'utf8'));
      }
    }
  };
  walk('');
  const config = files.get(CONFIG_FILE);
  if (typeof config === 'string') {
    try {
      const icon = (JSON.parse(config) as ProjectConfig).brand?.icon;
      const iconPath = icon && path.join(root, normalize(icon));
      if (iconPath && statSync(iconPath, { throwIfNoEntry: false })?.isFile())
        files.set(normalize(icon), readFileSync(iconPath));
    } catch {
      // A broken template.json is reported by loadConfig.
    }
  }
  return { root, files };
}
