// Tags must report completion: GTM's import refuses tag code that mentions neither
// data.gtmOnSuccess nor data.gtmOnFailure ("Tag code must invoke data.gtmOnSuccess() or
// data.gtmOnFailure()", format notes §2.6). Passing them on as callbacks counts as using them.

import type { AnyNode, Program } from 'acorn';
import { forEachChild } from '../js/walk.js';
import type { Template } from '../tpl/model.js';
import { isPlainObject, type Reporter } from './locate.js';

const CALLBACKS = new Set(['gtmOnSuccess', 'gtmOnFailure']);

function mentionsCallback(root: AnyNode): boolean {
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'MemberExpression') {
      const p = n.property;
      const name =
        !n.computed && p.type === 'Identifier' ? p.name : p.type === 'Literal' ? p.value : undefined;
      if (typeof name === 'string' && CALLBACKS.has(name)) return true;
    }
    forEachChild(n, (child) => stack.push(child));
  }
  return false;
}

export function checkTagCompletion(template: Template, program: Program, r: Reporter): void {
  if (!isPlainObject(template.info) || template.info.type !== 'TAG') return;
  if (mentionsCallback(program as AnyNode)) return;
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
