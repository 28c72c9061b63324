// Points a position in the emitted code back at the TypeScript source, for the findings made on
// the final code (permissions, and the checker's safety net). The code went through esbuild,
// TypeScript and prettier, so instead of chaining three source maps this finds the same call in
// the sources: the identifier at the position, followed by `(`, matched by its argument text.
// When nothing matches, the position stays in the compiled code and says so.

import type { ProjectSources } from './project.js';

export interface SourceLocation {
  file?: string;
  line: number;
  column: number;
  notes?: string[];
}

export class CompiledCodeLocator {
  private readonly lines: string[];
  private readonly sourceFiles: [string, string][];

  constructor(code: string, sources: ProjectSources, exclude: (file: string) => boolean = () => false) {
    this.lines = code.split('\n');
    this.sourceFiles = [...sources.files.entries()]
      .filter(
        (e): e is [string, string] => typeof e[1] === 'string' && /\.m?ts$/.test(e[0]) && !exclude(e[0]),
      )
      .sort((a, b) => a[0].localeCompare(b[0]));
  }

  /** The TypeScript location of the call or name at `line`:`column` (1-based) of the emitted code. */
  locate(line: number, column: number): SourceLocation {
    const fallback: SourceLocation = {
      file: 'template.tpl',
      line,
      column,
      notes: [
        `at line ${line} of the emitted code (the template's code section); no matching TypeScript source was found`,
      ],
    };
    const text = this.lines[line - 1];
    if (text === undefined) return fallback;
    const rest = text.slice(column - 1);
    const m = /^([A-Za-z_$][\w$]*)/.exec(rest);
    if (!m) return fallback;
    // esbuild renames clashing names with a numeric suffix (`main2`): search for the original too.
    const name = m[1]!;
    const names = [...new Set([name, name.replace(/\d+$/, '')])].filter(Boolean);
    const args = /^[\w$]*\s*\(([^)]*)/.exec(rest)?.[1]?.trim() ?? '';
    let best: { score: number; loc: SourceLocation } | undefined;
    for (const [file, source] of this.sourceFiles) {
      for (const candidate of names) {
        const re = new RegExp(`(?<![\\w$.])${candidate.replace(/\$/g, '\\$')}\\s*\\(`, 'g');
        for (const hit of source.matchAll(re)) {
          const after = source.slice(hit.index! + hit[0].length, hit.index! + hit[0].length + 200);
          const score = (candidate === name ? 2 : 1) + commonPrefix(after, args) / 10;
          if (!best || score > best.score) {
            const before = source.slice(0, hit.index);
            const l = before.split('\n').length;
            const c = hit.index! - before.lastIndexOf('\n');
            best = { score, loc: { file, line: l, column: c } };
          }
        }
      }
    }
    return best?.loc ?? fallback;
  }
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
