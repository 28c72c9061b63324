// `gtm-template format <file.tpl>... [--check]`

import { writeFileSync } from 'node:fs';
import { formatTemplate } from '../tpl/format.js';
import { parseArgs } from './args.js';
import { readTextFile, requireFiles } from './files.js';

export async function runFormat(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: ['check', 'help'] });
  if (args.flags.has('help')) {
    process.stdout.write(
      "gtm-template format <file.tpl>... [--check]\n  Rewrites each file as GTM's current template editor exports it.\n  --check  change nothing; exit 1 when a file is not formatted\n",
    );
    return 0;
  }
  requireFiles(args.positionals, 'format');
  let status = 0;
  for (const file of args.positionals) {
    const result = formatTemplate(readTextFile(file));
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
