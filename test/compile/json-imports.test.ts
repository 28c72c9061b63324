// JSON imports inline only the properties the code reads (a package.json import must not carry the
// whole file, with its scripts and dependencies, into the template).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/index.js';
import { pruneJson } from '../../src/compile/json-reads.js';
import { BASE_CONFIG, compileMemory, tagMain } from './helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const PACKAGE = JSON.stringify({
  name: 'acme-tag',
  version: '1.4.2',
  repository: { type: 'git', url: 'https://example.com/acme.git' },
  scripts: { build: 'secret-build-step' },
  devDependencies: { 'some-private-tool': '1.0.0' },
});

describe('JSON imports', () => {
  it('a default import inlines only the properties read, down to the deepest one', async () => {
    const result = await compileMemory({
      'src/meta.json': PACKAGE,
      'src/main.ts': tagMain(
        "  logToConsole(pkg.version, pkg['name'], pkg.repository.url.length);",
        "import { logToConsole } from 'gtm';\nimport pkg from './meta.json';",
      ),
    });
    expect(result.errors).toEqual([]);
    const code = result.template!.code!;
    expect(code).toContain('1.4.2');
    expect(code).toContain('acme-tag');
    expect(code).toContain('https://example.com/acme.git');
    expect(code).not.toContain('some-private-tool');
    expect(code).not.toContain('secret-build-step');
    expect(code).not.toContain('"git"');
  });

  it('a use that is not a property read keeps the whole object', async () => {
    const result = await compileMemory({
      'src/meta.json': PACKAGE,
      'src/main.ts': tagMain(
        '  logToConsole(JSON.stringify(pkg));',
        "import { JSON, logToConsole } from 'gtm';\nimport pkg from './meta.json';",
      ),
    });
    expect(result.errors).toEqual([]);
    expect(result.template!.code).toContain('some-private-tool');
  });

  it('../package.json outside the project is pruned the same way', async () => {
    const base = tempDir('gtm-json-');
    writeFileSync(path.join(base, 'package.json'), PACKAGE);
    const dir = path.join(base, 'template');
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'template.json'), JSON.stringify(BASE_CONFIG));
    writeFileSync(
      path.join(dir, 'src/fields.ts'),
      'export interface Fields {\n  /** @title Name */\n  name?: string;\n}\n',
    );
    writeFileSync(
      path.join(dir, 'src/main.ts'),
      tagMain(
        '  logToConsole(version);',
        "import { logToConsole } from 'gtm';\nimport { version } from '../../package.json';",
      ),
    );
    const result = await compile(dir);
    expect(result.errors).toEqual([]);
    expect(result.template!.code).toContain('1.4.2');
    expect(result.template!.code).not.toContain('some-private-tool');
  });

  it('pruneJson keeps whole values where a path ends or leaves the object', () => {
    const value = { a: { b: 1, c: 2 }, d: 'text', e: [1, 2] };
    expect(pruneJson(value, new Set(['a\0b']))).toEqual({ a: { b: 1 } });
    expect(pruneJson(value, new Set(['a', 'a\0b']))).toEqual({ a: { b: 1, c: 2 } });
    expect(pruneJson(value, new Set(['d\0length', 'e\0' + '0']))).toEqual({ d: 'text', e: [1, 2] });
    expect(pruneJson(value, new Set(['missing']))).toEqual({});
  });
});
