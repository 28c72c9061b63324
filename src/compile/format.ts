// Stage 7a: the emitted code in a stable, readable style. Trailing commas are off: the sandbox is
// ES5.1, which has none in calls and parameter lists.

// prettier is imported on first use: a build whose code stages are cached never formats.
async function format(code: string, options: typeof PRETTIER_OPTIONS): Promise<string> {
  const prettier = await import('prettier');
  return prettier.format(code, options);
}

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

/**
 * Formats many independent pieces of code (test scenarios) with one prettier call: each is wrapped
 * in its own function, and the bodies are cut out and de-indented again.
 */
export async function formatMany(codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const open = (i: number) => `function __gtmPiece${i}() {`;
  const joined = codes.map((c, i) => `${open(i)}\n${c}\n}\n`).join('');
  let formatted: string;
  try {
    formatted = await format(joined, PRETTIER_OPTIONS);
  } catch {
    return Promise.all(codes.map((c) => formatCode(c).catch(() => c)));
  }
  const lines = formatted.split('\n');
  return codes.map((c, i) => {
    const start = lines.indexOf(open(i));
    const end = lines.indexOf('}', start + 1);
    if (start < 0 || end < 0) return c;
    return lines
      .slice(start + 1, end)
      .map((l) => (l.startsWith('  ') ? l.slice(2) : l))
      .join('\n')
      .trim();
  });
}
