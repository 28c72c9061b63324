// The code → src/main.ts: kept as it is at the top level (script style), `data` typed, constant
// requires of known APIs turned into imports from 'gtm' only where that means the same binding.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSources } from '../../src/compile/index.js';
import { mainSource } from '../../src/import/code.js';
import { importTemplate } from '../../src/import/index.js';
import { runTests } from '../../src/sandbox/index.js';
import { emptyTemplate, type Template } from '../../src/tpl/model.js';
import { parse } from '../../src/tpl/index.js';
import { WEB_TAG } from '../check/fixtures.js';
import { repoRoot } from '../helpers/corpus.js';

describe('mainSource', () => {
  it('turns constant top-level requires into imports, keeps everything else as written', () => {
    const code = [
      "const log = require('logToConsole');",
      "var getUrl = require('getUrl'), encode = require('encodeUriComponent');",
      "let later = require('callLater');",
      'later = null;', // reassigned: stays a require
      "const unused = require('getTimestamp');", // never used: stays, so its permission stays too
      "const server = require('getRequestHeader');", // a server API in a web template
      'if (!data.id) return;',
      'log(encode(getUrl()), server);',
      'data.gtmOnSuccess();',
    ].join('\n');
    const main = mainSource(code, { kind: 'TAG', context: 'WEB' });
    expect(main.text).toContain(
      "import { encodeUriComponent as encode, getUrl, logToConsole as log } from 'gtm';",
    );
    expect(main.text).toContain("import type { TagData } from 'gtm';");
    expect(main.text).toContain('declare const data: TagData<Fields>;');
    expect(main.text).toContain("let later = require('callLater');");
    expect(main.text).toContain("const unused = require('getTimestamp');");
    expect(main.text).toContain("const server = require('getRequestHeader');");
    expect(main.text).not.toContain("require('logToConsole')");
    expect(main.text).toContain('if (!data.id) return;\nlog(encode(getUrl()), server);');
  });

  it('types data for the template kind', () => {
    expect(mainSource('return 1;', { kind: 'MACRO', context: 'WEB' }).text).toContain(
      'declare const data: VariableData<Fields>;',
    );
    expect(mainSource('data.gtmOnSuccess();', { kind: 'CLIENT', context: 'SERVER' }).text).toContain(
      'declare const data: ClientData<Fields>;',
    );
  });

  it('without a code section, says which sections GTM would not read, or that there are none', () => {
    const info = '{"type": "TAG", "displayName": "T", "containerContexts": ["SERVER"]}';
    const misspelt = parse(`___INFO___\n\n${info}\n\n___SANDBOXED_JS_FOR_SERVER_TEMPLATE___\n\nreturn 1;\n`);
    const error = importTemplate(misspelt, { name: 'x', toolchainVersion: '*' }).error!;
    expect(error.code).toBe('import/no-code');
    expect(error.text).toContain('___SANDBOXED_JS_FOR_SERVER_TEMPLATE___ is not a section GTM reads');
    const none = importTemplate(parse('"just a string"\n'), { name: 'x', toolchainVersion: '*' }).error!;
    expect(none.code).toBe('import/no-code');
    expect(none.text).toContain('no ___NAME___ section lines at all');
  });

  it('says why code that does not parse cannot be imported', () => {
    expect(mainSource('var = 1;', { kind: 'TAG', context: 'WEB' }).error).toMatch(
      /^the code does not parse \(line 1/,
    );
  });
});

describe('an imported script-style main builds and behaves the same', () => {
  it('an arrow GTM accepts as an operand gets the parentheses TypeScript needs, code and tests', async () => {
    const t = emptyTemplate('WEB');
    t.info = { type: 'MACRO', displayName: 'V', description: '', brand: {}, containerContexts: ['WEB'] };
    t.parameters = [{ type: 'TEXT', name: 'pick', displayName: 'Pick', simpleValueType: true }];
    t.code =
      "const ways = { up: (s) => s.toUpperCase() };\nconst way = ways[data.pick] || (s) => s + '!';\nreturn way('ab');";
    t.permissions = [];
    t.tests = {
      scenarios: [
        {
          name: 'up',
          code: "const f = null || () => 'up';\nassertThat(runCode({ pick: f() })).isEqualTo('AB');",
        },
        { name: 'other', code: "assertThat(runCode({ pick: 'x' })).isEqualTo('ab!');" },
        { name: 'broken', code: "assertThat(runCode({ pick: 'x' })).isEqualTo('ab!;" },
      ],
    };
    const root = path.join(repoRoot, 'test/fixtures/in-memory-import');
    const imported = importTemplate(t as Template, { name: 'v', toolchainVersion: '*', root });
    expect(imported.notes.map((n) => [n.code, n.where])).toEqual(
      expect.arrayContaining([
        ['import/arrow-parentheses', 'code'],
        ['import/arrow-parentheses', 'scenario: up'],
        ['import/test-syntax', 'scenario: broken'],
      ]),
    );
    expect(imported.files!.get('src/main.ts')).toContain("const way = ways[data.pick] || ((s) => s + '!');");
    // The scenario that does not parse is kept word for word; the build says where it is.
    expect(imported.files!.get('tests/template.test.ts')).toContain("isEqualTo('ab!;");
    const built = await compileSources({ root, files: imported.files! });
    expect(built.errors.map((e) => [e.code.startsWith('ts/1'), e.file])).toContainEqual([
      true,
      'tests/template.test.ts',
    ]);
    expect(built.errors.some((e) => e.code === 'lower/internal')).toBe(false);
    imported.files!.set(
      'tests/template.test.ts',
      (imported.files!.get('tests/template.test.ts') as string).replace("'ab!;", "'ab!');"),
    );
    const fixed = await compileSources({ root, files: imported.files! });
    expect(fixed.errors).toEqual([]);
    expect(runTests(fixed.template!).map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
  });

  it('a variable whose code returns at the top level, with its scenarios', async () => {
    const t = emptyTemplate('WEB');
    t.info = { type: 'MACRO', displayName: 'V', description: '', brand: {}, containerContexts: ['WEB'] };
    t.parameters = [{ type: 'TEXT', name: 'name', displayName: 'Name', simpleValueType: true }];
    t.code =
      "const makeString = require('makeString');\nif (!data.name) return 'none';\nreturn makeString(data.name).toUpperCase();";
    t.permissions = [];
    t.tests = {
      scenarios: [
        { name: 'upper-cases', code: "assertThat(runCode({ name: 'ab' })).isEqualTo('AB');" },
        { name: 'none', code: "assertThat(runCode({})).isEqualTo('none');" },
      ],
    };
    const root = path.join(repoRoot, 'test/fixtures/in-memory-import');
    const imported = importTemplate(t as Template, { name: 'v', toolchainVersion: '*', root });
    const built = await compileSources({ root, files: imported.files! });
    expect(built.errors).toEqual([]);
    expect(built.template!.code).toBe(
      "var makeString = require('makeString');\nif (!data.name) return 'none';\nreturn makeString(data.name).toUpperCase();",
    );
    expect(runTests(built.template!).map((r) => r.status)).toEqual(['pass', 'pass']);
  });
});

describe('importTemplate and repeated JSON keys', () => {
  const notesOf = (text: string) =>
    importTemplate(parse(text), {
      name: 'r',
      toolchainVersion: '*',
      root: path.join(repoRoot, 'test/fixtures/r'),
    }).notes;
  const brand = '"brand": {\n    "id": "brand_dummy",';

  it('says which key had two values, since the project holds only the last', () => {
    const twoValues = WEB_TAG.replace(brand, `${brand}\n    "id": "other",`);
    expect(twoValues).not.toBe(WEB_TAG);
    const line = twoValues.slice(0, twoValues.indexOf('"id": "other"')).split('\n').length;
    expect(notesOf(twoValues)).toContainEqual({
      code: 'import/repeated-key',
      where: '___INFO___',
      text: expect.stringContaining(
        `"id" twice in one object (\`brand\`, line ${line}) with different values`,
      ),
    });
  });

  it('says nothing of a key repeated with the same value', () => {
    const sameValue = WEB_TAG.replace('"version": 1,', '"version": 1,\n  "version": 1,');
    expect(sameValue).not.toBe(WEB_TAG);
    expect(notesOf(sameValue).filter((n) => n.code === 'import/repeated-key')).toEqual([]);
  });
});
