// The same template written another way GTM reads alike gets the same findings and the same
// scenario outcomes, over every file of both corpora. Templates reach users through Git checkouts
// on Windows (CRLF line endings) and hand edits (JSON re-indented or on one line); GTM reads JSON
// by its value, and a line break is a line break whichever way it is written.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/index.js';
import { runTests } from '../../src/sandbox/index.js';
import { parse } from '../../src/tpl/parse.js';
import { allCorpusFiles } from '../helpers/corpus.js';

const JSON_SECTIONS =
  /(___(?:INFO|TEMPLATE_PARAMETERS|WEB_PERMISSIONS|SERVER_PERMISSIONS)___\r?\n\r?\n)([\s\S]*?)(?=\r?\n\r?\n___|\s*$)/g;

/** Every JSON section that parses, printed again by `JSON.stringify` with `indent`. */
function reprintJson(text: string, indent: number | undefined): string {
  return text.replace(JSON_SECTIONS, (whole, head: string, body: string) => {
    try {
      return head + JSON.stringify(JSON.parse(body), null, indent);
    } catch {
      return whole; // a section that does not parse stays as it is
    }
  });
}

/** The findings as severity and code, without positions (which the rewrite moves). */
function findings(text: string, ignore: readonly string[] = []): string[] {
  return check(parse(text))
    .filter((d) => !ignore.includes(d.code))
    .map((d) => `${d.severity} ${d.code}`)
    .sort();
}

function outcomes(text: string): string[] {
  return runTests(parse(text)).map((r) => `${r.name}: ${r.status}`);
}

const files = allCorpusFiles();

describe('a template written another way GTM reads alike', () => {
  it('CRLF line endings for LF (and LF for CRLF): the same findings and scenario outcomes', () => {
    let compared = 0;
    for (const file of files) {
      // A few corpus files are CRLF already: those are compared with their LF form.
      const other = file.text.includes('\r\n')
        ? file.text.replace(/\r\n/g, '\n')
        : file.text.replace(/\n/g, '\r\n');
      expect(other).not.toBe(file.text);
      expect({ file: file.name, findings: findings(other) }).toEqual({
        file: file.name,
        findings: findings(file.text),
      });
      if (parse(file.text).tests?.scenarios?.length) {
        expect({ file: file.name, outcomes: outcomes(other) }).toEqual({
          file: file.name,
          outcomes: outcomes(file.text),
        });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('JSON sections on one line or indented by four: the same findings and scenario outcomes', () => {
    let changed = 0;
    for (const file of files) {
      // A key written twice is lost when the section is printed again: that warning goes with it.
      const before = findings(file.text, ['structure/repeated-key']);
      for (const indent of [undefined, 4]) {
        const reprinted = reprintJson(file.text, indent);
        if (reprinted === file.text) continue;
        changed++;
        expect({
          file: file.name,
          indent,
          findings: findings(reprinted, ['structure/repeated-key']),
        }).toEqual({
          file: file.name,
          indent,
          findings: before,
        });
      }
      if (parse(file.text).tests?.scenarios?.length) {
        expect({ file: file.name, outcomes: outcomes(reprintJson(file.text, undefined)) }).toEqual({
          file: file.name,
          outcomes: outcomes(file.text),
        });
      }
    }
    expect(changed).toBeGreaterThan(2 * (files.length - 20));
  });
});
