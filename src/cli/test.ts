// `gtm-template test` — being written; see the issue for its interface.
import { CliUsageError } from './args.js';

export async function runTest(_argv: string[]): Promise<number> {
  throw new CliUsageError('test is not available in this version yet', 'usage/not-available');
}
