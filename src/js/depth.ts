// How deeply an AST nests, measured without recursion. The checker's walkers recurse once per
// level; input nested thousands of levels deep (`1 + 1 + … + 1`, `a.a.a…`) would overflow the
// stack, so such code is reported as too complex instead of being walked.

import type { Node } from 'acorn';

/** The deepest nesting sandboxed code may have before the checker declines to analyse it. */
export const MAX_AST_DEPTH = 500;

/** Whether the tree below `root` nests deeper than `limit` levels. */
export function astDeeperThan(root: Node, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > limit) return true;
    if (Array.isArray(value)) {
      for (const v of value) if (v && typeof v === 'object') stack.push([v, depth]);
      continue;
    }
    const node = value as Record<string, unknown>;
    for (const key in node) {
      if (key === 'loc' || key === 'type' || key === 'start' || key === 'end') continue;
      const child = node[key];
      if (child && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
