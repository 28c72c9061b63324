// Watch mode: a rebuild with the previous session re-runs only the stages whose inputs changed,
// and gives exactly what a fresh build gives.
import { describe, expect, it } from 'vitest';
import { compileSources, readProject, type CompileSession } from '../../src/compile/index.js';
import { fixtureDir } from './helpers.js';

describe('rebuilds in a session', () => {
  it('re-runs only what changed and matches a fresh build', async () => {
    const sources = readProject(fixtureDir);
    const session: CompileSession = {};
    const first = await compileSources(sources, { session });
    expect(first.errors).toEqual([]);

    // A test-only change: the code stages are skipped, the tests stage runs.
    const testFile = 'tests/main.test.ts';
    sources.files.set(
      testFile,
      (sources.files.get(testFile) as string).replace('sums and succeeds', 'sums, then succeeds'),
    );
    const testsOnly = await compileSources(sources, { session });
    expect(Object.keys(session.timings!)).not.toContain('bundle');
    expect(Object.keys(session.timings!)).toContain('tests');
    expect(testsOnly.template!.tests!.scenarios[0]!.name).toBe('sums, then succeeds');

    // A code-only change: the tests stage is skipped, the code is rebuilt.
    sources.files.set(
      'src/main.ts',
      (sources.files.get('src/main.ts') as string).replace("'visitor'", "'guest'"),
    );
    const codeOnly = await compileSources(sources, { session });
    expect(Object.keys(session.timings!)).toContain('bundle');
    expect(Object.keys(session.timings!)).not.toContain('tests');
    expect(codeOnly.template!.code).toContain("'guest'");
    expect(codeOnly.files).toEqual((await compileSources(sources)).files);

    // An error introduced and then fixed again.
    const good = sources.files.get('src/helpers.ts') as string;
    sources.files.set('src/helpers.ts', good + '\nexport const bad = new Array(2);\n');
    const broken = await compileSources(sources, { session });
    expect(broken.errors.map((d) => d.code)).toContain('sandbox/new');
    sources.files.set('src/helpers.ts', good);
    const fixed = await compileSources(sources, { session });
    expect(fixed.errors).toEqual([]);
    expect(fixed.files).toEqual(codeOnly.files);
  });
});
