// docs/start-a-template.md shows a form, the code that uses it and a scenario: together they are a
// project that builds with no findings and passes, so the guide cannot drift from the toolchain.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSources } from '../../src/compile/index.js';
import { runTests } from '../../src/sandbox/index.js';
import { repoRoot } from '../helpers/corpus.js';

const guide = readFileSync(path.join(repoRoot, 'docs/start-a-template.md'), 'utf8');
const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const block = (marker: string) => {
  const found = blocks.find((b) => b.includes(marker));
  if (!found) throw new Error(`no ts block with ${marker} in docs/start-a-template.md`);
  return found;
};

describe('docs/start-a-template.md', () => {
  it("the guide's form, code and scenario build with no findings, and the scenario passes", async () => {
    const files = new Map<string, string>([
      [
        'template.json',
        JSON.stringify({
          displayName: 'Acme Analytics',
          description: 'From the guide.',
          type: 'TAG',
          brand: { displayName: 'Acme' },
          fields: { file: 'src/fields.ts', type: 'Fields' },
          main: 'src/main.ts',
          tests: 'tests',
        }),
      ],
      ['src/fields.ts', block('export interface Fields')],
      ['src/main.ts', block('export default function main')],
      ['tests/guide.test.ts', block("scenario('")],
    ]);
    const result = await compileSources({
      root: path.join(repoRoot, 'test/fixtures/in-memory-guide'),
      files,
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const byName = new Map(
      result.template!.parameters!.flatMap((p) => [p, ...(p.subParams ?? [])]).map((p) => [p.name, p]),
    );
    expect(byName.get('anonymize')).toMatchObject({ type: 'SELECT', macrosInSelect: true, notSetText: '' });
    expect(byName.get('debug')!.subParams?.map((p) => p.name)).toEqual(['selector']);
    expect(runTests(result.template!).map((r) => [r.name, r.status])).toEqual([
      ['sends one hit and succeeds', 'pass'],
    ]);
  });
});
