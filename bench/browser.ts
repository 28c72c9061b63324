// `npm run bench` figures for the browser realm: one firing of the giosg template as it ships
// (build/template.tpl) in headless Chromium (iframe realm, the real page, giosg's v2 snippet and the
// stand-in client of test/browser) and in Node (node:vm, simulated page), measured in the same run.
// Both are warm pages whose giosg client is live, so each firing calls it directly. The page's
// figure is timed inside the page (no round trip to Node); the round trip is shown beside it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sandboxBundle } from '../src/sandbox/browser/bundle.js';
import { CHROMIUM_MISSING, findChromium, OfflineBrowser } from '../src/sandbox/browser/chromium.js';
import { SandboxPage } from '../src/sandbox/index.js';
import { parse } from '../src/tpl/index.js';
import { GIOSG_STAND_IN } from '../test/browser/giosg-standin.js';
import { giosgSnippet, sitePage } from '../test/browser/site.js';
import { LOGIN } from './giosg.js';
import { measure, printTable, type Measurement } from './measure.js';

const ORGANIZATION_ID = '826100fd-b473-49b0-bafd-d7332622bae8';
const RUNS = 500;
const WARMUP = 50;
const BATCHES = 25;
const PER_BATCH = 20;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export async function run(): Promise<void> {
  const text = readFileSync(path.resolve(process.cwd(), 'build/template.tpl'), 'utf8');
  const title =
    'browser realm: one giosg firing (log-in submit, 4 rows + object + room), warm page, live client';
  const executablePath = findChromium();
  if (!executablePath) {
    console.log(`\n## ${title}\nskipped: ${CHROMIUM_MISSING}`);
    return;
  }
  const node = new SandboxPage({ window: { _giosg: () => undefined } });
  const template = parse(text);
  const inNode = await measure('Node (node:vm realm, simulated page)', () => node.run(template, LOGIN), {
    runs: RUNS,
    warmup: WARMUP,
  });

  const browser = await OfflineBrowser.launch({ executablePath });
  try {
    const bundle = await sandboxBundle();
    browser.answer('https://customer.example/gtm-sandbox.js', {
      contentType: 'text/javascript',
      body: bundle,
    });
    browser.answer(`https://service.giosg.com/live2/${ORGANIZATION_ID}`, {
      contentType: 'text/javascript',
      body: GIOSG_STAND_IN,
    });
    browser.answer('https://customer.example/', {
      contentType: 'text/html',
      body: sitePage({ head: giosgSnippet(ORGANIZATION_ID) }),
    });
    const page = await browser.newPage();
    await page.goto('https://customer.example/');
    await page.waitForFunction(() => (window as unknown as { giosg?: unknown }).giosg !== undefined);
    // Timed in the page, each firing awaited as a site's events would be. The page's clock is coarse
    // (0.1 ms), so batches of firings are timed and divided. The stand-in's call log is emptied
    // before each firing (untimed), as the Node run's client keeps nothing either.
    const perFiring = await page.evaluate(
      async ([text, data, batches, perBatch, warmup]) => {
        const w = window as unknown as {
          __giosgStandIn: { calls: unknown[] };
          gtmSandbox: {
            parse(t: string): unknown;
            current(): { fire(t: unknown, d: unknown): Promise<unknown> };
          };
        };
        const t = w.gtmSandbox.parse(text as string);
        const live = w.gtmSandbox.current();
        for (let i = 0; i < (warmup as number); i++) await live.fire(t, data);
        const out: number[] = [];
        for (let b = 0; b < (batches as number); b++) {
          let spent = 0;
          for (let i = 0; i < (perBatch as number); i++) {
            w.__giosgStandIn.calls.length = 0;
            const start = performance.now();
            await live.fire(t, data);
            spent += performance.now() - start;
          }
          out.push(spent / (perBatch as number));
        }
        return out;
      },
      [text, LOGIN, BATCHES, PER_BATCH, WARMUP] as const,
    );
    perFiring.sort((a, b) => a - b);
    const inPage: Measurement = {
      name: `Chromium (iframe realm, the real page), timed in the page (${BATCHES} batches of ${PER_BATCH})`,
      runs: BATCHES * PER_BATCH,
      medianMs: quantile(perFiring, 0.5),
      p90Ms: quantile(perFiring, 0.9),
      minMs: perFiring[0]!,
    };
    const roundTrip = await measure(
      'Chromium, fired from Node (page.evaluate round trip and the plain-data result included)',
      () =>
        page.evaluate(
          ([text, data]) => {
            const w = window as unknown as {
              __giosgStandIn: { calls: unknown[] };
              gtmSandbox: { fire(t: string, d: unknown): Promise<unknown> };
            };
            w.__giosgStandIn.calls.length = 0;
            return w.gtmSandbox.fire(text as string, data);
          },
          [text, LOGIN] as const,
        ),
      { runs: 100, warmup: 10 },
    );
    printTable(title, [inNode, inPage, roundTrip]);
    console.log(
      `browser realm / Node, medians of the same run: ${(inPage.medianMs / inNode.medianMs).toFixed(2)}×; ` +
        `requests off loopback answered locally: ${browser.offsite.length}, escaped: ${browser.escaped().length}`,
    );
  } finally {
    await browser.close();
  }
}
