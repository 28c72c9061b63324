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

  it('optional chaining and ?? become == null tests, without void 0', () => {
    const code = out('const v = a?.b ?? c;');
    expect(code).toContain('== null');
    expect(code).not.toContain('void');
    expect(code).not.toContain('===');
  });

  it('optional calls on members lose .call (the sandbox has no this)', () => {
    const code = out('o.f?.(1, 2);');
    expect(code).not.toContain('.call(');
    expect(code).toMatch(/_a\(1, 2\)/);
  });

  it('emits a sandbox-safe helper only when it is used', () => {
    expect(out('const a = [1];')).not.toContain('__spreadArray');
    const spread = out('const a = [...b, 1]; const o = { ...p }; const { x, ...r } = q;');
    for (const helper of ['__spreadArray', '__assign', '__rest'])
      expect(spread).toContain(`var ${helper} = function`);
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
    expect(b!.code).toContain('var __assign = function');
    expect(a!.code).not.toContain('__assign');
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
