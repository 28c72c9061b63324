// `npm run bench` figures for the giosg template as it ships (build/template.tpl): the size of the
// emitted code section, and the median time of one tag firing in the offline sandbox.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SandboxPage, runTemplate } from '../src/sandbox/index.js';
import { parse } from '../src/tpl/index.js';
import { measure, printTable } from './measure.js';

const ORGANIZATION_ID = '826100fd-b473-49b0-bafd-d7332622bae8';
export const LOGIN = {
  action: 'submit',
  properties: [
    { key: 'username', value: 'Jane Doe', type: 'auto' },
    { key: 'email', value: 'jane@example.com', type: 'string' },
    { key: 'age', value: '29', type: 'number' },
    { key: 'vip', value: 'yes', type: 'boolean' },
  ],
  propertiesObject: { customerNumber: 'C-1234', plan: 'gold' },
  rooms: [{ by: 'name', room: 'Sales' }],
};

export async function run(): Promise<void> {
  // Resolved from the working directory (the repository, under `npm run bench`): benchmarks run
  // bundled, so import.meta.url points elsewhere.
  const template = parse(readFileSync(path.resolve(process.cwd(), 'build/template.tpl'), 'utf8'));
  console.log(`\n## giosg template: emitted code`);
  console.log(`| what | bytes | lines |`);
  console.log(`|---|---:|---:|`);
  console.log(
    `| code section of build/template.tpl | ${Buffer.byteLength(template.code ?? '', 'utf8')} | ${(template.code ?? '').split('\n').length} |`,
  );

  // A warm page is what a site sees after the first event: giosg's client is live, so calls go
  // straight to it (and no queue grows across the runs). A fresh page adds realm creation.
  const page = new SandboxPage({ window: { _giosg: () => undefined } });
  printTable('giosg template: one tag firing in the offline sandbox', [
    await measure(
      'log-in submit, warm page, live client (4 rows + object + room)',
      () => page.run(template, LOGIN),
      {
        runs: 500,
        warmup: 50,
      },
    ),
    await measure('removeAll, warm page, live client', () => page.run(template, { action: 'removeAll' }), {
      runs: 500,
      warmup: 50,
    }),
    await measure('log-in submit, fresh page (new realm)', () => runTemplate(template, LOGIN), {
      runs: 100,
      warmup: 10,
    }),
    await measure(
      'submit + load client, fresh page',
      () => runTemplate(template, { ...LOGIN, loadClient: true, organizationId: ORGANIZATION_ID }),
      { runs: 100, warmup: 10 },
    ),
  ]);
}
