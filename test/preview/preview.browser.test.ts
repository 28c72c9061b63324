// `gtm-template preview` in headless Chromium: the giosg form filled and fired with the exact
// `_giosg` call in the result panel, validators reported on "Fire", every field type of GTM's
// editor live (enabling conditions, help, tables, the PARAM_TABLE dialog), the simulated page
// (script, data layer, variables, response rules, debug mode), every outcome, permission denials,
// cookies and loads, and a project that rebuilds and reloads when its sources change.
import { createHmac } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { parse } from '../../src/tpl/index.js';
import { allCorpusFiles, repoRoot } from '../helpers/corpus.js';
import { bound, describePreview, fire, sectionLines } from './browser-fixture.js';

const GIOSG = { kind: 'file' as const, path: path.join(repoRoot, 'build/template.tpl') };
const PROBE = { kind: 'file' as const, path: path.join(repoRoot, 'test/fixtures/preview/probe.tpl') };
const GREETING = { kind: 'file' as const, path: path.join(repoRoot, 'test/fixtures/preview/greeting.tpl') };

/** An HS256 JWT whose payload holds the visitor variables, as the site's server would sign it. */
function signedToken(payload: Record<string, unknown>, secret: string): string {
  const part = (json: unknown) => Buffer.from(JSON.stringify(json)).toString('base64url');
  const head = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

async function openGroup(page: Page, title: string): Promise<void> {
  const group = page.locator('details.group', { has: page.locator('summary', { hasText: title }) });
  if ((await group.getAttribute('open')) === null) await group.locator('summary').click();
}

async function selectItem(page: Page, selector: string, label: string): Promise<void> {
  await page.locator(selector).selectOption({ label });
}

async function showTab(page: Page, name: string): Promise<void> {
  await page.click(`.tab[data-tab="${name}"]`);
}

/** Replaces the simulated page's setup fields through the Page tab. */
async function setPage(
  page: Page,
  fields: { script?: string; cookies?: string; debugMode?: boolean },
): Promise<void> {
  await showTab(page, 'page');
  if (fields.script !== undefined) await page.fill('[data-setup="script"]', fields.script);
  if (fields.cookies !== undefined) await page.fill('[data-setup="cookies"]', fields.cookies);
  if (fields.debugMode !== undefined) await page.setChecked('[data-setup="debugMode"]', fields.debugMode);
}

describePreview('gtm-template preview', (fixture) => {
  it('giosg: two variables, JWT signing with a token, one room: the exact _giosg call', async () => {
    const { page } = await fixture.open(GIOSG);
    await page.click(`[data-add-row='["properties"]']`);
    await page.click(`[data-add-row='["properties"]']`);
    await page.fill(bound('properties', 0, 'key'), 'username');
    await page.fill(bound('properties', 0, 'value'), 'Jane Doe');
    await page.fill(bound('properties', 1, 'key'), 'email');
    await page.fill(bound('properties', 1, 'value'), 'jane@example.com');
    expect(await page.isVisible('[data-name="properties"]')).toBe(true);

    await openGroup(page, 'Signing');
    await selectItem(page, bound('signing'), 'JWT, HS256 (recommended)');
    // The token carries the variables: the table disappears at once, the token field appears.
    expect(await page.isVisible('[data-name="properties"]')).toBe(false);
    expect(await page.isVisible('[data-name="token"]')).toBe(true);
    const token = signedToken({ username: 'Jane Doe', email: 'jane@example.com' }, 'giosg-api-signing-key');
    await page.fill(bound('token'), token);

    await openGroup(page, 'Rooms');
    await page.click(`[data-add-row='["rooms"]']`);
    await page.fill(bound('rooms', 0, 'room'), 'spgxcgwpj3qkmfvrxqaafh5wd63js3ir5g3omascvqiqacqm');

    expect(await fire(page)).toBe('success');
    expect(await page.textContent('#result .outcome-label')).toBe('Succeeded');
    expect(await sectionLines(page, 'Calls to page functions')).toEqual([
      `_giosg(\n  "visitor",\n  "submit",\n  "${token}",\n  "HS256",\n  false,\n  [{id: "spgxcgwpj3qkmfvrxqaafh5wd63js3ir5g3omascvqiqacqm"}]\n)`,
    ]);
    expect(await sectionLines(page, 'Scripts, pixels and iframes')).toEqual([]);
  });

  it('giosg: an empty key is reported under its cell on Fire, and the tag does not fire', async () => {
    const { page } = await fixture.open(GIOSG);
    await page.click(`[data-add-row='["properties"]']`);
    await page.fill(bound('properties', 0, 'value'), 'Jane Doe');
    expect(await fire(page)).toBe('invalid');
    const message = 'Give every variable a name; each name only once.';
    expect(await page.textContent(`[data-error='${JSON.stringify(['properties', 0, 'key'])}']`)).toBe(
      message,
    );
    expect(await page.getAttribute(bound('properties', 0, 'key'), 'class')).toContain('invalid');
    expect(await page.locator('#result .problem-list li').allTextContents()).toEqual([
      `Visitor variables, row 1: ${message}`,
    ]);
    // Fixed, it fires.
    await page.fill(bound('properties', 0, 'key'), 'username');
    expect(await fire(page)).toBe('success');
    expect(await page.isVisible(`[data-error='${JSON.stringify(['properties', 0, 'key'])}']`)).toBe(false);
  });

  it('giosg: a Data Layer Variable in the form reads the simulated data layer when the tag fires', async () => {
    const { page } = await fixture.open(GIOSG);
    await page.fill(bound('propertiesObject'), '{{DLV - giosgVisitor}}');
    // Not defined yet: GTM refuses such a tag; the preview offers to define it.
    expect(await fire(page)).toBe('invalid');
    expect(await page.textContent('#result .problem-list')).toContain(
      "Unknown variable 'DLV - giosgVisitor'",
    );
    await page.click('#result .problem-list button');
    expect(await page.isVisible('.tab-panel[data-panel="variables"]')).toBe(true);
    await page.locator('.variable-row select').selectOption('dataLayer');
    await page.fill('[data-variable-value="0"]', 'giosgVisitor');
    await showTab(page, 'page');
    await page.click('[data-add="push"]');
    await page.fill(
      '[data-setup="dataLayer.0"]',
      "{ event: 'giosg.visitor', giosgVisitor: { username: 'Jane', age: 29 } }",
    );
    expect(await fire(page)).toBe('success');
    expect(await sectionLines(page, 'Calls to page functions')).toEqual([
      '_giosg("visitor", "submit", {username: "Jane", age: 29}, "plain", false)',
    ]);
  });

  it('giosg: Load the giosg client on a page without it injects the script once, answered by the preview', async () => {
    const { page, preview } = await fixture.open(GIOSG);
    await page.click(`[data-add-row='["properties"]']`);
    await page.fill(bound('properties', 0, 'key'), 'username');
    await page.fill(bound('properties', 0, 'value'), 'Jane Doe');
    await openGroup(page, 'giosg client');
    await page.check(bound('loadClient'));
    expect(await page.isVisible('[data-name="organizationId"]')).toBe(true);
    await page.fill(bound('organizationId'), '826100fd-b473-49b0-bafd-d7332622bae8');
    expect(await fire(page)).toBe('success');
    const url = 'https://service.giosg.com/live2/826100fd-b473-49b0-bafd-d7332622bae8';
    expect(await sectionLines(page, 'Scripts, pixels and iframes')).toEqual([
      `script${url}answered 200 (stand-in)`,
    ]);
    expect(preview.server.requests.since(0).map((r) => [r.kind, r.url, r.status])).toEqual([
      ['script', url, 200],
    ]);
    // The second firing on the same page reuses the loaded client: no second script.
    expect(await fire(page)).toBe('success');
    expect(await page.textContent('#result .outcome-meta')).toContain('Firing 2 on this page');
    expect(await sectionLines(page, 'Scripts, pixels and iframes')).toEqual([]);
  });

  it("the site's own script: its requests to other hosts are answered by the preview, by rule, and listed", async () => {
    const { page, preview } = await fixture.open(GIOSG);
    // giosg's v2 snippet, as giosg documents it (../shared/docs/giosg-api.md §3.1).
    const snippet = `(function (w, t, f) {
  var s = "script", o = "_giosg", h = "https://service.giosg.com", e, n;
  e = t.createElement(s); e.async = 1; e.src = h + "/live2/" + f;
  w[o] = w[o] || function () { (w[o]._e = w[o]._e || []).push(arguments); };
  w[o]._c = f; w[o]._h = h;
  n = t.getElementsByTagName(s)[0]; n.parentNode.insertBefore(e, n);
})(window, document, '826100fd-b473-49b0-bafd-d7332622bae8');
fetch('https://api.vendor.example/ping', { method: 'POST' });`;
    await setPage(page, { script: snippet });
    await page.click('[data-add="response"]');
    await page.fill('.response-row input', 'https://service.giosg.com/live2/');
    await page.locator('.response-row select').selectOption('script');
    await page.fill('.response-row textarea', 'window.clientStandIn = true;');
    await page.click(`[data-add-row='["properties"]']`);
    await page.fill(bound('properties', 0, 'key'), 'username');
    await page.fill(bound('properties', 0, 'value'), 'Jane Doe');
    await openGroup(page, 'giosg client');
    await page.check(bound('loadClient'));
    await page.fill(bound('organizationId'), '826100fd-b473-49b0-bafd-d7332622bae8');
    expect(await fire(page)).toBe('success');
    // The snippet set _giosg._c: the tag does not load giosg a second time.
    expect(await sectionLines(page, 'Scripts, pixels and iframes')).toEqual([]);
    // The page's requests race each other: compared in any order.
    expect((await sectionLines(page, 'Other requests the preview answered')).sort()).toEqual([
      'otherhttps://api.vendor.example/ping200',
      'scripthttps://service.giosg.com/live2/826100fd-b473-49b0-bafd-d7332622bae8200',
    ]);
    expect(
      preview.server.requests
        .since(0)
        .map((r) => `${r.method} ${r.by}`)
        .sort(),
    ).toEqual(['GET rule', 'POST default']);
    const standIn = await page.evaluate(() =>
      (document.querySelector('iframe.simulated-page') as HTMLIFrameElement)
        .contentWindow!.document.querySelector('script[async]')!
        .getAttribute('src'),
    );
    expect(standIn).toBe(
      '/__net/script?u=https%3A%2F%2Fservice.giosg.com%2Flive2%2F826100fd-b473-49b0-bafd-d7332622bae8',
    );
    expect(await sectionLines(page, 'Calls to page functions')).toEqual([
      '_giosg("visitor", "submit", {username: "Jane Doe"}, "plain", false)',
    ]);
  });

  it('every field type: label, help, radio and checkbox nesting, tables, the row dialog, groups; data exactly as GTM builds it', async () => {
    const { page } = await fixture.open(PROBE);
    // LABEL and help are GTM's HTML, sanitised: bold stays, the link opens elsewhere.
    expect(await page.innerHTML('[data-name="intro"] .label-field b')).toBe('every');
    expect(await page.getAttribute('[data-name="intro"] a', 'target')).toBe('_blank');
    const help = page.locator('[data-name="accountId"] .help');
    expect(await help.isVisible()).toBe(false);
    await page.click('[data-name="accountId"] .help-toggle');
    expect(await help.innerHTML()).toBe('A number. <code>{{variables}}</code> are not allowed here.');

    // A RADIO item's nested field shows only under the chosen item; a CHECKBOX's by its condition.
    expect(await page.isVisible('[data-name="scriptUrl"]')).toBe(false);
    await page.check('[data-name="mode"] input[value="i:1"]');
    expect(await page.isVisible('[data-name="scriptUrl"]')).toBe(true);
    await page.check('[data-name="mode"] input[value="i:0"]');
    expect(await page.isVisible('[data-name="endpoint"]')).toBe(false);
    await page.check(bound('advanced'));
    expect(await page.isVisible('[data-name="endpoint"]')).toBe(true);
    await page.fill(bound('endpoint'), 'https://collect.example.com');

    await page.fill(bound('accountId'), '42');
    await page.fill(bound('notes'), 'first\n\nsecond');
    await selectItem(page, bound('level'), 'Two');
    // A drop-down that includes variables lists the page's variables.
    await selectItem(page, bound('source'), '{{Page Hostname}}');

    await page.click(`[data-add-row='["pairs"]']`);
    await page.fill(bound('pairs', 0, 'name'), 'a');
    await selectItem(page, bound('pairs', 0, 'kind'), 'Number');
    await page.fill(bound('pairs', 0, 'value'), '1');

    // PARAM_TABLE: rows are added in a dialog, whose fields have their own conditions.
    await page.click(`[data-add-row='["rules"]']`);
    const dialog = page.locator('dialog.row-dialog');
    expect(await dialog.locator('h2').textContent()).toBe('New rule');
    await dialog.locator(bound('pattern')).fill('/checkout');
    expect(await dialog.locator('[data-name="reason"]').isVisible()).toBe(false);
    await dialog.locator(bound('block')).check();
    await dialog.locator(bound('reason')).selectOption({ label: 'Abuse' });
    await dialog.locator('button', { hasText: 'Add' }).click();
    expect(await page.locator('[data-name="rules"] tbody td').allTextContents()).toEqual([
      '/checkout',
      'true',
      'Abuse',
      '✎✕',
    ]);

    // A closed group hides nothing from data: its fields are there with their defaults. Its "?"
    // opens its help, not the group.
    expect(await page.isVisible('[data-name="extra"]')).toBe(false);
    await page.click('[data-name="moreSection"] summary .help-toggle');
    expect(await page.getAttribute('[data-name="moreSection"] details', 'open')).toBeNull();
    await page.click('[data-name="moreSection"] summary');
    expect(await page.textContent('[data-name="moreSection"] .help')).toBe('Rarely needed.');
    expect(await page.isVisible('[data-name="moreSection"] .help')).toBe(true);

    await setPage(page, {
      script: 'window.probe = { received: [], record: function (d) { this.received.push(d); } };',
    });
    expect(await fire(page)).toBe('success');
    const received = await page.evaluate(
      () =>
        (
          (document.querySelector('iframe.simulated-page') as HTMLIFrameElement).contentWindow as unknown as {
            probe: { received: unknown };
          }
        ).probe.received,
    );
    expect(received).toEqual([
      {
        mode: 'report',
        accountId: '42',
        notes: ['first', 'second'],
        level: 2,
        source: 'www.example.com',
        advanced: true,
        endpoint: 'https://collect.example.com',
        pairs: [{ name: 'a', kind: 'num', value: '1' }],
        rules: [{ pattern: '/checkout', block: true, reason: 'abuse' }],
        extra: '',
      },
    ]);
    expect(await sectionLines(page, 'Calls to page functions')).toEqual([
      `probe.record(
  {
    mode: "report",
    accountId: "42",
    notes: ["first", "second"],
    level: 2,
    source: "www.example.com",
    advanced: true,
    endpoint: "https://collect.example.com",
    pairs: [{name: "a", kind: "num", value: "1"}],
    rules: [{pattern: "/checkout", block: true, reason: "abuse"}],
    extra: ""
  },
  "https://www.example.com/"
)`,
    ]);
    expect(await sectionLines(page, 'Console')).toEqual(['probe fired in mode report']);
  });

  it('validators of every kind: a number rule, a unique column, a nested required field', async () => {
    const { page } = await fixture.open(PROBE);
    await page.fill(bound('accountId'), '4.5');
    await page.check(bound('advanced'));
    await page.click(`[data-add-row='["pairs"]']`);
    await page.click(`[data-add-row='["pairs"]']`);
    await page.fill(bound('pairs', 0, 'name'), 'same');
    await page.fill(bound('pairs', 1, 'name'), 'same');
    expect(await fire(page)).toBe('invalid');
    expect(await page.locator('#result .problem-list li').allTextContents()).toEqual([
      'Account ID: This value must be a positive number.',
      'Endpoint: Advanced settings need an endpoint.',
      'Pairs, row 2: This value must be unique in the table.',
    ]);
  });

  it('outcomes: cookies and pixels, a failing script, a permission denial, more than once, never finished', async () => {
    const { page } = await fixture.open(PROBE);
    await page.fill(bound('accountId'), '42');

    await page.check('[data-name="mode"] input[value="i:2"]');
    expect(await fire(page)).toBe('success');
    expect(await sectionLines(page, 'Cookies set')).toEqual([
      'probe_seen=yes%20please; path=/; max-age=3600',
    ]);
    expect(await sectionLines(page, 'Scripts, pixels and iframes')).toEqual([
      'pixelhttps://pixel.example.com/hit.gif?id=42answered 200 (stand-in)',
      'iframehttps://frame.example.com/sync.htmlanswered 200 (stand-in)',
    ]);

    // A rule makes the script fail: the tag reports failure.
    await showTab(page, 'page');
    await page.click('[data-add="response"]');
    await page.fill('.response-row input', 'https://cdn.example.com/');
    await page.check('[data-name="mode"] input[value="i:1"]');
    expect(await fire(page)).toBe('failure');
    expect(await sectionLines(page, 'Scripts, pixels and iframes')).toEqual([
      'scripthttps://cdn.example.com/lib.jsanswered 404 (rule)',
    ]);

    await page.check('[data-name="mode"] input[value="i:3"]');
    expect(await fire(page)).toBe('error');
    expect(await page.textContent('#result .denial strong')).toBe('Permission denied: inject_script');
    // Where the call is: line 27 of the code, which starts at line 324 of probe.tpl.
    expect(await page.textContent('#result .denial .error-where')).toBe(
      'At template code line 27, line 350 of the file.',
    );

    await page.check('[data-name="mode"] input[value="i:4"]');
    expect(await fire(page)).toBe('multiple');
    expect(await page.textContent('#result .outcome-label')).toBe('Finished more than once');

    await page.check('[data-name="mode"] input[value="i:5"]');
    expect(await fire(page)).toBe('none');
    expect(await page.textContent('#result .outcome-label')).toBe('Did not finish');
  });

  it('console lines follow preview (debug) mode, as logging with the debug environment does', async () => {
    const { page } = await fixture.open(PROBE);
    await page.fill(bound('accountId'), '1');
    await setPage(page, {
      script: "window.probe = { record: function () { console.warn('page saw it'); } };",
    });
    expect(await fire(page)).toBe('success');
    expect(await sectionLines(page, 'Console')).toEqual([
      'probe fired in mode report',
      '[page] warn: page saw it',
    ]);
    await setPage(page, { debugMode: false });
    expect(await fire(page)).toBe('success');
    expect(await sectionLines(page, 'Console')).toEqual(['[page] warn: page saw it']);
  });

  it('a variable template returns its value; a server template shows its form but does not fire in a page', async () => {
    const { page } = await fixture.open(GREETING);
    expect(await page.textContent('.tag-kind')).toBe('Variable template · web container');
    expect(await fire(page)).toBe('none');
    expect(await page.textContent('#result .outcome-label')).toBe('Returned a value');
    expect(await page.textContent('#result [data-section="Return value"] pre')).toBe('"Hello, world"');
    await page.check(bound('shout'));
    await fire(page);
    expect(await page.textContent('#result [data-section="Return value"] pre')).toBe('"HELLO, WORLD!"');

    const server = allCorpusFiles().find(
      (f) => parse(f.text).context === 'SERVER' && (parse(f.text).parameters?.length ?? 0) > 0,
    )!;
    const { page: serverPage } = await fixture.open({ kind: 'file', path: server.path });
    expect(await serverPage.textContent('.tag-kind')).toMatch(/server container$/);
    expect(await serverPage.isDisabled('#fire')).toBe(true);
    expect(await serverPage.getAttribute('#fire', 'title')).toContain('gtm-template test');
  });

  it('a project: the page rebuilds and reloads when a source changes, keeping what was typed', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gtm-preview-project-'));
    try {
      cpSync(path.join(repoRoot, 'template'), dir, {
        recursive: true,
        filter: (src) =>
          !/[\\/](\.cache|build)([\\/]|$)/.test(src.slice(path.join(repoRoot, 'template').length)),
      });
      const { page, preview } = await fixture.open({ kind: 'project', path: dir });
      expect(await page.textContent('[data-name="action"] .label-text')).toBe('What should this tag do?');
      await page.click(`[data-add-row='["properties"]']`);
      await page.fill(bound('properties', 0, 'key'), 'username');
      const fields = path.join(dir, 'src/fields.ts');
      const rebuilt = preview.rebuilt();
      writeFileSync(
        fields,
        readFileSync(fields, 'utf8').replace('What should this tag do?', 'What should the tag do?'),
      );
      await rebuilt;
      await page.waitForFunction(
        () =>
          document.querySelector('[data-name="action"] .label-text')?.textContent ===
          'What should the tag do?',
      );
      expect(await page.inputValue(bound('properties', 0, 'key'))).toBe('username');
      expect(await page.textContent('.status')).toContain('reloaded');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
