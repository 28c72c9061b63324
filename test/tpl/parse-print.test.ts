import { describe, expect, it } from 'vitest';
import {
  formatTemplate,
  parse,
  print,
  printCanonical,
  emptyTemplate,
  gsonStringify,
} from '../../src/tpl/index.js';
import { allCorpusFiles } from '../helpers/corpus.js';

// Both corpora: ../shared/corpus (57) and ../shared/corpus-wide (233), read at test time.
const corpus = allCorpusFiles();
const rows = corpus.map((f) => [`${f.folder}/${f.name}`, f] as const);

describe('corpus round trip', () => {
  it('has the templates of both folders', () => {
    expect(corpus.filter((f) => f.folder === 'corpus').length).toBe(57);
    expect(corpus.filter((f) => f.folder === 'corpus-wide').length).toBe(233);
  });

  // Every file, including one whose sections do not parse: what is not understood is kept verbatim.
  it.each(rows)('%s prints back byte-for-byte', (_name, file) => {
    expect(print(parse(file.text))).toBe(file.text);
  });

  it.each(rows)('%s formats idempotently, or is refused with the reason', (_name, file) => {
    const parsed = parse(file.text);
    const once = formatTemplate(file.text);
    const problem = parsed.syntaxErrors[0];
    if (problem) {
      // Rewriting would drop the section it cannot read: format refuses, naming where and why.
      expect(once).toEqual({
        ok: false,
        reason: expect.stringContaining(`___${problem.section}___ does not parse`),
      });
      if (!once.ok) expect(once.reason).toContain(`line ${problem.line}`);
      return;
    }
    expect(once.ok, once.ok ? '' : once.reason).toBe(true);
    if (!once.ok) return;
    const twice = formatTemplate(once.text);
    expect(twice).toEqual({ ok: true, text: once.text, changed: false });
    // Formatting changes layout only, never content.
    const a = parsed;
    const b = parse(once.text);
    expect(b.syntaxErrors).toEqual([]);
    expect([b.info, b.parameters, b.permissions, b.tests, b.code, b.notes]).toEqual([
      a.info,
      a.parameters,
      a.permissions,
      a.tests,
      a.code,
      a.notes,
    ]);
  });

  it('reads every section of nearly every file (the exceptions are the known-bad files)', () => {
    const unreadable = corpus.filter((f) => parse(f.text).syntaxErrors.length > 0).map((f) => f.name);
    // A file whose section does not parse is broken for GTM too; test/check/corpus-known-bad.json
    // holds the evidence. Anything else here is a reader that is stricter than GTM's.
    expect(unreadable).toEqual(['convertix-digital+Convertix-Events-GTM-Tag__template.tpl']);
  });
});

const MINIMAL = [
  '___INFO___',
  '',
  '{\n  "type": "TAG",\n  "id": "cvt_temp_public_id",\n  "version": 1,\n  "displayName": "X",\n  "containerContexts": [\n    "WEB"\n  ]\n}',
  '',
  '',
  '___TEMPLATE_PARAMETERS___',
  '',
  '[]',
  '',
  '',
  '___WEB_PERMISSIONS___',
  '',
  '[]',
  '',
  '',
  '___SANDBOXED_JS_FOR_WEB_TEMPLATE___',
  '',
  'data.gtmOnSuccess();',
  '',
  '',
].join('\n');

