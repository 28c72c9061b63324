// Tags must report completion: GTM's import refuses tag code that mentions neither
// data.gtmOnSuccess nor data.gtmOnFailure ("Tag code must invoke data.gtmOnSuccess() or
// data.gtmOnFailure()", format notes §2.6). Passing them on as callbacks counts as using them.

import type { Program } from 'acorn';
import { nodeList } from '../js/walk.js';
import type { Template } from '../tpl/model.js';
import { isPlainObject, type Reporter } from './locate.js';

const CALLBACKS = new Set(['gtmOnSuccess', 'gtmOnFailure']);

function mentionsCallback(program: Program): boolean {
  for (const n of nodeList(program).nodes) {
    if (n.type === 'MemberExpression') {
      const p = n.property;
      const name =
        !n.computed && p.type === 'Identifier' ? p.name : p.type === 'Literal' ? p.value : undefined;
      if (typeof name === 'string' && CALLBACKS.has(name)) return true;
    }
  }
  return false;
}

export function checkTagCompletion(template: Template, program: Program, r: Reporter): void {
  if (!isPlainObject(template.info) || template.info.type !== 'TAG') return;
  if (mentionsCallback(program)) return;
  const S = r.locate.codeSection();
  r.error(
    'tag/no-completion-callback',
    'Tag code must invoke data.gtmOnSuccess() or data.gtmOnFailure(); GTM refuses to import a tag that does neither.',
    S,
    r.locate.sectionStart(S),
    [
      'Call data.gtmOnSuccess() when the tag is done, or pass it on: injectScript(url, data.gtmOnSuccess, data.gtmOnFailure).',
    ],
  );
}
