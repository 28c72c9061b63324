// A main module in script style: code at the top level with `data` declared, as GTM runs a
// template (no `export default function main`).
import { describe, expect, it } from 'vitest';
import { runTests } from '../../src/sandbox/index.js';
import { compileMemory } from './helpers.js';

const header =
  "import { logToConsole } from 'gtm';\nimport type { TagData } from 'gtm';\nimport type { Fields } from './fields';\n\ndeclare const data: TagData<Fields>;\n\n";

describe('script-style main', () => {
  it('is the template code itself, top-level return included', async () => {
    const result = await compileMemory({
      'src/main.ts':
        header +
        "if (!data.name) {\n  data.gtmOnFailure();\n  return;\n}\nlogToConsole('hi ' + data.name);\ndata.gtmOnSuccess();\n",
      'tests/a.test.ts':
        "import { assertApi, runCode, scenario } from 'gtm/test';\nscenario('fails without a name', () => {\n  runCode({});\n  assertApi('gtmOnFailure').wasCalled();\n});\n",
    });
    expect(result.errors).toEqual([]);
    expect(result.template!.code).toBe(
      "var logToConsole = require('logToConsole');\nif (!data.name) {\n  data.gtmOnFailure();\n  return;\n}\nlogToConsole('hi ' + data.name);\ndata.gtmOnSuccess();",
    );
    expect(runTests(result.template!).map((r) => r.status)).toEqual(['pass']);
  });

  it('is type-checked, returns included, with positions in the file as written', async () => {
    const result = await compileMemory({
      'src/main.ts': header + 'if (!data.name) return;\nreturn data.nmae.length;\n',
    });
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'ts/2339', file: 'src/main.ts', line: 8, column: 13 }),
    ]);
  });

  it('a tag returns what its code returns (a test sees it from runCode)', async () => {
    const result = await compileMemory({
      'src/main.ts': header + 'function run() {\n  data.gtmOnSuccess();\n  return 7;\n}\nreturn run();\n',
      'tests/a.test.ts':
        "import { assertThat, runCode, scenario } from 'gtm/test';\nscenario('returns', () => {\n  assertThat(runCode({})).isEqualTo(7);\n});\n",
    });
    expect(result.errors).toEqual([]);
    expect(runTests(result.template!).map((r) => [r.status, r.message])).toEqual([['pass', undefined]]);
  });

  it('without a declaration of data, the error says how to declare it', async () => {
    const result = await compileMemory({ 'src/main.ts': 'data.gtmOnSuccess();\n' });
    expect(result.errors.map((d) => d.code)).toEqual(['ts/2304']);
    expect(result.errors[0]!.notes![0]).toContain('`declare const data: TagData<Fields>;`');
  });
});
