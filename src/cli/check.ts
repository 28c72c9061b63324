// `gtm-template check` — being written; see the issue for its interface.
import { CliUsageError } from './args.js';

export async function runCheck(_argv: string[]): Promise<number> {
  throw new CliUsageError('check is not available in this version yet', 'usage/not-available');
}
