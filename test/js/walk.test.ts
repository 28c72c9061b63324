// The shared traversals: `postOrderNodes` is derived from `nodeList`'s pre-order and depths, and
// must be exactly the post-order a recursive walk gives (children first, in source order).
import type { AnyNode, Program } from 'acorn';
import { describe, expect, test } from 'vitest';
import { parseSandboxJs } from '../../src/js/parse.js';
import { forEachChild, nodeList, postOrderNodes } from '../../src/js/walk.js';
import { parse } from '../../src/tpl/parse.js';
import { allCorpusFiles } from '../helpers/corpus.js';

function program(code: string): Program {
  const parsed = parseSandboxJs(code, { locations: false });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.program;
}

function recursivePreOrder(
  node: AnyNode,
  parent: AnyNode | undefined = undefined,
  out: { nodes: AnyNode[]; parents: (AnyNode | undefined)[] } = { nodes: [], parents: [] },
) {
  out.nodes.push(node);
  out.parents.push(parent);
  forEachChild(node, (child) => recursivePreOrder(child, node, out));
  return out;
}

function recursivePostOrder(node: AnyNode, out: AnyNode[] = []): AnyNode[] {
  forEachChild(node, (child) => recursivePostOrder(child, out));
  out.push(node);
  return out;
}

describe('postOrderNodes', () => {
  test('small programs: the recursive post-order, node for node', () => {
    for (const code of [
      '',
      'a;',
      'const x = f(a, b) + g(c);',
      'function f(a, b = 1) { if (a) { return [a, {b: b}]; } else return b ? a : c; }',
      'for (let i = 0; i < 3; i++) { x[i] = i; } while (y) z(); label: { break label; }',
      'const {a, b: [c, ...d]} = o; x = () => ({k: `t${a}`});',
    ]) {
      const p = program(code);
      expect(postOrderNodes(p)).toEqual(recursivePostOrder(p as AnyNode));
    }
  });

  test('a node type the key table does not know is still walked, in source order', () => {
    const inner = { type: 'Identifier', name: 'x', start: 0, end: 1 };
    const later = { type: 'Identifier', name: 'y', start: 2, end: 3 };
    const future = { type: 'FutureExpression', start: 0, end: 3, first: inner, rest: [later] };
    const statement = { type: 'ExpressionStatement', start: 0, end: 3, expression: future };
    const p = {
      type: 'Program',
      start: 0,
      end: 3,
      body: [statement],
      sourceType: 'script',
    } as unknown as Program;
    const list = nodeList(p);
    expect(list.nodes).toEqual([p, statement, future, inner, later]);
    expect(list.parents).toEqual([undefined, p, statement, future, future]);
    expect(list.depths).toEqual([0, 1, 2, 3, 3]);
  });

  test('the code of every corpus template, and nodeList stays pre-order with matching depths', () => {
    let checked = 0;
    for (const file of allCorpusFiles()) {
      const code = parse(file.text).code;
      const parsed = code === undefined ? undefined : parseSandboxJs(code, { locations: false });
      if (!parsed?.ok) continue;
      const list = nodeList(parsed.program);
      expect(list.depths).toHaveLength(list.nodes.length);
      expect(list.depths.reduce((m, d) => Math.max(m, d), 0)).toBe(list.depth);
      const pre = recursivePreOrder(parsed.program as AnyNode);
      expect(list.nodes.length).toBe(pre.nodes.length);
      expect(list.nodes.every((n, i) => n === pre.nodes[i] && list.parents[i] === pre.parents[i])).toBe(true);
      const expected = recursivePostOrder(parsed.program as AnyNode);
      const post = postOrderNodes(parsed.program);
      expect(post.length).toBe(expected.length);
      expect(post.every((n, i) => n === expected[i])).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(250);
  });
});
