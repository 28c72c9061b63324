// `gtm-template import <file.tpl> [dir]`: turns a template into a TypeScript project (src/import/
// makes the files), writes it into an empty or new folder, then builds it from memory and says
// whether it gives back an equivalent template (form, permissions, scenarios).

import path from 'node:path';
import { formatDiagnostic } from '../diagnostics.js';
import { compareRebuilt, type RoundTrip } from '../import/equivalence.js';
import { importTemplate } from '../import/index.js';
import { parse } from '../tpl/parse.js';
import { CliUsageError, parseArgs } from './args.js';
import {
  describeNotUtf8,
  notEmptyReason,
  readTemplateFile,
  toolchainPackage,
  writeProjectFiles,
} from './files.js';

const HELP = `gtm-template import <file.tpl> [dir]
  Turns a template into a TypeScript template project in dir (default: the file's name without
  .tpl), which must be empty or new: src/fields.ts from the form, src/main.ts from the code (as it
  is, with data typed and require()s as imports from 'gtm'), tests/template.test.ts from the
  scenarios, template.json from the info, the permissions and the notes, and the brand icon.
  It then builds the project in memory and compares the result with the file: the form, the
  permissions, and every scenario that passed before.
  --json  print the notes and the comparison as JSON
Exit codes: 0 imported and equivalent, 1 imported but the rebuilt template differs (listed),
2 usage or I/O error, or a file that cannot be imported.
`;

/** Every line of `text` (a finding and its notes) indented by `by`. */
function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => by + line)
    .join('\n');
}

function printReport(file: string, dir: string, written: string[], result: RoundTrip): void {
  const out: string[] = [`Imported ${file} into ${dir}${path.sep}:`, `  ${written.join(', ')}`];
  if (result.notes.length) {
    out.push(`What changed on the way (${result.notes.length}):`);
    for (const n of result.notes) out.push(`  ${n.where}: ${n.text} (${n.code})`);
  }
  out.push(`Built in memory and compared with ${file}:`);
  if (result.buildErrors.length) {
    out.push(`  build: ${result.buildErrors.length} error(s)`);
    for (const d of result.buildErrors)
      out.push(indent(formatDiagnostic({ ...d, file: d.file && path.join(dir, d.file) }), '    '));
    const own = result.originalErrors;
    if (own.length) {
      out.push(
        `  the original: ${own.length} error(s) of its own, as gtm-template check reports them (GTM would too)`,
      );
      for (const d of own) out.push(indent(formatDiagnostic({ ...d, file }), '    '));
    }
  } else {
    out.push(
      `  build: ok (${result.buildWarnings.length} warning${result.buildWarnings.length === 1 ? '' : 's'})`,
    );
    out.push(
      result.formDifferences.length
        ? `  form: ${result.formDifferences.length} difference(s)\n` +
            result.formDifferences.map((d) => `    ${d}`).join('\n')
        : '  form: equivalent (names, types, nesting, conditions, validators, options, defaults)',
    );
    const { narrower, wider } = result.permissions;
    out.push(
      !narrower.length && !wider.length
        ? '  permissions: equal'
        : [
            `  permissions: ${wider.length ? 'wider' : 'narrower'}`,
            ...narrower.map((n) => `    narrower: ${n}`),
            ...wider.map((w) => `    wider: ${w}`),
          ].join('\n'),
    );
    const before = result.scenariosPassedBefore;
    out.push(
      result.scenarioRegressions.length
        ? `  scenarios: ${result.scenarioRegressions.length} of ${before} that passed before fail now: ${result.scenarioRegressions.join(', ')}`
        : `  scenarios: ${before} of ${before} that passed before still pass`,
    );
  }
  out.push(
    result.complete
      ? 'The project builds back into an equivalent template.'
      : result.buildErrors.length && result.originalErrors.length
        ? 'The project does not build because the original has errors of its own (above): fix them in the project, then build it.'
        : 'The rebuilt template is not equivalent (see above).',
  );
  out.push(`Next: cd ${dir} && npm install && npm test`);
  process.stdout.write(out.join('\n') + '\n');
}

export async function runImport(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: ['help', 'json'] });
  if (args.flags.has('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  const [file, target, ...extra] = args.positionals;
  if (!file || extra.length)
    throw new CliUsageError('gtm-template import <file.tpl> [dir]', 'usage/bad-arguments');
  const dir = target ?? path.basename(file).replace(/\.tpl$/i, '');
  const busy = notEmptyReason(dir);
  if (busy) throw new CliUsageError(busy, 'import/not-empty');
  const { text, notUtf8 } = readTemplateFile(file);
  // The project would hold U+FFFD where the file has bytes that are not UTF-8: they would be lost.
  if (notUtf8)
    throw new CliUsageError(
      `${file}: ${describeNotUtf8(notUtf8)} is not valid UTF-8, and the project would hold U+FFFD (�) in its place, so nothing was written; re-save the file as UTF-8 first`,
      'import/not-utf8',
    );
  const template = parse(text);
  const root = path.resolve(dir);
  const imported = importTemplate(template, {
    name: path.basename(root),
    toolchainVersion: '^' + toolchainPackage().version,
    root,
  });
  if (!imported.files) throw new CliUsageError(`${file}: ${imported.error!.text}`, imported.error!.code);
  writeProjectFiles(dir, imported.files);
  const result = await compareRebuilt(template, imported.files, root, imported.notes);
  if (args.flags.has('json')) {
    const { rebuilt: _rebuilt, ...report } = result;
    process.stdout.write(
      JSON.stringify({ dir, files: [...imported.files.keys()], ...report }, null, 2) + '\n',
    );
  } else printReport(file, dir, [...imported.files.keys()], result);
  return result.complete && result.buildErrors.length === 0 ? 0 : 1;
}
