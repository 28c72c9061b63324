// Stage 2 on small inputs: what each lowered construct becomes, and that helpers and requires are
// emitted only when used. (Behaviour is covered by the differential test over the fixture.)
import { describe, expect, it } from 'vitest';
import { lower, lowerMany } from '../../src/compile/lower.js';
import { checkSandboxJs } from '../../src/check/index.js';
import { formatCode } from '../../src/compile/format.js';

const out = (code: string) => lower(code).code;

describe('lower', () => {
  it('template literals become string concatenation', async () => {
    expect(await formatCode(out('const s = `a${x}b${y + 1}`;'))).toBe("var s = 'a' + x + 'b' + (y + 1);");
  });

  it('a function expression becomes an arrow only where an arrow parses', async () => {
    const src = [
      'var a = cb || function () { return 1; };',
      'var b = !function () { return 2; };',
      'var c = (function () { return 3; })();',
      'var d = function () { return 4; }.length;',
      'var e = t ? function () { return 5; } : function () { return 6; };',
      'run(function () { return 7; });',
    ].join('\n');
    const result = lower(src);
    expect(result.errors).toEqual([]);
    const code = await formatCode(result.code);
    // a, b and d keep `function`: an arrow there would not parse.
    expect(code.match(/function/g)).toHaveLength(3);
    expect(code).toContain('var c = (() => 3)();');
    expect(code).toContain('var e = t ? () => 5 : () => 6;');
    expect(code).toContain('run(() => 7);');
  });

  it('code that does not parse is not reported as a fault of the lowering', () => {
    expect(lower("var s = 'abc;\nrun(s);", { typescript: true }).errors).toEqual([]);
  });

  it('optional chaining and ?? become == null tests, without void 0', () => {
    const code = out('const v = a.g()?.b ?? c;');
    expect(code).toContain('== null');
    expect(code).not.toContain('void');
    expect(code).not.toContain('===');
  });

  it('optional calls on members lose .call (the sandbox has no this)', () => {
    const code = out('o.g().f?.(1, 2);');
    expect(code).not.toContain('.call(');
    expect(code).toMatch(/_b\(1, 2\)/);
  });

  it('emits a sandbox-safe helper only when it is used', () => {
    expect(out('const a = [1];')).not.toContain('__spreadArray');
    const spread = out('const a = [...b, 1]; const o = { ...p }; const { x, ...r } = q;');
    for (const helper of ['__spreadArray', '__assign', '__rest'])
      expect(spread).toContain(`var ${helper} = (`);
    expect(spread).not.toMatch(/Object\.assign|Array\.prototype|hasOwnProperty/);
  });

  it('turns used globals into requires and ** into Math.pow', () => {
    const code = out('const n = 2 ** k; const s = JSON.stringify(n);');
    expect(code.startsWith("var Math = require('Math');\nvar JSON = require('JSON');\n")).toBe(true);
    expect(code).toContain('Math.pow(2, k)');
  });

  it('a variable template returns its last statement', () => {
    expect(lower('main(__gtmData);', { returnLast: true }).code).toBe('return main(data);\n');
  });

  it('lowers many TypeScript pieces in one pass, each with its own helpers', async () => {
    const [a, b] = lowerMany(['const x: number = 1;\nlog(`${x}`);', 'const o = { ...p };'], {
      typescript: true,
    });
    expect(await formatCode(a!.code)).toBe("var x = 1;\nlog('' + x);");
    expect(b!.code).toContain('var __assign = (to, from) =>');
    expect(a!.code).not.toContain('__assign');
  });

  it('reads a short simple expression twice instead of keeping a temporary', async () => {
    expect(await formatCode(out('const v = a?.b ?? c;'))).toBe('var v = a != null && a.b != null ? a.b : c;');
    expect(await formatCode(out('function f(o) { return o.x ?? o.y?.z; }'))).toBe(
      'function f(o) {\n  return o.x != null ? o.x : o.y == null ? undefined : o.y.z;\n}',
    );
    expect(await formatCode(out('o.f?.(1);'))).toBe('o.f == null ? undefined : o.f(1);');
    expect(await formatCode(out('const { a = 1, b: { c } } = o;'))).toBe(
      'var a = o.a === undefined ? 1 : o.a,\n  c = o.b.c;',
    );
    // A long one keeps its temporary.
    expect(out('const v = options.settings.values ?? 1;')).toMatch(
      /\(_a = options\.settings\.values\) != null \? _a/,
    );
  });

  it('iterates an array that is never reassigned without copying it', async () => {
    expect(await formatCode(out('const xs = [1];\nfor (const x of xs) log(x);'))).toBe(
      'var xs = [1];\nfor (var _i = 0; _i < xs.length; _i++) {\n  var x = xs[_i];\n  log(x);\n}',
    );
    expect(out('let xs = [1];\nfor (const x of xs) xs = [];')).toContain('xs_1 = xs');
  });

  it('writes enums and literal computed keys as object literals', async () => {
    const enumCode =
      'var E = /* @__PURE__ */ ((E2) => {\n  E2[E2["A"] = 0] = "A";\n  E2[E2["B"] = -1] = "B";\n  E2["S"] = "s";\n  return E2;\n})(E || {});';
    expect(await formatCode(out(enumCode))).toBe("var E = { A: 0, 0: 'A', B: -1, '-1': 'B', S: 's' };");
    expect(await formatCode(out('const o = { [0]: "a", ["k"]: 1, [x]: 2 };'))).toBe(
      "var o = { 0: 'a', k: 1 };\no[x] = 2;",
    );
    // A repeated key stays computed (the later value wins, as in the source).
    expect(out('const o = { a: 1, ["a"]: 2 };')).toContain('o["a"] = 2');
    // An object that refers to its own variable keeps the temporary (the variable is not set yet).
    expect(out('function f() { const x = { [k]: 1, y: () => x }; return x; }')).toContain('_a.y = ');
  });

  it('shortens rest parameters, array spreads and ?? chains', async () => {
    expect(await formatCode(out('function g(a, ...r) { return [...r, 1, [2]]; }'))).toBe(
      [
        'var __spreadArray = (to, from) => {',
        '  for (var i = 0; i < from.length; i++) to.push(from[i]);',
        '  return to;',
        '};',
        'function g(a) {',
        '  var r = [];',
        '  for (var _i = 1; _i < arguments.length; _i++) r.push(arguments[_i]);',
        '  return __spreadArray([], r).concat([1, [2]]);',
        '}',
      ].join('\n'),
    );
    expect(await formatCode(out('const v = f?.(1) ?? 2;\nconst w = o?.g(1)?.h;'))).toBe(
      'var _a, _b;\nvar v = f != null && (_a = f(1)) != null ? _a : 2;\nvar w = o == null || (_b = o.g(1)) == null ? undefined : _b.h;',
    );
    expect(await formatCode(out('const v = f() ?? g() ?? h;'))).toBe(
      'var _a, _b;\nvar v = (_a = f()) != null ? _a : (_b = g()) != null ? _b : h;',
    );
  });

  it('writes the per-iteration closure of a let loop in place', async () => {
    expect(
      await formatCode(out('const fs = [];\nfor (let i = 0; i < 3; i++) fs.push(() => i);\nlog(fs);')),
    ).toBe('var fs = [];\nfor (var i = 0; i < 3; i++) ((i) => fs.push(() => i))(i);\nlog(fs);');
  });

  it("inlines main's body as the code's body only when that is the same program", async () => {
    const main = (body: string) => `function main(data) {\n${body}\n}\nmain(__gtmData);\n`;
    expect(await formatCode(out(main('var x = 1;\nlog(x, data);')))).toBe('var x = 1;\nlog(x, data);');
    // Its local `x` would become the `x` that f reads.
    expect(out(`var f = () => x;\n${main('var x = 1;\nlog(f(), data);')}`)).toContain('main(data);');
    // A tag's main that returns a value, or uses `arguments`, stays a function.
    expect(out(main('return 1;'))).toContain('main(data);');
    expect(out(main('log(arguments);'))).toContain('main(data);');
  });

  it("its output passes the checker's sandbox rules", () => {
    const code = out(
      'const k = "key";\nconst f = ({ a = 1, ...r }, ...rest) => [a, ...rest, { ...r, [k]: `${a}` }];\nfor (const x of f(data)) log(x?.y ?? 2 ** 2);',
    );
    const found = checkSandboxJs(`const log = require('logToConsole');\n${code}`, {
      kind: 'template',
      context: 'WEB',
    }).filter((d) => d.severity === 'error');
    expect(found).toEqual([]);
  });
});
