// JSON as GTM's template editor writes it: Gson pretty-printing (2-space indent) with Gson's
// HTML-safe escapes, which the editor applies to every string in the JSON sections.

const GSON_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '=': '\\u003d',
  "'": '\\u0027',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * Serialises `value` the way the editor does. The escaped characters can only occur inside
 * strings (they are not JSON punctuation), so replacing them in the whole text is safe.
 */
export function gsonStringify(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  if (text === undefined) return 'null';
  return text.replace(/[<>&='\u2028\u2029]/g, (ch) => GSON_ESCAPES[ch]!);
}
