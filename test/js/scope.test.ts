import { describe, expect, it } from 'vitest';
import { parseSandboxJs } from '../../src/js/parse.js';
import { findFreeIdentifiers } from '../../src/js/scope.js';

function free(code: string, globals = ['data', 'require', 'undefined']): string[] {
  const parsed = parseSandboxJs(code);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return findFreeIdentifiers(parsed.program, { globals: new Set(globals) }).map((f) => f.name);
}

describe('findFreeIdentifiers', () => {
  it('hoists var and function declarations to the function scope', () => {
    expect(free('f(); x = 1; if (data.a) { var x; function f() { return x; } }')).toEqual([]);
    expect(free('function g() { var y = 1; } y;')).toEqual(['y']);
  });

  it('keeps let/const/class in their block', () => {
    expect(free('{ let a = 1; } a;')).toEqual(['a']);
    expect(free('if (data.x) { const b = 1; b; } else { b; }')).toEqual(['b']);
    expect(free('for (let i = 0; i < 3; i++) {} i;')).toEqual(['i']);
    expect(free('for (const k in data) { k; }')).toEqual([]);
    expect(free('switch (data.x) { case 1: let s = 2; break; default: s; }')).toEqual([]);
  });

  it('binds parameters, named function expressions and arguments inside functions, arrows included', () => {
    expect(free('const f = function self(a) { return self(a, arguments); };')).toEqual([]);
    expect(free('const f = (a) => arguments;')).toEqual([]);
    expect(free('const f = () => { if (data.x) { return arguments[0]; } };')).toEqual([]);
    expect(free('function outer() { return () => arguments; }')).toEqual([]);
    expect(free('arguments;')).toEqual(['arguments']);
  });

  it('ignores property names, labels and object keys but not computed ones or shorthand values', () => {
    expect(free('const o = { a: 1 }; o.b; o[c]; ({ d });')).toEqual(['c', 'd']);
    expect(free('outer: for (;;) { break outer; }')).toEqual([]);
  });

  it('reports browser globals and un-required APIs, in order, counting each use', () => {
    expect(free('Math.floor(1); window.x = JSON; NaN;')).toEqual(['Math', 'window', 'JSON', 'NaN']);
    expect(free('z = 1; z;')).toEqual(['z', 'z']);
  });

  it('knows the globals it is given', () => {
    expect(free('runCode(mockData); assertApi("x");', ['runCode', 'assertApi', 'mockData'])).toEqual([]);
  });
});
