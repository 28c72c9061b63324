// parseSandboxJsShared: one parse serves the readers of the same code (a test run's permission
// detection and its compile step), and it forgets old codes rather than hold every tree.
import { describe, expect, it } from 'vitest';
import { nodePosition, parseSandboxJs, parseSandboxJsShared } from '../../src/js/parse.js';

describe('parseSandboxJsShared', () => {
  it('gives the same tree for the same code, and the tree of the code it is given', () => {
    const first = parseSandboxJsShared('const a = 1;\nconst b = a;');
    const again = parseSandboxJsShared('const a = 1;\nconst b = a;');
    expect(again).toBe(first);
    expect(first).toEqual(parseSandboxJs('const a = 1;\nconst b = a;', { locations: false }));
    const other = parseSandboxJsShared('const c = 2;');
    expect(other).not.toBe(first);
    expect(other.ok && other.program.body).toHaveLength(1);
  });

  it('keeps positions available for trees parsed without locations', () => {
    const parsed = parseSandboxJsShared('const x = 1;\n  y();');
    if (!parsed.ok) throw new Error('expected the code to parse');
    expect(nodePosition(parsed.program, parsed.program.body[1]!)).toEqual({ line: 2, column: 3 });
  });

  it('reports syntax errors as parseSandboxJs does', () => {
    expect(parseSandboxJsShared('const = ;')).toEqual(parseSandboxJs('const = ;'));
  });

  it('parses again once a code has been pushed out by newer ones', () => {
    const code = 'var kept = 1;';
    const first = parseSandboxJsShared(code);
    for (let i = 0; i < 10; i++) parseSandboxJsShared(`var other${i} = ${i};`);
    const later = parseSandboxJsShared(code);
    expect(later).not.toBe(first);
    expect(later).toEqual(first);
  });
});
