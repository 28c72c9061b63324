// The baseline the compiler's cached build is compared with (issue 4): a hand-rolled template
// build in a new process, with no form, no checks and no tests: type-check the project with tsc,
// emit its modules, format them with prettier, concatenate.
// Usage: node bench/plain-build.mjs <project dir> <output file>
import ts from 'typescript';
import { format } from 'prettier';
import { writeFileSync } from 'node:fs';

const [dir, outFile] = process.argv.slice(2);
const configPath = ts.findConfigFile(dir, ts.sys.fileExists, 'tsconfig.json');
const parsed = ts.getParsedCommandLineOfConfigFile(
  configPath,
  { noEmit: false, outDir: '/nonexistent' },
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  },
);
const program = ts.createProgram(parsed.fileNames, {
  ...parsed.options,
  allowImportingTsExtensions: false,
  noEmit: false,
});
const diagnostics = ts
  .getPreEmitDiagnostics(program)
  .filter((d) => d.category === ts.DiagnosticCategory.Error);
const pieces = [];
program.emit(undefined, (name, text) => {
  if (name.endsWith('.js')) pieces.push(text);
});
const code = await format(pieces.join('\n'), { parser: 'babel', singleQuote: true });
writeFileSync(outFile, code);
process.exitCode = diagnostics.length > 0 && process.env.PLAIN_BUILD_STRICT ? 1 : 0;
