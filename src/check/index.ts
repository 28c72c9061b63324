// `check(template)`: every rule over one Template, as diagnostics with positions in the file.
// Pipeline: structure → ___INFO___ → parameters → permissions → code (sandbox subset, tag
// completion, code against permissions) → ___TESTS___. Each step is one module; none throws.

import type { Diagnostic } from '../diagnostics.js';
import { findApiUsage } from '../js/api-usage.js';
import { parseSandboxJs } from '../js/parse.js';
import { parse } from '../tpl/parse.js';
import type { Template } from '../tpl/model.js';
import { checkCodePermissions } from './code-permissions.js';
import { checkDataFields } from './data-fields.js';
import { checkInfo } from './info.js';
import { checkSandboxProgram } from './js.js';
import { Locator, marker, Reporter } from './locate.js';
import { checkParameters } from './parameters.js';
import { checkPermissions } from './permissions.js';
import { checkStructure } from './structure.js';
import { checkTagCompletion } from './tag.js';
import { checkTests } from './tests.js';

export { notUtf8Finding } from './structure.js';
export {
  checkSandboxJs,
  checkSandboxProgram,
  undeclaredVariableMessage,
  type SandboxJsOptions,
} from './js.js';

function checkCode(template: Template, r: Reporter): void {
  const code = template.code;
  if (code === undefined) return;
  const section = r.locate.codeSection();
  const parsed = parseSandboxJs(code, { locations: false });
  if (!parsed.ok) {
    r.error(
      'js/syntax',
      `JavaScript syntax error: ${parsed.error.message}.`,
      section,
      r.locate.inSection(section, parsed.error.line, parsed.error.column),
    );
    return;
  }
  const diagnostics = checkSandboxProgram(parsed.program, { kind: 'template', context: template.context });
  for (const d of diagnostics) {
    const at = r.locate.inSection(section, d.line, d.column);
    r.diagnostics.push({ ...d, section: marker(section), line: at.line, column: at.column });
  }
  if (diagnostics.some((d) => d.code === 'js/too-deep')) return;
  checkTagCompletion(template, parsed.program, r);
  checkDataFields(template, parsed.program, r);
  checkCodePermissions(template, findApiUsage(parsed.program), r);
}

/** Checks a template the way GTM would import, save and run it. Pure; never throws. */
export function check(template: Template): Diagnostic[] {
  const r = new Reporter(new Locator(template));
  const steps = [checkStructure, checkInfo, checkParameters, checkPermissions, checkCode, checkTests];
  for (const step of steps) {
    try {
      step(template, r);
    } catch (err) {
      // A rule that trips over an input shape it did not expect must not hide the others.
      r.diagnostics.push({
        code: 'internal/checker-fault',
        severity: 'warning',
        text: `The checker could not finish one of its steps (${step.name}): ${(err as Error)?.message ?? String(err)}. Please report this.`,
        line: 1,
        column: 1,
      });
    }
  }
  return r.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** `check(parse(text))`. */
export function checkSource(text: string): Diagnostic[] {
  return check(parse(text));
}
