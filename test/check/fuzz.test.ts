// Robustness: seeded random mutations of templates (byte flips, truncations, swapped, duplicated
// and dropped sections, inserted syntax, huge inputs) never make `parse`/`check` throw, and every
// finding is well-formed. Seeds: the suite's own templates plus the smallest corpus files.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/index.js';
import { parse } from '../../src/tpl/parse.js';
import { corpusFiles } from '../helpers/corpus.js';
import { BASES } from './fixtures.js';

const SEEDS: string[] = [
  ...Object.values(BASES),
  ...corpusFiles()
    .sort((a, b) => a.text.length - b.text.length)
    .slice(0, 4)
    .map((f) => f.text),
];

/** Fragments that reach deep into the checker when inserted: markers, JSON, YAML, JS syntax. */
const FRAGMENTS = [
  '___INFO___\n',
  '___TEMPLATE_PARAMETERS___\n',
  '___SANDBOXED_JS_FOR_WEB_TEMPLATE___\n',
  '___SANDBOXED_JS_FOR_SERVER___\n',
  '___WEB_PERMISSIONS___\n',
  '___TESTS___\n',
  '___X___\n',
  '{',
  '}',
  '[',
  ']',
  '"',
  ',',
  ':',
  'null',
  '"type": 3,',
  '"mapKey": [],',
  '"enablingConditions": [{}],',
  '"valueValidators": [{"type": "REGEX", "args": ["("]}],',
  '"subParams": 1,',
  '- name: x\n  code: 1\n',
  'scenarios: {}\n',
  '\t',
  '\r\n',
  '\uFEFF',
  '`${',
  '/re/g',
  'new ',
  'this',
  '...',
  'class ',
  'try {',
  "require('",
  "callInWindow('",
  'function (',
  '=> ',
  '\u2028',
];

function splitSections(text: string): string[] {
  return text.split(/(?=^___[A-Z_]+___\s*$)/m);
}

type Mutation = (text: string) => string;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Byte flips: change one byte of the UTF-8 encoding (may produce invalid UTF-8 → U+FFFD).
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length === 0) return text;
    bytes[at % bytes.length] = byte;
    return bytes.toString('utf8');
  }),
  fc.nat().map((at) => (text: string) => text.slice(0, at % (text.length + 1))),
  fc.tuple(fc.nat(), fc.nat()).map(([at, length]) => (text: string) => {
    const start = at % (text.length + 1);
    return text.slice(0, start) + text.slice(start + (length % 200));
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...FRAGMENTS)).map(([at, fragment]) => (text: string) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + fragment + text.slice(i);
  }),
  fc.tuple(fc.nat(), fc.string({ maxLength: 20 })).map(([at, s]) => (text: string) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + s + text.slice(i);
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (text: string) => {
    const parts = splitSections(text);
    const i = a % parts.length;
    const j = b % parts.length;
    [parts[i], parts[j]] = [parts[j]!, parts[i]!];
    return parts.join('');
  }),
  fc.nat().map((a) => (text: string) => {
    const parts = splitSections(text);
    const i = a % parts.length;
    parts.splice(i, 0, parts[i]!);
    return parts.join('');
  }),
  fc.nat().map((a) => (text: string) => {
    const parts = splitSections(text);
    parts.splice(a % parts.length, 1);
    return parts.join('');
  }),
  // Huge inputs: a section repeated many times, a very long line, deep nesting.
  fc.constantFrom<Mutation>(
    (text) => text + splitSections(text).slice(-2).join('').repeat(100),
    (text) => text.replace('\n', '\n' + 'a'.repeat(200_000) + '\n'),
    (text) => text.replace(/\[/, '['.repeat(5_000)),
    (text) => text.replace(/\(/, '('.repeat(3_000)),
    (text) => text.replace(/data\./, 'data.' + 'a.'.repeat(5_000)),
    (text) => text.replace(/const /, 'const x = ' + '1 + '.repeat(5_000) + '1;\nconst '),
  ),
);

const CODE = /^[a-z]+(?:-[a-z]+)*\/[a-z]+(?:-[a-z]+)*$/;

describe('fuzzing parse and check', () => {
  it('never throws and always reports well-formed diagnostics (10,000 seeded mutations)', () => {
    const codesSeen = new Set<string>();
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (seed, mutations) => {
          const text = mutations.reduce((t, m) => m(t), seed);
          const template = parse(text);
          const diagnostics = check(template);
          for (const d of diagnostics) {
            codesSeen.add(d.code);
            expect(d.code).toMatch(CODE);
            expect(d.code.startsWith('internal/'), `${d.code}: ${d.text}`).toBe(false);
            expect(['error', 'warning', 'info']).toContain(d.severity);
            expect(Number.isInteger(d.line) && d.line >= 1).toBe(true);
            expect(Number.isInteger(d.column) && d.column >= 1).toBe(true);
            expect(typeof d.text === 'string' && d.text.length > 0).toBe(true);
          }
        },
      ),
      { seed: 20261124, numRuns: 10_000 },
    );
    // The mutations must reach the checker's rules, not just bounce off the parser.
    expect(codesSeen.size).toBeGreaterThanOrEqual(25);
  });
});

describe('pathologically deep inputs', () => {
  const variable = (params: string, code: string, tests = 'scenarios: []') =>
    `___INFO___\n\n{"type":"MACRO","displayName":"x","containerContexts":["WEB"]}\n\n` +
    `___TEMPLATE_PARAMETERS___\n\n${params}\n\n___SANDBOXED_JS_FOR_WEB_TEMPLATE___\n\n${code}\n\n___TESTS___\n\n${tests}\n`;
  const cases: [string, string, string][] = [
    ['JSON nested 20,000 levels', variable('['.repeat(20_000), 'return 1;'), 'params/invalid-json'],
    [
      'groups nested 2,000 levels',
      variable(
        '[' + '{"type":"GROUP","name":"g","subParams":['.repeat(2_000) + ']}'.repeat(2_000) + ']',
        'return 1;',
      ),
      'params/too-deep',
    ],
    [
      'an expression 5,000 operators long',
      variable('[]', 'return ' + '1 + '.repeat(5_000) + '1;'),
      'js/syntax',
    ],
    ['a member chain 5,000 long', variable('[]', 'return data' + '.a'.repeat(5_000) + ';'), 'js/too-deep'],
    [
      'YAML nested 20,000 levels',
      variable('[]', 'return 1;', 'scenarios: ' + '['.repeat(20_000)),
      'tests/invalid-yaml',
    ],
  ];
  it.each(cases)('%s is reported, not thrown', (_name, text, code) => {
    const diagnostics = check(parse(text));
    expect(diagnostics.map((d) => d.code)).toContain(code);
    expect(diagnostics.filter((d) => d.code.startsWith('internal/'))).toEqual([]);
  });
});
