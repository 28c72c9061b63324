// Code reading `data.x` where the form has no field `x`: the value is always undefined, which is
// almost always a typo or a field that was renamed or removed (the corpus has `data.gtmOnError`
// passed as a failure callback, and reads of fields deleted from the form). A warning: reading a
// missing key is legal.

import type { AnyNode, Program } from 'acorn';
import { patternNames } from '../js/scope.js';
import { nodePosition } from '../js/parse.js';
import { nodeList } from '../js/walk.js';
import type { Parameter, Template } from '../tpl/model.js';
import { isPlainObject, type Reporter } from './locate.js';

/** Keys GTM itself puts on `data`. */
const GTM_DATA_KEYS = new Set(['gtmOnSuccess', 'gtmOnFailure', 'gtmEventId', 'gtmTagId']);

/**
 * The outcome callbacks GTM gives only a tag's `data`: gtm.js sets `vtp_gtmOnSuccess` and
 * `vtp_gtmOnFailure` on the values of a tag it fires, in the function that fires tags, while its
 * `case "macro"` that evaluates a variable adds `vtp_gtmEventId` alone (docs/diagnostics.md,
 * `js/variable-outcome-callback`).
 */
const TAG_CALLBACKS = new Set(['gtmOnSuccess', 'gtmOnFailure']);

/** Every name a template's form gives `data` (groups are flattened; table columns are not keys). */
function fieldNames(params: unknown, out = new Set<string>()): Set<string> {
  if (!Array.isArray(params)) return out;
  for (const p of params as Parameter[]) {
    if (!isPlainObject(p)) continue;
    if (typeof p.name === 'string') out.add(p.name);
    fieldNames(p.subParams, out);
    for (const items of [p.selectItems, p.radioItems]) {
      if (Array.isArray(items))
        for (const item of items) if (isPlainObject(item)) fieldNames(item.subParams, out);
    }
  }
  return out;
}

export function checkDataFields(template: Template, program: Program, r: Reporter): void {
  if (!Array.isArray(template.parameters)) return;
  const known = fieldNames(template.parameters);
  const reads = new Map<string, AnyNode>();
  const written = new Set<string>();
  let dataRebound = false;

  const { nodes, parents } = nodeList(program);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const parent = parents[i];
    if (node.type === 'VariableDeclarator' && patternNames(node.id).includes('data')) dataRebound = true;
    if (
      (node.type === 'FunctionDeclaration' ||
        node.type === 'FunctionExpression' ||
        node.type === 'ArrowFunctionExpression') &&
      node.params.some((p) => patternNames(p).includes('data'))
    )
      dataRebound = true;
    if (
      node.type === 'MemberExpression' &&
      !node.computed &&
      node.object.type === 'Identifier' &&
      node.object.name === 'data' &&
      node.property.type === 'Identifier'
    ) {
      const name = node.property.name;
      const isWrite = parent?.type === 'AssignmentExpression' && parent.left === node;
      if (isWrite) written.add(name);
      else if (!reads.has(name)) reads.set(name, node.property);
    }
  }
  // Code that declares its own `data` (a parameter, a variable) is not reading the form.
  if (dataRebound) return;

  const S = r.locate.codeSection();
  const webVariable = template.info?.type === 'MACRO' && template.context === 'WEB';
  for (const [name, node] of reads) {
    if (known.has(name) || written.has(name)) continue;
    const tagCallback = webVariable && TAG_CALLBACKS.has(name);
    // data.hasOwnProperty(...) is a method, reported elsewhere.
    if (!tagCallback && (GTM_DATA_KEYS.has(name) || name in Object.prototype)) continue;
    const { line, column } = nodePosition(program, node);
    const at = r.locate.inSection(S, line, column);
    if (tagCallback)
      r.warning(
        'js/variable-outcome-callback',
        `data.${name} is a tag's callback: in a container GTM gives a variable's data no ${name}, so it is undefined there, and calling it throws instead of returning the variable's value.`,
        S,
        at,
        [
          'A variable reports a failure by returning a value (undefined, false, an empty string): return it instead.',
        ],
      );
    else
      r.warning(
        'js/unknown-data-field',
        `data.${name} is read, but the template has no field named "${name}"; it is always undefined.`,
        S,
        at,
        ['Check the spelling against the field names in ___TEMPLATE_PARAMETERS___.'],
      );
  }
}
