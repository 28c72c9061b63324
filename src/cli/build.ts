// `gtm-template build` and `watch` — being written; see the issue for their interface.
import { CliUsageError } from './args.js';

export async function runBuild(_argv: string[]): Promise<number> {
  throw new CliUsageError('build is not available in this version yet', 'usage/not-available');
}

export async function runWatch(_argv: string[]): Promise<number> {
  throw new CliUsageError('watch is not available in this version yet', 'usage/not-available');
}
