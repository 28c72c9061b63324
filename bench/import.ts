// `npm run bench` part for `gtm-template import`, over both corpora (../shared/corpus and
// ../shared/corpus-wide): the round-trip figures (import, build from memory, compare the form, the
// permissions and the scenarios: src/import/equivalence.ts), web and server apart, and the time
// per template of each step (medians over the corpus, measured in this one process).
// Run alone with: node scripts/run-ts.js bench/import.ts

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compileSources } from '../src/compile/index.js';
import { compareRebuilt } from '../src/import/equivalence.js';
import { importTemplate } from '../src/import/index.js';
import { parse, type Template } from '../src/tpl/index.js';

// Resolved from the working directory: benchmarks run bundled, so import.meta.url is elsewhere.
const root = process.cwd();

function folder(dir: string): { name: string; text: string }[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.tpl'))
    .sort()
    .map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
}

export async function run(): Promise<void> {
  const corpus = process.env.GTM_CORPUS_DIR ?? path.resolve(root, '../shared/corpus');
  const wide = process.env.GTM_CORPUS_WIDE_DIR ?? path.resolve(root, '../shared/corpus-wide');
  const files = [...folder(corpus), ...folder(wide)];
  const tally = { WEB: { total: 0, complete: 0 }, SERVER: { total: 0, complete: 0 } };
  const incomplete: string[] = [];
  const times = { import: [] as number[], build: [] as number[], compare: [] as number[] };
  for (const file of files) {
    const template: Template = parse(file.text);
    const ctx = template.context === 'SERVER' ? 'SERVER' : 'WEB';
    tally[ctx].total++;
    const name = file.name.replace(/\.tpl$/, '');
    const projectRoot = path.resolve('gtm-template-import', name);
    const started = performance.now();
    const imported = importTemplate(template, { name, toolchainVersion: '*', root: projectRoot });
    const importedAt = performance.now();
    if (!imported.files) {
      incomplete.push(`${file.name} (${ctx.toLowerCase()}): not imported: ${imported.error?.text}`);
      continue;
    }
    times.import.push(importedAt - started);
    const buildStart = performance.now();
    await compileSources({ root: projectRoot, files: imported.files });
    times.build.push(performance.now() - buildStart);
    // What the import command does after writing: build again and compare (scenarios run twice).
    const compareStart = performance.now();
    const result = await compareRebuilt(template, imported.files, projectRoot, imported.notes);
    times.compare.push(performance.now() - compareStart);
    if (result.complete) tally[ctx].complete++;
    else incomplete.push(`${file.name} (${ctx.toLowerCase()})`);
  }
  const pct = (c: { total: number; complete: number }) =>
    c.total ? `${((100 * c.complete) / c.total).toFixed(1)}%` : '-';
  const all = {
    total: tally.WEB.total + tally.SERVER.total,
    complete: tally.WEB.complete + tally.SERVER.complete,
  };
  console.log(
    `\n## import round trip over both corpora (import, build, compare form, permissions, scenarios)`,
  );
  console.log('| templates | total | round-trip completely | rate |');
  console.log('|---|---:|---:|---:|');
  console.log(`| web | ${tally.WEB.total} | ${tally.WEB.complete} | ${pct(tally.WEB)} |`);
  console.log(`| server | ${tally.SERVER.total} | ${tally.SERVER.complete} | ${pct(tally.SERVER)} |`);
  console.log(`| all | ${all.total} | ${all.complete} | ${pct(all)} |`);
  console.log(
    `Not complete (reasons in test/import/round-trip-known-failures.json): ${incomplete.join(', ') || 'none'}`,
  );
  console.log('\n## import: time per template (median over the corpus)');
  console.log('| step | templates | median ms |');
  console.log('|---|---:|---:|');
  console.log(
    `| import (Template → project files, type check for @ts-nocheck) | ${times.import.length} | ${median(times.import).toFixed(1)} |`,
  );
  console.log(
    `| build of the imported project, from memory | ${times.build.length} | ${median(times.build).toFixed(1)} |`,
  );
  console.log(
    `| build and compare (form, permissions, scenarios before and after) | ${times.compare.length} | ${median(times.compare).toFixed(1)} |`,
  );
}

if (process.argv[1]?.endsWith(path.join('bench', 'import.ts'))) await run();
