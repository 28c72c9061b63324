// What the server tells the preview page about the template: everything the form and "Fire" need,
// as plain JSON, rebuilt by the caller whenever the source changes.

import { checkSource } from '../check/index.js';
import type { Diagnostic } from '../diagnostics.js';
import { defaultText, type Parameter, type Template } from '../tpl/model.js';
import { parse } from '../tpl/parse.js';

export interface PreviewSnapshot {
  /** Bumped on every change, so an open page knows to reload. */
  version: number;
  source: { kind: 'file' | 'project'; path: string };
  /** The `.tpl` text that fires: the file's, or the last successful build's. */
  tpl?: string;
  name: string;
  description: string;
  /** `TAG`, `MACRO` (a variable) or `CLIENT`. */
  type: string;
  context: 'WEB' | 'SERVER';
  /** The brand icon as a data: URL, when the template has one. */
  icon?: string;
  parameters: Parameter[];
  /** The checker's findings for a file, the compiler's for a project (errors and warnings). */
  diagnostics: Diagnostic[];
  /** Set when there is nothing usable to show (the file does not parse, the first build failed). */
  error?: string;
}

/** The parts of a template the page shows. */
export function describeTemplate(
  template: Template,
): Pick<PreviewSnapshot, 'name' | 'description' | 'type' | 'context' | 'icon' | 'parameters'> {
  const info = template.info ?? {};
  const thumbnail = info.brand?.thumbnail;
  return {
    name: typeof info.displayName === 'string' && info.displayName ? info.displayName : 'Untitled template',
    description: defaultText(info.description) ?? '',
    type: typeof info.type === 'string' ? info.type : 'TAG',
    context: template.context,
    ...(typeof thumbnail === 'string' && thumbnail
      ? { icon: thumbnail.startsWith('data:') ? thumbnail : `data:image/png;base64,${thumbnail}` }
      : {}),
    parameters: Array.isArray(template.parameters) ? template.parameters : [],
  };
}

/** The snapshot of a `.tpl` file's text: parsed and checked as `gtm-template check` would. */
export function snapshotOfTpl(text: string, path: string, version: number): PreviewSnapshot {
  const template = parse(text);
  const diagnostics = checkSource(text).filter((d) => d.severity !== 'info');
  const base = { version, source: { kind: 'file' as const, path }, diagnostics };
  if (template.syntaxErrors.length > 0 && !Array.isArray(template.parameters)) {
    return {
      ...base,
      ...describeTemplate(template),
      error: `${path} does not parse: ${template.syntaxErrors[0]!.message} (line ${template.syntaxErrors[0]!.line})`,
    };
  }
  return { ...base, ...describeTemplate(template), tpl: text };
}
