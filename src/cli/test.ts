// `gtm-template test <file.tpl>... [--json] [--once] [--strict-permissions]`: runs each file's own
// ___TESTS___ scenarios offline in the sandbox. One line per scenario with its time, then the
// summary line `N passed, N failed` alone on its line. Exit 0 when every scenario passes, 1
// otherwise, 2 on usage or I/O errors.

import { runTests, type ScenarioResult } from '../sandbox/index.js';
import { parse } from '../tpl/index.js';
import { parseArgs } from './args.js';
import { readTextFile, requireFiles } from './files.js';

const HELP = `gtm-template test <file.tpl>... [--json] [--once] [--strict-permissions]
  Runs each template's ___TESTS___ scenarios in an offline copy of GTM's sandbox.
  --json                print [{ file, scenarios: [{ name, status, message, ms }] }]
  --once                also fail a scenario whose run did not call exactly one of
                        gtmOnSuccess/gtmOnFailure exactly once (tag templates)
  --strict-permissions  check permissions for mocked APIs too (GTM skips them)
Exit codes: 0 all scenarios pass, 1 a scenario failed or errored, 2 usage or I/O error.
`;

interface FileReport {
  file: string;
  scenarios: ScenarioResult[];
  /** A problem with the file itself (its tests cannot be read). */
  problem?: string;
}

function testFile(
  file: string,
  text: string,
  options: { once: boolean; strictPermissions: boolean },
): FileReport {
  const template = parse(text);
  const testsError = template.syntaxErrors.find((e) => e.section === 'TESTS');
  if (testsError) {
    return {
      file,
      scenarios: [],
      problem: `${file}:${testsError.line}:${testsError.column}: ___TESTS___ is not valid YAML: ${testsError.message} (test/bad-tests-section)`,
    };
  }
  return { file, scenarios: runTests(template, options) };
}

function statusWord(status: ScenarioResult['status']): string {
  return status === 'pass' ? 'pass ' : status === 'fail' ? 'FAIL ' : 'ERROR';
}

export async function runTest(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: ['json', 'once', 'strict-permissions', 'help'] });
  if (args.flags.has('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  requireFiles(args.positionals, 'test');
  const inputs = args.positionals.map((file) => ({ file, text: readTextFile(file) }));
  const options = { once: args.flags.has('once'), strictPermissions: args.flags.has('strict-permissions') };
  const reports = inputs.map(({ file, text }) => testFile(file, text, options));

  let passed = 0;
  let failed = 0;
  for (const r of reports) {
    if (r.problem) failed++;
    for (const s of r.scenarios) s.status === 'pass' ? passed++ : failed++;
  }

  if (args.flags.has('json')) {
    const rows = reports.map((r) => ({
      file: r.file,
      ...(r.problem ? { error: r.problem } : {}),
      scenarios: r.scenarios.map((s) => ({
        name: s.name,
        status: s.status,
        message: s.message ?? null,
        ms: Math.round(s.ms * 1000) / 1000,
      })),
    }));
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  } else {
    for (const r of reports) {
      process.stdout.write(`${r.file}\n`);
      if (r.problem) process.stdout.write(`  ${r.problem}\n`);
      else if (r.scenarios.length === 0) process.stdout.write('  (no ___TESTS___ scenarios)\n');
      for (const s of r.scenarios) {
        const message = s.message ? `\n      ${s.message.replace(/\n/g, '\n      ')}` : '';
        process.stdout.write(`  ${statusWord(s.status)} ${s.name} (${s.ms.toFixed(1)} ms)${message}\n`);
      }
    }
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
  }
  return failed > 0 ? 1 : 0;
}
