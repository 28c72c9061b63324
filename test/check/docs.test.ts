// Every diagnostic code the checker can emit is documented in docs/diagnostics.md, and the doc
// lists no code the checker does not have.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/corpus.js';

const CODE = /'((?:structure|info|params|permissions|code-permissions|tag|tests|js|internal)\/[a-z-]+)'/g;

function codesInSource(): Set<string> {
  const codes = new Set<string>();
  const dir = path.join(repoRoot, 'src/check');
  for (const name of readdirSync(dir)) {
    for (const m of readFileSync(path.join(dir, name), 'utf8').matchAll(CODE)) codes.add(m[1]!);
  }
  return codes;
}

function codesInDoc(): Set<string> {
  const doc = readFileSync(path.join(repoRoot, 'docs/diagnostics.md'), 'utf8');
  return new Set([...doc.matchAll(/^\| `([a-z-]+\/[a-z-]+)` +\| (?:error|warning) +\|/gm)].map((m) => m[1]!));
}

describe('docs/diagnostics.md', () => {
  it('documents exactly the codes the checker emits', () => {
    const source = codesInSource();
    expect(source.size).toBeGreaterThan(60);
    expect([...source].filter((c) => !codesInDoc().has(c)).sort()).toEqual([]);
    expect([...codesInDoc()].filter((c) => !source.has(c)).sort()).toEqual([]);
  });
});
