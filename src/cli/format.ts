// `gtm-template format <file.tpl>... [--check]`

import { writeFileSync } from 'node:fs';
import { formatTemplate } from '../tpl/format.js';
import { parseArgs } from './args.js';
import { describeNotUtf8, readTemplateFile, templateFiles } from './files.js';

export async function runFormat(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: ['check', 'help'] });
  if (args.flags.has('help')) {
    process.stdout.write(
      "gtm-template format <file.tpl | folder>... [--check]\n  Rewrites each file as GTM's current template editor exports it (a folder: every .tpl below it).\n  --check  change nothing; exit 1 when a file is not formatted\n",
    );
    return 0;
  }
  let status = 0;
  for (const file of templateFiles(args.positionals, 'format')) {
    const { text, notUtf8 } = readTemplateFile(file);
    if (notUtf8) {
      // Written back, the text would hold U+FFFD where the file has other bytes: they would be lost.
      process.stderr.write(
        `${file}: cannot format: ${describeNotUtf8(notUtf8)} is not valid UTF-8, and formatting would replace it with U+FFFD (�), so the file is left as it is; re-save it as UTF-8 first (format/not-utf8)\n`,
      );
      status = Math.max(status, 1);
      continue;
    }
    const result = formatTemplate(text);
    if (!result.ok) {
      process.stderr.write(`${file}: cannot format: ${result.reason} (format/unparsable)\n`);
      status = Math.max(status, 1);
      continue;
    }
    if (!result.changed) continue;
    if (args.flags.has('check')) {
      process.stdout.write(`${file}: not formatted\n`);
      status = Math.max(status, 1);
    } else {
      writeFileSync(file, result.text);
      process.stdout.write(`${file}: formatted\n`);
    }
  }
  return status;
}
