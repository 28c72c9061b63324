// The message shape every part of the toolchain reports in (checker, compiler, test runner),
// after esbuild's: a stable `code`, a severity, text for a person, and where it is.

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable identifier, e.g. `js/undeclared-variable`; documented and safe to match on. */
  code: string;
  severity: Severity;
  /** What is wrong and how to fix it, in the template author's terms. */
  text: string;
  /** The file, when known (the CLI fills it in; library functions work on text). */
  file?: string;
  /** The section the problem is in, e.g. `___INFO___`, or the TypeScript file for compiled code. */
  section?: string;
  /** 1-based line and column in the file. */
  line: number;
  column: number;
  /** Further explanation or related places. */
  notes?: string[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line:column: severity code: text`, the form editors and CI logs link from. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file ?? '<input>'}:${d.line}:${d.column}`;
  const notes = (d.notes ?? []).map((n) => `\n    note: ${n}`).join('');
  return `${where}: ${d.severity} ${d.code}: ${d.text}${notes}`;
}
