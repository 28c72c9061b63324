// Stage 7a: the emitted code in a stable, readable style. Trailing commas are off: the sandbox is
// ES5.1, which has none in calls and parameter lists.

import { format } from 'prettier';

export const PRETTIER_OPTIONS = {
  parser: 'babel',
  singleQuote: true,
  printWidth: 100,
  trailingComma: 'none',
  arrowParens: 'always',
} as const;

export async function formatCode(code: string): Promise<string> {
  return (await format(code, PRETTIER_OPTIONS)).trim();
}
