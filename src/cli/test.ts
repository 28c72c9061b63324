// `gtm-template test <file.tpl>... [--json] [--once] [--strict-permissions] [--workers N]
// [--memory-limit MB]`: runs each file's own ___TESTS___ scenarios offline in the sandbox, on worker
// threads (one per core) that each have a memory limit. One line per scenario with its time, then
// the summary line `N passed, N failed` alone on its line. Exit 0 when every scenario passes, 1
// otherwise, 2 on usage or I/O errors.

import { parseArgs, wholeNumberOption } from './args.js';
import { readTextFile, templateFiles, workerEntry } from './files.js';
import type { FileReport, TestFileOptions } from './test-file.js';
import { DEFAULT_MEMORY_LIMIT_MB, testInWorkers, type TestInput } from './test-workers.js';
import type { ScenarioResult } from '../sandbox/index.js';

const HELP = `gtm-template test <file.tpl | folder>... [--json] [--once] [--strict-permissions]
                   [--workers N] [--memory-limit MB]
  Runs each template's ___TESTS___ scenarios in an offline copy of GTM's sandbox (a folder:
  every .tpl below it).
  --json                print [{ file, error?, note?, scenarios: [{ name, status, message, code?, ms }] }]
                        (error: the tests could not be read; note: what else to know, e.g. a section GTM cannot read)
  --once                also fail a scenario whose run did not call exactly one of
                        gtmOnSuccess/gtmOnFailure exactly once (tag templates)
  --strict-permissions  check permissions for mocked APIs too (GTM skips them)
  --workers N           worker threads (default: one per core, at most one per file);
                        0 runs in this process, without a memory limit
  --memory-limit MB     heap limit of each worker (default ${DEFAULT_MEMORY_LIMIT_MB}); a scenario that
                        needs more ends as an error (sandbox/memory-limit)
Exit codes: 0 all scenarios pass, 1 a scenario failed or errored, 2 usage or I/O error.
`;

function statusWord(status: ScenarioResult['status']): string {
  return status === 'pass' ? 'pass ' : status === 'fail' ? 'FAIL ' : 'ERROR';
}

/**
 * The files tested in this process. The runtime is loaded only here: with workers, this thread
 * never runs a scenario, and not compiling the runtime lets the first worker start ~20 ms sooner.
 */
async function testHere(inputs: readonly TestInput[], options: TestFileOptions): Promise<FileReport[]> {
  const { testFile } = await import('./test-file.js');
  return inputs.map(({ file, text }) => testFile(file, text, options));
}

export async function runTest(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    flags: ['json', 'once', 'strict-permissions', 'help'],
    options: ['workers', 'memory-limit'],
  });
  if (args.flags.has('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  const workers = wholeNumberOption('workers', args.options.get('workers'), 0);
  const memoryLimitMb =
    wholeNumberOption('memory-limit', args.options.get('memory-limit'), 16) ?? DEFAULT_MEMORY_LIMIT_MB;
  const inputs = templateFiles(args.positionals, 'test').map((file) => ({ file, text: readTextFile(file) }));
  const options = { once: args.flags.has('once'), strictPermissions: args.flags.has('strict-permissions') };
  // Without a built CLI to start workers from (running from sources), tests run in this process.
  const entry = workers === 0 ? undefined : workerEntry();
  const reports: FileReport[] = entry
    ? await testInWorkers(inputs, options, {
        entry,
        // By default one per core, at most one per file; none starts for files without scenarios.
        workers,
        memoryLimitMb,
      })
    : await testHere(inputs, options);

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
      ...(r.note ? { note: r.note } : {}),
      scenarios: r.scenarios.map((s) => ({
        name: s.name,
        status: s.status,
        message: s.message ?? null,
        ...(s.code ? { code: s.code } : {}),
        ms: Math.round(s.ms * 1000) / 1000,
      })),
    }));
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  } else {
    for (const r of reports) {
      process.stdout.write(`${r.file}\n`);
      if (r.problem) process.stdout.write(`  ${r.problem}\n`);
      if (r.note) process.stdout.write(`  note: ${r.note}\n`);
      else if (r.scenarios.length === 0) process.stdout.write('  (no ___TESTS___ scenarios)\n');
      for (const s of r.scenarios) {
        const text = s.message && s.code && s.status === 'error' ? `${s.message} (${s.code})` : s.message;
        const message = text ? `\n      ${text.replace(/\n/g, '\n      ')}` : '';
        process.stdout.write(`  ${statusWord(s.status)} ${s.name} (${s.ms.toFixed(1)} ms)${message}\n`);
      }
    }
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
  }
  return failed > 0 ? 1 : 0;
}
