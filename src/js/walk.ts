// The one generic AST traversal the checker's passes share: every child node of a node, in source
// order, whatever its type (so newer syntax is visited too, and then reported by name).

import type { AnyNode } from 'acorn';

/** Keys that never hold child nodes (`value` does: a Property's value is a node). */
const LEAF_KEYS = new Set(['type', 'start', 'end', 'loc', 'range', 'raw', 'regex', 'bigint']);

export function isNode(value: unknown): value is AnyNode {
  return !!value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string';
}

/** Calls `visit` for each direct child node of `node`. */
export function forEachChild(node: AnyNode, visit: (child: AnyNode) => void): void {
  for (const key in node) {
    if (LEAF_KEYS.has(key)) continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) visit(v);
    } else if (isNode(value)) visit(value);
  }
}
