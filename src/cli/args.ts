// Small argument parsing shared by the commands: flags are declared, anything else is a path.

/** A command takes its arguments and returns the process exit code. */
export type Command = (argv: string[]) => Promise<number>;

export class CliUsageError extends Error {
  constructor(
    message: string,
    readonly code = 'usage/bad-arguments',
  ) {
    super(message);
  }
}

export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  options: Map<string, string>;
}

/**
 * Parses `argv` against the declared boolean `flags` and value-taking `options` (`--out dir` or
 * `--out=dir`). An unknown `--flag` is a usage error, never silently ignored.
 */
export function parseArgs(argv: string[], spec: { flags?: string[]; options?: string[] }): ParsedArgs {
  const flags = new Set<string>();
  const options = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (spec.flags?.includes(name)) {
      if (inline !== undefined) throw new CliUsageError(`--${name} takes no value`);
      flags.add(name);
    } else if (spec.options?.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new CliUsageError(`--${name} needs a value`);
      options.set(name, value);
    } else {
      const known = [...(spec.flags ?? []), ...(spec.options ?? [])].map((f) => '--' + f).join(', ');
      throw new CliUsageError(
        `unknown option --${name}${known ? ` (known: ${known})` : ''}`,
        'usage/unknown-option',
      );
    }
  }
  return { positionals, flags, options };
}

/** A whole-number option's value (at least `min`), or `undefined` when the option was not given. */
export function wholeNumberOption(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new CliUsageError(
      `--${name} needs a whole number of at least ${min}, not '${value}'`,
      'usage/bad-value',
    );
  return n;
}
