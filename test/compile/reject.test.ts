// Every construct the sandbox cannot express is rejected with its own code at its TypeScript
// location (file, line, column), before any code is emitted.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileResult } from '../../src/compile/index.js';
import { compileMemory, tagMain } from './helpers.js';

/** One file per construct; `@` marks the expected column (it is removed from the source). */
const CASES: Record<string, { code: string; source: string }> = {
  class: { code: 'sandbox/class', source: 'export @class Point { x = 1; }' },
  new: { code: 'sandbox/new', source: 'export const list = @new Array(3);' },
  this: { code: 'sandbox/this', source: 'export const o = { n: 1, f() { return @this.n; } };' },
  try: { code: 'sandbox/try', source: 'export function f() { @try { return 1; } catch { return 2; } }' },
  throw: { code: 'sandbox/throw', source: "export function f() { @throw 'no'; }" },
  regex: { code: 'sandbox/regex', source: "export const ok = (s: string) => s.replace(@/a+/, 'b');" },
  async: { code: 'sandbox/async', source: 'export @async function f() { return 1; }' },
  await: { code: 'sandbox/async', source: 'export const g = @async () => await Promise.resolve(1);' },
  generator: { code: 'sandbox/generator', source: 'export @function* g() { yield 1; }' },
  getter: { code: 'sandbox/accessor', source: 'export const o = { @get x() { return 1; } };' },
  setter: { code: 'sandbox/accessor', source: 'export const o = { v: 0, @set x(n: number) { o.v = n; } };' },
  taggedTemplate: {
    code: 'sandbox/tagged-template',
    source: 'const tag = (s: TemplateStringsArray) => s[0];\nexport const t = @tag`x`;',
  },
  spreadCall: {
    code: 'sandbox/spread-call',
    source: 'const f = (...a: number[]) => a.length;\nexport const n = f(@...[1, 2]);',
  },
  delete: { code: 'sandbox/delete', source: 'export function f(o: { a?: number }) { @delete o.a; }' },
  instanceof: {
    code: 'sandbox/instanceof',
    source: 'export const b = (x: object, c: Function) => x @instanceof c;',
  },
  in: { code: 'sandbox/in-operator', source: "export const b = (o: object) => 'a' @in o;" },
  bigint: { code: 'sandbox/bigint', source: 'export const b = @10n;' },
  dynamicImport: { code: 'sandbox/dynamic-import', source: "export const p = () => @import('./fields');" },
  label: { code: 'sandbox/label', source: 'export function f() { @outer: for (;;) { break outer; } }' },
  debugger: { code: 'sandbox/debugger', source: 'export function f() { @debugger; }' },
  void: { code: 'sandbox/void', source: 'export const v = @void 0;' },
  doWhile: {
    code: 'sandbox/do-while',
    source: 'export function f() { let i = 0; @do { i++; } while (i < 3); }',
  },
  stringMethod: { code: 'sandbox/method', source: "export const b = (s: string) => s.@includes('a');" },
  arrayMethod: { code: 'sandbox/method', source: 'export const f = (a: number[]) => a.@find((x) => x > 1);' },
  numberMethod: { code: 'sandbox/method', source: 'export const f = (n: number) => n.@toFixed(2);' },
  functionMethod: { code: 'sandbox/method', source: 'export const f = (g: () => void) => g.@call(null);' },
  globalMember: { code: 'sandbox/global-member', source: 'export const r = Math.@random();' },
  unknownGlobal: { code: 'sandbox/unknown-global', source: "export const n = @parseInt('1');" },
  namespaceObject: {
    code: 'sandbox/namespace-object',
    source: "import * as fields from './fields';\nexport const all = @fields;",
  },
  unknownGlobalObject: { code: 'sandbox/unknown-global', source: 'export const now = @Date.now();' },
};

function place(source: string): { text: string; line: number; column: number } {
  const at = source.indexOf('@');
  const before = source.slice(0, at);
  const line = before.split('\n').length;
  return { text: source.slice(0, at) + source.slice(at + 1), line, column: at - before.lastIndexOf('\n') };
}

describe('sandbox rejections', () => {
  let result: CompileResult;
  beforeAll(async () => {
    const files: Record<string, string> = { 'src/main.ts': tagMain('') };
    for (const [name, c] of Object.entries(CASES))
      files[`src/cases/${name}.ts`] = `// ${name}\n${place(c.source).text}\n`;
    result = await compileMemory(files);
  });

  it('fails the build', () => {
    expect(result.files).toBeUndefined();
  });

  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: ${c.code} at its TypeScript position`, () => {
      const file = `src/cases/${name}.ts`;
      const { line, column } = place(c.source);
      const found = result.errors.filter((d) => d.file === file && d.code === c.code);
      expect(found.map((d) => ({ code: d.code, line: d.line, column: d.column }))).toEqual([
        { code: c.code, line: line + 1, column },
      ]);
      expect(found[0]!.text.length).toBeGreaterThan(20);
    });
  }

  it('accepts everything the compiler lowers, and the whitelisted methods', async () => {
    const ok = await compileMemory({
      'src/main.ts': tagMain(
        "  const s = `a${data.name ?? ''}`.trim().split(',').map((x) => x.toUpperCase()).join('');\n" +
          '  const { length } = s;\n  logToConsole(s, length, Math.max(1, 2), JSON.stringify([...[1], { ...{ a: 1 } }]));',
        "import { logToConsole, JSON } from 'gtm';",
      ),
    });
    expect(ok.errors).toEqual([]);
    expect(ok.files?.['template.tpl']).toContain("var Math = require('Math');");
  });

  it('points at the sandbox APIs, not at DOM typings, for browser globals', async () => {
    const result = await compileMemory({ 'src/main.ts': tagMain('  console.log(window.location);') });
    const missing = result.errors.filter((d) => d.code === 'ts/2584' || d.code === 'ts/2304');
    expect(missing.map((d) => [d.text, d.line, d.column])).toEqual([
      ["Cannot find name 'console'.", 5, 3],
      ["Cannot find name 'window'.", 5, 15],
    ]);
    expect(missing[0]!.notes?.[0]).toContain('logToConsole');
  });

  it('reports a misspelt data field as a type error at its location', async () => {
    const bad = await compileMemory({ 'src/main.ts': tagMain('  const n: string | undefined = data.nmae;') });
    expect(bad.errors).toContainEqual(
      expect.objectContaining({ code: 'ts/2339', file: 'src/main.ts', line: 5, column: 38 }),
    );
  });
});