describe('parse', () => {
  it('reads CRLF files, a BOM and a licence comment before the first marker', () => {
    const text = '\uFEFF// Licence\r\n\r\n' + MINIMAL.replace(/\n/g, '\r\n');
    const t = parse(text);
    expect(t.layout?.bom).toBe(true);
    expect(t.layout?.preamble).toBe('// Licence\r\n\r\n');
    expect(t.info?.displayName).toBe('X');
    expect(t.code).toBe('data.gtmOnSuccess();');
    expect(print(t)).toBe(text);
  });

  it('keeps unknown sections and round-trips them', () => {
    const text = MINIMAL + '___VENDOR_DETAILS___\n\nsomething\n\n\n';
    const t = parse(text);
    expect(t.unknownSections).toEqual({ VENDOR_DETAILS: 'something' });
    expect(print(t)).toBe(text);
    expect(printCanonical(t)).toContain('___VENDOR_DETAILS___\n\nsomething\n\n\n');
  });

  it('refuses to format text with no section markers rather than rewrite a file that is not a template', () => {
    for (const text of ['', 'hello\n', '{"type": "TAG"}\n']) {
      const result = formatTemplate(text);
      expect(result).toEqual({ ok: false, reason: expect.stringContaining('no section markers found') });
    }
  });

  it('reports bad JSON with its line and column in the file and keeps the text', () => {
    const text = MINIMAL.replace('"version": 1,', '"version": 1,,');
    const t = parse(text);
    expect(t.info).toBeUndefined();
    expect(t.syntaxErrors).toHaveLength(1);
    expect(t.syntaxErrors[0]).toMatchObject({ section: 'INFO', line: 6 });
    expect(print(t)).toBe(text);
    expect(formatTemplate(text).ok).toBe(false);
  });

  it('names an unquoted property name as the problem, and other bad symbols plainly', () => {
    const unquoted = parse(MINIMAL.replace('"version": 1,', 'version: 1,')).syntaxErrors;
    expect(unquoted).toEqual([
      expect.objectContaining({
        section: 'INFO',
        line: 6,
        message: 'invalid JSON: the property name version is not in double quotes (JSON needs "version")',
      }),
    ]);
    // A value that is no JSON value is not a property name, even before a colon further on.
    const symbol = parse(MINIMAL.replace('"version": 1,', '"version": one,')).syntaxErrors;
    expect(symbol.map((e) => e.message)).toEqual(['invalid JSON: unexpected character']);
  });

  it('reads a line break inside a JSON string, as GTM (Gson) does, and notes it', () => {
    const text = MINIMAL.replace('"displayName": "X"', '"displayName": "X\nY"');
    const t = parse(text);
    expect(t.syntaxErrors).toEqual([]);
    expect(t.info?.displayName).toBe('X\nY');
    expect(t.syntaxNotes).toEqual([expect.objectContaining({ section: 'INFO', line: 7 })]);
    expect(print(t)).toBe(text);
    const formatted = formatTemplate(text);
    expect(formatted.ok && formatted.text).toContain('"displayName": "X\\nY"');
  });

  it.each([
    ['a trailing comma', MINIMAL.replace('"WEB"\n  ]\n}', '"WEB"\n  ],\n}')],
    ['an unquoted key', MINIMAL.replace('"version": 1,', 'version: 1,')],
    ['a comment', MINIMAL.replace('"version": 1,', '// c\n  "version": 1,')],
  ])('still refuses JSON with %s', (_name, source) => {
    expect(source).not.toBe(MINIMAL);
    const t = parse(source);
    expect(t.info).toBeUndefined();
    expect(t.syntaxErrors[0]?.section).toBe('INFO');
  });

  it('reads a quoted scenario whose continuation line is under-indented, as SnakeYAML does', () => {
    // GTM's own emitter writes such lines; SnakeYAML does not check indentation inside quotes.
    const tests =
      'scenarios:\n- name: a\n  code: "runCode({\\n  id:\\\n\\ \\"1\\"});"\n- name: b\n  code: x();\n';
    const t = parse(MINIMAL + '___TESTS___\n\n' + tests);
    expect(t.syntaxErrors).toEqual([]);
    expect(t.tests?.scenarios).toEqual([
      { name: 'a', code: 'runCode({\n  id: "1"});' },
      { name: 'b', code: 'x();' },
    ]);
  });

  it('reports bad YAML in TESTS', () => {
    const t = parse(MINIMAL + '___TESTS___\n\nscenarios:\n- name: a\n  code: [unclosed\n');
    expect(t.syntaxErrors[0]?.section).toBe('TESTS');
  });

  it('decides the context from the markers of a server template', () => {
    const t = parse(
      MINIMAL.replace('WEB_PERMISSIONS', 'SERVER_PERMISSIONS').replace(
        'SANDBOXED_JS_FOR_WEB_TEMPLATE',
        'SANDBOXED_JS_FOR_SERVER',
      ),
    );
    expect(t.context).toBe('SERVER');
    expect(t.code).toBe('data.gtmOnSuccess();');
  });
});

describe('print', () => {
  it('rewrites only the changed section, in editor style with Gson escapes', () => {
    const t = parse(MINIMAL);
    t.info!.description = "a <b> & 'c' = d";
    const out = print(t);
    expect(out).toContain('"description": "a \\u003cb\\u003e \\u0026 \\u0027c\\u0027 \\u003d d"');
    expect(out.slice(out.indexOf('___TEMPLATE_PARAMETERS___'))).toBe(
      MINIMAL.slice(MINIMAL.indexOf('___TEMPLATE_PARAMETERS___')),
    );
  });

  it('inserts a new section at its editor position', () => {
    const t = parse(MINIMAL);
    t.tests = { scenarios: [{ name: 'runs', code: "runCode({});\nassertApi('gtmOnSuccess').wasCalled();" }] };
    t.notes = 'Created on 1/1/2026';
    const out = print(t);
    expect(
      out.endsWith(
        "___TESTS___\n\nscenarios:\n- name: runs\n  code: |-\n    runCode({});\n    assertApi('gtmOnSuccess').wasCalled();\n\n\n___NOTES___\n\nCreated on 1/1/2026\n\n\n",
      ),
    ).toBe(true);
  });

  it('drops a section removed from the model', () => {
    const t = parse(MINIMAL);
    t.permissions = undefined;
    expect(print(t)).not.toContain('___WEB_PERMISSIONS___');
  });

  it('prints a new template in the editor order with a BOM', () => {
    const t = emptyTemplate();
    t.code = 'data.gtmOnSuccess();';
    t.info = { type: 'TAG' };
    t.parameters = [];
    t.permissions = [];
    t.termsOfService = 'tos';
    const out = printCanonical(t);
    expect(
      out.startsWith(
        '\uFEFF___TERMS_OF_SERVICE___\n\ntos\n\n\n___INFO___\n\n{\n  "type": "TAG"\n}\n\n\n___TEMPLATE_PARAMETERS___\n\n[]\n\n\n___SANDBOXED_JS_FOR_WEB_TEMPLATE___',
      ),
    ).toBe(true);
    expect(parse(out).code).toBe('data.gtmOnSuccess();');
  });

  it('escapes like Gson', () => {
    expect(gsonStringify({ a: "<>&='\u2028" })).toBe(
      '{\n  "a": "\\u003c\\u003e\\u0026\\u003d\\u0027\\u2028"\n}',
    );
  });
});
