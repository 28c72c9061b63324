// The 'gtm' typings of each context against the shared API catalog, the typings' own soundness,
// and the typed test API of server scenarios.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CONTEXT_TYPINGS, compilerOptions, typesDir } from '../../src/compile/program.js';
import { SANDBOX_APIS } from '../../src/gtm/apis.js';
import { compileMemory } from './helpers.js';

const exported = (file: string) =>
  [...readFileSync(path.join(typesDir(), file), 'utf8').matchAll(/^export declare const (\w+)/gm)]
    .map((m) => m[1]!)
    .sort();

const catalog = (context: 'WEB' | 'SERVER') =>
  Object.entries(SANDBOX_APIS)
    .filter(([, info]) => info.contexts.includes(context))
    .map(([name]) => name)
    .sort();

describe("the 'gtm' typings", () => {
  it('export exactly the APIs the catalog lists for their context', () => {
    expect(exported(CONTEXT_TYPINGS.SERVER.gtm)).toEqual(catalog('SERVER'));
    expect(exported(CONTEXT_TYPINGS.WEB.gtm)).toEqual(catalog('WEB'));
  });

  it.each(['WEB', 'SERVER'] as const)('type-check on their own (%s), without skipLibCheck', (context) => {
    const typings = CONTEXT_TYPINGS[context];
    const files = [typings.gtm, typings.test, typings.globals].map((f) => path.join(typesDir(), f));
    const program = ts.createProgram(files, {
      ...compilerOptions(context),
      skipLibCheck: false,
      noEmit: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(problems).toEqual([]);
  });

  it('tsconfig.server.json maps gtm and gtm/test as the compiler does', () => {
    const text = ts.readConfigFile(path.join(typesDir(), 'tsconfig.server.json'), ts.sys.readFile).config;
    const parsed = ts.parseJsonConfigFileContent(text, ts.sys, typesDir());
    expect(parsed.errors).toEqual([]);
    expect(parsed.options.paths).toEqual({
      gtm: ['./gtm-server.d.ts'],
      'gtm/test': ['./gtm-server-test.d.ts'],
    });
    expect(parsed.fileNames.map((f) => path.basename(f))).toEqual(['gtm-server-globals.d.ts']);
    expect(parsed.options.strict).toBe(true);
  });
});

const SERVER_TAG = {
  'src/main.ts':
    "import { getEventData, logToConsole } from 'gtm';\nimport type { TagData } from 'gtm';\nimport type { Fields } from './fields';\n" +
    "export default function main(data: TagData<Fields>): void {\n  logToConsole(getEventData('x'));\n  data.gtmOnSuccess();\n}\n",
};

/** Type errors of a server project whose only test file is `test`. */
async function testErrors(test: string) {
  const result = await compileMemory(
    { ...SERVER_TAG, 'tests/t.test.ts': test },
    { context: 'SERVER', tests: 'tests' },
  );
  return result.errors.filter((d) => d.file === 'tests/t.test.ts').map((d) => [d.code, d.line]);
}

const HEADER =
  "import { assertApi, assertThat, mock, mockObject, runCode, scenario } from 'gtm/test';\nimport { Promise } from 'gtm';\n";

describe('the server test API', () => {
  it('mocks sendHttpRequest with a function or a promise, and BigQuery with mockObject', async () => {
    expect(
      await testErrors(
        HEADER +
          [
            "scenario('s', () => {",
            "  mock('sendHttpRequest', (url: string, callback: (s: number) => void) => callback(200));",
            "  mock('sendHttpRequest', Promise.create((resolve) => resolve({ statusCode: 200, headers: {}, body: '' })));",
            "  mock('getEventData', (key: string) => (key === 'x' ? 1 : undefined));",
            "  mock('getRemoteAddress', '10.0.0.1');",
            "  mockObject('BigQuery', { insert: () => Promise.create((resolve) => resolve(undefined)) });",
            "  mockObject('templateDataStorage', { getItemCopy: () => 'v' });",
            '  runCode({ name: "n" });',
            "  assertApi('gtmOnSuccess').wasCalled();",
            "  assertApi('sendHttpRequest').wasCalledWith('https://a.com/');",
            '  assertThat(1).isEqualTo(1);',
            "  assertThat('ab', 'chained').contains('a').hasLength(2).isString();",
            '});',
          ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('refuses a misspelt or web API, a wrong return value and an unknown method', async () => {
    expect(
      await testErrors(
        HEADER +
          [
            "scenario('s', () => {",
            "  mock('sendHttpReqest', () => 1);",
            "  mock('injectScript', () => 1);",
            "  mock('getRemoteAddress', 42);",
            "  mockObject('BigQuery', { insrt: () => 1 });",
            "  mockObject('getEventData', {});",
            "  assertApi('copyFromWindow').wasCalled();",
            '  runCode({});',
            '});',
          ].join('\n'),
      ),
    ).toEqual([
      ['ts/2345', 4],
      ['project/wrong-context-api', 5],
      ['ts/2345', 6],
      ['ts/2561', 7],
      ['ts/2345', 8],
      ['project/wrong-context-api', 9],
    ]);
  });
});
