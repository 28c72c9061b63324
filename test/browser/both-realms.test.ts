// The same scenarios in both realms: every ___TESTS___ scenario of the giosg template and of every
// web template in both corpus folders runs in Node (node:vm, simulated page) and in Chromium (iframe
// realm, the real page at https://example.com/, the URL of the simulated page), and the results must
// be identical: same status, same message. A scenario's requests off loopback (un-mocked
// injectScript, sendPixel) are answered locally or aborted, never sent.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sandboxBundle } from '../../src/sandbox/browser/bundle.js';
import { runTests, type ScenarioResult } from '../../src/sandbox/index.js';
import { parse, type Template } from '../../src/tpl/index.js';
import { allCorpusFiles } from '../helpers/corpus.js';
import { describeInBrowser } from './helpers.js';
import { TEMPLATE_TEXT } from './page-driver.js';
import { sitePage } from './site.js';

type Outcome = Pick<ScenarioResult, 'name' | 'status' | 'message'>;

// The giosg template as it ships, then every web template of both corpus folders with scenarios.
const web = [{ folder: 'build', name: 'template.tpl', text: TEMPLATE_TEXT }, ...allCorpusFiles()]
  .map((f) => ({ ...f, template: parse(f.text) as Template }))
  .filter((f) => f.template.context === 'WEB' && (f.template.tests?.scenarios?.length ?? 0) > 0);

const outcome = (r: ScenarioResult): Outcome => ({
  name: r.name,
  status: r.status,
  ...(r.message === undefined ? {} : { message: r.message }),
});

describeInBrowser('corpus scenarios in both realms', (fixture) => {
  let page: Page;
  const tally = { templates: 0, scenarios: 0, passing: 0 };

  it('opens https://example.com/ (answered locally) with the sandbox bundle', async () => {
    // The simulated page's defaults: https://example.com/, UTF-8, an empty title, no referrer.
    const html = sitePage({})
      .replace('<title>Customer site</title>', '<title></title>')
      .replace('<h1>Customer site</h1>', '');
    fixture.browser.answer('https://example.com/gtm-sandbox.js', {
      contentType: 'text/javascript',
      body: await sandboxBundle(),
    });
    fixture.browser.answer((url) => url === 'https://example.com/', {
      contentType: 'text/html; charset=utf-8',
      body: html,
    });
    page = await fixture.browser.newPage();
    await page.goto('https://example.com/');
    expect(
      await page.evaluate(() => [location.href, document.title, document.characterSet, document.referrer]),
    ).toEqual(['https://example.com/', '', 'UTF-8', '']);
  });

  it.each(web.map((f) => [`${f.folder}/${f.name}`, f] as const))('%s', async (_name, file) => {
    const inNode = runTests(file.template).map(outcome);
    const inPage = (
      await page.evaluate(
        (text) =>
          (
            window as unknown as { gtmSandbox: { runTests(t: string): ScenarioResult[] } }
          ).gtmSandbox.runTests(text),
        file.text,
      )
    ).map(outcome);
    expect(inPage).toEqual(inNode);
    tally.templates++;
    tally.scenarios += inNode.length;
    tally.passing += inNode.filter((r) => r.status === 'pass').length;
  });

  it('names the same template code line in both realms when the code throws', async () => {
    const text = [
      '___INFO___',
      '',
      '{"type": "MACRO", "id": "x", "version": 1, "displayName": "x", "containerContexts": ["WEB"]}',
      '',
      '___TEMPLATE_PARAMETERS___',
      '',
      '[]',
      '',
      '___SANDBOXED_JS_FOR_WEB_TEMPLATE___',
      '',
      'const missing = undefined;',
      'const f = (o) => o.then;',
      'if (data.deep) return f(missing);',
      'return missing.then;',
      '',
      '___TESTS___',
      '',
      'scenarios:',
      '- name: top level',
      '  code: runCode({});',
      '- name: in a function',
      '  code: |-',
      '    runCode({deep: true});',
      '',
    ].join('\n');
    const inNode = runTests(parse(text)).map(outcome);
    const inPage = (
      await page.evaluate(
        (t) =>
          (
            window as unknown as { gtmSandbox: { runTests(t: string): ScenarioResult[] } }
          ).gtmSandbox.runTests(t),
        text,
      )
    ).map(outcome);
    expect(inNode.map((r) => r.message?.replace(/^.*\(/, '('))).toEqual([
      '(template code line 4, line 14 of the file)',
      '(template code line 2, line 12 of the file)',
    ]);
    expect(inPage).toEqual(inNode);
  });

  it('ran every scenario of the giosg template and of the web templates of both corpus folders', () => {
    const expected = web.reduce((n, f) => n + f.template.tests!.scenarios.length, 0);
    expect(tally.scenarios).toBe(expected);
    console.log(
      `scenarios identical in both realms: ${tally.scenarios} of ${tally.templates} web templates (${tally.passing} passing, ${tally.scenarios - tally.passing} failing the same way)`,
    );
  });
});
