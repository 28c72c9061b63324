// Web and server sections in one file: the error names the sections the file really has and,
// when containerContexts picks one context, which of them to delete.
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { SERVER_VARIABLE, WEB_TAG } from './fixtures.js';

function mismatch(source: string) {
  return checkSource(source).filter((d) => d.code === 'structure/context-mismatch');
}

describe('structure/context-mismatch for web and server sections in one file', () => {
  it('the example web tag and server variable have none', () => {
    expect(mismatch(WEB_TAG)).toEqual([]);
    expect(mismatch(SERVER_VARIABLE)).toEqual([]);
  });

  it('a web template with pasted server code: names the present sections and the one to delete', () => {
    const source = WEB_TAG.replace(
      '___WEB_PERMISSIONS___',
      '___SANDBOXED_JS_FOR_SERVER___\n\nreturn 1;\n\n\n___WEB_PERMISSIONS___',
    );
    expect(source).not.toBe(WEB_TAG);
    const found = mismatch(source);
    expect(found).toHaveLength(1);
    expect(found[0]!.severity).toBe('error');
    expect(found[0]!.text).toContain(
      'web sections (___SANDBOXED_JS_FOR_WEB_TEMPLATE___, ___WEB_PERMISSIONS___) and server sections (___SANDBOXED_JS_FOR_SERVER___)',
    );
    expect(found[0]!.text).toContain('containerContexts is ["WEB"]: delete ___SANDBOXED_JS_FOR_SERVER___.');
  });

  it('a web template without permissions: does not name sections it lacks', () => {
    const source = WEB_TAG.replace(
      /___WEB_PERMISSIONS___[\s\S]*?(?=___TESTS___)/,
      '___SANDBOXED_JS_FOR_SERVER___\n\nreturn 1;\n\n\n',
    );
    expect(source).not.toBe(WEB_TAG);
    const text = mismatch(source)[0]!.text;
    expect(text).toContain('web sections (___SANDBOXED_JS_FOR_WEB_TEMPLATE___) and');
    expect(text).not.toContain('PERMISSIONS');
  });

  it('a server template with web code: says to delete the web section', () => {
    const source = SERVER_VARIABLE.replace(
      '___SERVER_PERMISSIONS___',
      '___SANDBOXED_JS_FOR_WEB_TEMPLATE___\n\nreturn 1;\n\n\n___SERVER_PERMISSIONS___',
    );
    expect(source).not.toBe(SERVER_VARIABLE);
    expect(mismatch(source)[0]!.text).toContain(
      'containerContexts is ["SERVER"]: delete ___SANDBOXED_JS_FOR_WEB_TEMPLATE___.',
    );
  });
});
