// Findings made on the emitted code (permissions, the checker's safety net) are moved back to the
// TypeScript call they come from.
import { describe, expect, it } from 'vitest';
import { CompiledCodeLocator } from '../../src/compile/locate-code.js';

const sources = {
  root: '/p',
  files: new Map<string, string | Uint8Array>([
    [
      'src/a.ts',
      "import { setInWindow } from 'gtm';\nexport function f(k: string) {\n  setInWindow(k, 1, true);\n}\n",
    ],
    ['src/b.ts', "export function g() {\n  setInWindow('fixed', 2, true);\n}\n"],
  ]),
};

describe('CompiledCodeLocator', () => {
  it('finds the TypeScript call with the same name and arguments', () => {
    const code =
      "var setInWindow = require('setInWindow');\nfunction f(k) {\n  setInWindow(k, 1, true);\n}\n";
    const locator = new CompiledCodeLocator(code, sources);
    expect(locator.locate(3, 3)).toEqual({ file: 'src/a.ts', line: 3, column: 3 });
    const other = new CompiledCodeLocator("setInWindow('fixed', 2, true);", sources);
    expect(other.locate(1, 1)).toEqual({ file: 'src/b.ts', line: 2, column: 3 });
  });

  it('stays in the emitted code, saying so, when nothing matches', () => {
    const locator = new CompiledCodeLocator('var x = 1;\nzzz(1);', sources);
    const at = locator.locate(2, 1);
    expect(at).toMatchObject({ file: 'template.tpl', line: 2, column: 1 });
    expect(at.notes?.[0]).toContain('emitted code');
  });
});
