import { describe, expect, it } from 'vitest';
import {
  formatTemplate,
  parse,
  print,
  printCanonical,
  emptyTemplate,
  gsonStringify,
} from '../../src/tpl/index.js';
import { corpusFiles } from '../helpers/corpus.js';

const corpus = corpusFiles();

describe('corpus round trip', () => {
  it('has the 57 corpus templates', () => {
    expect(corpus.length).toBe(57);
  });

  it.each(corpus.map((f) => [f.name, f] as const))('%s prints back byte-for-byte', (_name, file) => {
    const template = parse(file.text);
    expect(template.syntaxErrors).toEqual([]);
    expect(print(template)).toBe(file.text);
  });

  it.each(corpus.map((f) => [f.name, f] as const))('%s formats idempotently', (_name, file) => {
    const once = formatTemplate(file.text);
    expect(once.ok).toBe(true);
    if (!once.ok) return;
    const twice = formatTemplate(once.text);
    expect(twice).toEqual({ ok: true, text: once.text, changed: false });
    // Formatting changes layout only, never content.
    const a = parse(file.text);
    const b = parse(once.text);
    expect([b.info, b.parameters, b.permissions, b.tests, b.code, b.notes]).toEqual([
      a.info,
      a.parameters,
      a.permissions,
      a.tests,
      a.code,
      a.notes,
    ]);
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

  it('reports bad JSON with its line and column in the file and keeps the text', () => {
    const text = MINIMAL.replace('"version": 1,', '"version": 1,,');
    const t = parse(text);
    expect(t.info).toBeUndefined();
    expect(t.syntaxErrors).toHaveLength(1);
    expect(t.syntaxErrors[0]).toMatchObject({ section: 'INFO', line: 6 });
    expect(print(t)).toBe(text);
    expect(formatTemplate(text).ok).toBe(false);
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
