// `gtm-template check <file.tpl>... [--json] [--workers N]`: exit 0 without errors (warnings allowed), 1 with
// errors, 2 on usage or I/O problems.

import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { parseArgs, wholeNumberOption } from './args.js';
import { checkFiles } from './check-workers.js';
import { notUtf8Finding } from '../check/index.js';
import { readTemplateFile, templateFiles } from './files.js';

const HELP = `gtm-template check <file.tpl | folder>... [--json] [--workers N]
  Checks each template the way GTM would import, save and run it (a folder: every .tpl below it).
  --json       print one JSON array of { file, severity, code, text, section, line, column }
               (the interface tools rely on: exactly these keys)
  --workers N  threads that check (default: one per two cores when the files are many; 1 = this one)
Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage or I/O error.
`;

export async function runCheck(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: ['json', 'help'], options: ['workers'] });
  if (args.flags.has('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  const threads = wholeNumberOption('workers', args.options.get('workers'), 1);
  // Read everything first: an unreadable file is a usage/I-O error (exit 2), reported before any output.
  const read = templateFiles(args.positionals, 'check').map((file) => ({ file, ...readTemplateFile(file) }));
  const inputs = read.map(({ file, text }) => ({ file, text }));
  const all: Diagnostic[] = [];
  const found = await checkFiles(inputs, threads);
  read.forEach(({ file, notUtf8 }, i) => {
    const findings = [...found[i]!];
    // A property of the bytes, which the checker (given text) cannot see.
    if (notUtf8) findings.unshift(notUtf8Finding(notUtf8.byte, notUtf8.line, notUtf8.column));
    for (const d of findings) all.push({ ...d, file });
  });
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.filter((d) => d.severity === 'warning').length;

  if (args.flags.has('json')) {
    const rows = all.map((d) => ({
      file: d.file,
      severity: d.severity,
      code: d.code,
      text: d.text,
      section: d.section ?? null,
      line: d.line,
      column: d.column,
    }));
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  } else {
    for (const d of all) process.stdout.write(formatDiagnostic(d) + '\n');
    const files = inputs.length === 1 ? '1 file' : `${inputs.length} files`;
    process.stdout.write(
      `${files} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`,
    );
  }
  return errors > 0 ? 1 : 0;
}
