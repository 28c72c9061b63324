// `___TESTS___` → `tests/template.test.ts`: the setup word for word as the file's top-level code
// (the compiler makes a test file's top-level code the setup), each scenario word for word as the
// body of its `scenario(…)` call, with the test API imported from 'gtm/test'.

import { TEST_APIS } from '../gtm/apis.js';
import { parseSandboxJs } from '../js/parse.js';
import type { TemplateTests } from '../tpl/model.js';
import type { Notes } from './report.js';
import { arrowNote, standardSyntax } from './syntax.js';
import { stringLiteral } from './text.js';

function indent(code: string, by: string): string {
  return code
    .split('\n')
    .map((line) => (line.trim() ? by + line : ''))
    .join('\n');
}

/** The test API functions the code calls, for the import from 'gtm/test'. */
function usedTestApis(code: string): string[] {
  return [...TEST_APIS].filter((name) => new RegExp(`(?<![\\w$.])${name}\\s*\\(`).test(code)).sort();
}

export function testsSource(tests: TemplateTests | undefined, notes: Notes): string | undefined {
  if (!tests) return undefined;
  const scenarios = Array.isArray(tests.scenarios) ? tests.scenarios : [];
  for (const key of Object.keys(tests))
    if (key !== 'scenarios' && key !== 'setup')
      notes.add('import/dropped-key', '___TESTS___', `'${key}' is not part of GTM's tests: left out`);
  if (scenarios.length === 0 && !tests.setup) return undefined;
  // Each piece of code as TypeScript reads it: what does not parse is noted (and kept as it is),
  // arrows GTM accepts without parentheses get them (syntax.ts).
  const standard = (text: string, where: string) => {
    const parsed = parseSandboxJs(text);
    if (!parsed.ok) {
      notes.add(
        'import/test-syntax',
        where,
        `does not parse (line ${parsed.error.line}, column ${parsed.error.column}: ${parsed.error.message}): imported word for word, the build reports it until it is fixed`,
      );
      return text;
    }
    const std = standardSyntax(text, parsed.program);
    if (!std.parenthesized || !parseSandboxJs(std.code).ok) return text;
    notes.add('import/arrow-parentheses', where, arrowNote(std.parenthesized));
    return std.code;
  };
  const setup = typeof tests.setup === 'string' ? standard(tests.setup.trim(), '___TESTS___ setup') : '';
  const all = [setup, ...scenarios.map((s) => String(s.code ?? ''))].join('\n');
  const apis = ['scenario', ...usedTestApis(all)].sort();
  const parts = [
    "// The template's ___TESTS___, imported word for word: this file's top-level code is the setup GTM",
    '// runs before every scenario, and each scenario(…) body is one scenario.',
    `import { ${apis.join(', ')} } from 'gtm/test';`,
    '',
  ];
  if (setup) parts.push(setup, '');
  for (const s of scenarios) {
    const code = standard(String(s.code ?? '').replace(/\s+$/, ''), `scenario: ${String(s.name ?? '')}`);
    parts.push(`scenario(${stringLiteral(String(s.name ?? ''))}, () => {`, indent(code, '  '), '});', '');
  }
  return parts.join('\n');
}
