// A line that looks like a section marker but is not one: GTM reads it as part of the section
// before it, so the checker warns, at that line. The scan runs over whole sections at once; these
// cases pin the line numbers and what counts as a line (ended by \n, not by a lone \r).
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { WEB_TAG } from './fixtures.js';

function malformed(source: string) {
  return checkSource(source).filter((d) => d.code === 'structure/malformed-marker');
}

function lineOf(source: string, text: string): number {
  return source.slice(0, source.indexOf(text)).split('\n').length;
}

describe('structure/malformed-marker', () => {
  it('the example tag has none', () => {
    expect(malformed(WEB_TAG)).toEqual([]);
  });

  it('warns at each near-marker line, with its own line number', () => {
    const source = WEB_TAG.replace('___NOTES___', '___Notes___').replace(
      '___TEMPLATE_PARAMETERS___',
      '___TEMPLATE_PARAMETERS___\n  __Info___  ',
    );
    expect(source).not.toBe(WEB_TAG);
    const found = malformed(source);
    expect(found.map((d) => [d.line, d.severity])).toEqual(
      [
        [lineOf(source, '__Info___'), 'warning'],
        [lineOf(source, '___Notes___'), 'warning'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    expect(found.map((d) => d.text)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"__Info___"'),
        expect.stringContaining('"___Notes___"'),
      ]),
    );
  });

  it('reads a CRLF line as one line, and a lone \\r as part of its line', () => {
    const crlf = WEB_TAG.replace('___TEMPLATE_PARAMETERS___\n', '___TEMPLATE_PARAMETERS___\n__Info__\r\n');
    expect(malformed(crlf).map((d) => d.line)).toEqual([lineOf(crlf, '__Info__')]);
    // `x\r__Info__` is one line that starts with x: not marker-like.
    const loneCr = WEB_TAG.replace('___TEMPLATE_PARAMETERS___\n', '___TEMPLATE_PARAMETERS___\nx\r__Info__\n');
    expect(malformed(loneCr)).toEqual([]);
  });

  it('does not warn about a real marker or about underscores inside a line', () => {
    const source = WEB_TAG.replace(
      '___TEMPLATE_PARAMETERS___\n',
      '___TEMPLATE_PARAMETERS___\nconst __a__ = 1;\n',
    );
    expect(malformed(source)).toEqual([]);
  });
});
