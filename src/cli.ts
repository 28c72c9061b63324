// The `gtm-template` command line: parses arguments and dispatches to one module per command.
// Commands do their own I/O; everything they call below src/ is pure.

import { runFormat } from './cli/format.js';
import { CliUsageError, type Command } from './cli/args.js';
import { toolchainPackage } from './cli/files.js';

/** The executable's engine tuning for a command (src/cli/engine.ts); bin/gtm-template.js applies it. */
export { tuneEngineFor } from './cli/engine.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  check: {
    summary: 'check .tpl files the way GTM would',
    load: async () => (await import('./cli/check.js')).runCheck,
  },
  test: {
    summary: "run a .tpl's own ___TESTS___ offline",
    load: async () => (await import('./cli/test.js')).runTest,
  },
  build: {
    summary: 'compile a TypeScript template project',
    load: async () => (await import('./cli/build.js')).runBuild,
  },
  watch: {
    summary: 'rebuild a project on change',
    load: async () => (await import('./cli/build.js')).runWatch,
  },
  format: { summary: "rewrite .tpl files in GTM's editor style", load: async () => runFormat },
  init: {
    summary: 'start a template project',
    load: async () => (await import('./cli/init.js')).runInit,
  },
  preview: {
    summary: "show a template's form and fire it on a simulated page, in the browser",
    load: async () => (await import('./cli/preview.js')).runPreview,
  },
  import: {
    summary: 'turn a .tpl into a TypeScript template project',
    load: async () => (await import('./cli/import.js')).runImport,
  },
};

const HELP = `gtm-template: a TypeScript toolchain for Google Tag Manager custom templates

Usage:
  gtm-template check <file.tpl | folder>... [--json] diagnostics; exit 1 when any error
  gtm-template test <file.tpl | folder>... [--json] [--once] [--strict-permissions]
                                                     run each file's ___TESTS___ scenarios offline
  gtm-template build [dir] [--out dir] [--gallery dir]
                                                     compile a template project (default template/ → build/)
  gtm-template watch [dir] [--out dir]               rebuild on change
  gtm-template format <file.tpl | folder>... [--check]
                                                     rewrite in GTM's current editor style
  gtm-template init [dir] [--type tag|variable] [--context web|server]
                                                     start a template project in an empty folder
  gtm-template preview [file.tpl | dir] [--port N]   the form as GTM shows it, "Fire", what the tag did
  gtm-template import <file.tpl> [dir]               turn a template into a TypeScript project,
                                                     then check that it builds back the same

A folder stands for every .tpl file below it.

Exit codes: 0 fine, 1 findings or failures, 2 usage or I/O error.
Run 'gtm-template <command> --help' for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    process.stdout.write(toolchainPackage().version + '\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`gtm-template: unknown command '${name}' (usage/unknown-command)\n\n${HELP}\n`);
    return 2;
  }
  try {
    return await (
      await command.load()
    )(rest);
  } catch (err) {
    if (err instanceof CliUsageError) {
      process.stderr.write(`gtm-template ${name}: ${err.message} (${err.code})\n`);
      return 2;
    }
    // An internal fault: say so plainly, without a stack trace unless asked for.
    process.stderr.write(
      `gtm-template ${name}: internal error: ${(err as Error)?.message ?? String(err)} (internal)\n` +
        (process.env.GTM_TEMPLATE_DEBUG
          ? String((err as Error)?.stack) + '\n'
          : 'Set GTM_TEMPLATE_DEBUG=1 for details.\n'),
    );
    return 2;
  }
}

/** The entry of a `check` worker thread (see src/cli/check-workers.ts). */
export async function runCheckWorker(): Promise<void> {
  (await import('./cli/check-workers.js')).serveCheckWorker();
}

/** Where a `gtm-template test` worker thread starts (src/cli/test-workers.ts loads the built CLI). */
export async function runTestWorker(): Promise<void> {
  (await import('./cli/test-worker.js')).serveTestWorker();
}
