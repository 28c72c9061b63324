// `gtm-template init [dir] [--type tag|variable] [--context web|server]`: writes a new template
// project (src/init/ makes the files) into an empty or new folder.

import path from 'node:path';
import { initProject, type StarterContext, type StarterKind } from '../init/index.js';
import { CliUsageError, parseArgs } from './args.js';
import { notEmptyReason, toolchainPackage, writeProjectFiles } from './files.js';

const HELP = `gtm-template init [dir] [--type tag|variable] [--context web|server]
  Starts a template project in dir (default: the current folder), which must be empty or new
  (a .git folder alone is fine): template.json, src/fields.ts, src/main.ts, tests/, tsconfig.json
  and package.json with build, watch and test scripts. It builds, checks and passes its tests as is.
  --type     tag (default) or variable
  --context  web (default) or server
Exit codes: 0 written, 2 usage error or a folder that is not empty.
`;

const TYPES: Record<string, StarterKind> = { tag: 'TAG', variable: 'MACRO' };
const CONTEXTS: Record<string, StarterContext> = { web: 'WEB', server: 'SERVER' };

export async function runInit(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: ['help'], options: ['type', 'context'] });
  if (args.flags.has('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positionals.length > 1) throw new CliUsageError('one folder at most: gtm-template init [dir]');
  const choose = <T>(option: string, table: Record<string, T>, fallback: string): T => {
    const value = (args.options.get(option) ?? fallback).toLowerCase();
    if (!(value in table))
      throw new CliUsageError(
        `--${option} ${value}: one of ${Object.keys(table).join(', ')}`,
        'usage/bad-option',
      );
    return table[value]!;
  };
  const type = choose('type', TYPES, 'tag');
  const context = choose('context', CONTEXTS, 'web');
  const dir = args.positionals[0] ?? '.';
  const busy = notEmptyReason(dir);
  if (busy) throw new CliUsageError(busy, 'init/not-empty');

  const result = initProject({
    name: path.basename(path.resolve(dir)),
    type,
    context,
    toolchainVersion: '^' + toolchainPackage().version,
  });
  if (!result.files) throw new CliUsageError(result.error!.text, result.error!.code);
  writeProjectFiles(dir, result.files);
  const shown = dir === '.' ? 'this folder' : dir;
  process.stdout.write(
    `Created a ${type === 'TAG' ? 'tag' : 'variable'} template project in ${shown}:\n` +
      [...result.files.keys()].map((f) => `  ${f}\n`).join('') +
      `Next: ${dir === '.' ? '' : `cd ${dir} && `}npm install && npm test\n`,
  );
  return 0;
}
