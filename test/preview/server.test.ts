// The preview server over HTTP (no browser): its pages and their content security policies, the
// template snapshot, the simulated page's setup, stand-in answers for every request to another
// host (also when asked as a proxy, or under a foreign Host), the change stream, and the CLI's
// usage errors.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliUsageError } from '../../src/cli/args.js';
import { resolveTarget, runPreview, startPreview, type RunningPreview } from '../../src/cli/preview.js';
import { previewAssets, writePrebuiltAssets } from '../../src/preview/assets.js';
import { defaultSetup } from '../../src/preview/page/setup.js';
import type { PreviewSnapshot } from '../../src/preview/snapshot.js';
import { repoRoot } from '../helpers/corpus.js';

let dir: string;
let file: string;
let preview: RunningPreview;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(
  pathname: string,
  options: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(pathname, preview.server.url),
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A raw HTTP/1.1 request line, as a browser sends it to a proxy (absolute-form target). */
function rawRequest(line: string, host: string): Promise<string> {
  const { port } = new URL(preview.server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () =>
      socket.write(`${line}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (c) => (text += c));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gtm-preview-server-'));
  file = path.join(dir, 'template.tpl');
  copyFileSync(path.join(repoRoot, 'build/template.tpl'), file);
  preview = await startPreview({ kind: 'file', path: file }, 0);
});

afterAll(async () => {
  await preview?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the preview server', () => {
  it('listens on loopback only and serves the page with everything inlined, under a same-origin policy', async () => {
    expect(preview.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await call('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-eval');
    expect(page.body).toMatch(/<style>[^]*\.topbar[^]*<\/style>/);
    expect(page.body).not.toMatch(/<(script|link)[^>]+(src|href)=/);
  });

  it('gives the template as the form needs it', async () => {
    const snapshot = JSON.parse((await call('/api/template')).body) as PreviewSnapshot;
    expect(snapshot.name).toBe('giosg Visitor Variables');
    expect(snapshot.source).toEqual({ kind: 'file', path: file });
    expect(snapshot.parameters.map((p) => p.name)).toEqual([
      'action',
      'variablesSection',
      'signingSection',
      'roomsSection',
      'removeKeys',
      'clientSection',
    ]);
    expect(snapshot.tpl).toBe(readFileSync(file, 'utf8'));
    expect(snapshot.icon).toMatch(/^data:image\/png;base64,/);
    expect(snapshot.diagnostics).toEqual([]);
  });

  it('keeps the simulated page the page sends, and refuses anything else', async () => {
    const setup = { ...defaultSetup(), title: 'Checkout', script: 'window.site = 1;' };
    const put = await call('/api/page', {
      method: 'PUT',
      body: JSON.stringify(setup),
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(200);
    expect(JSON.parse(put.body)).toMatchObject({ setup, problems: [] });
    const simulated = await call('/__page/');
    expect(simulated.headers['content-security-policy']).toContain("'unsafe-eval'");
    expect(simulated.headers['content-security-policy']).toContain("default-src 'self'");
    expect(simulated.body).toContain('<title>Checkout</title>');
    expect(simulated.body).toContain('var AGENT_GLOBAL = "__gtmPreviewAgent"');
    expect((await call('/api/page', { method: 'PUT', body: '{"url": 1}' })).status).toBe(400);
    expect((await call('/api/page', { method: 'PUT', body: 'not json' })).status).toBe(400);
  });

  it('answers a load for another host itself, by the page’s rules, and logs it', async () => {
    const rules = {
      ...defaultSetup(),
      responses: [{ url: 'https://cdn.example.com/broken', answer: 'fail' }],
    };
    await call('/api/page', { method: 'PUT', body: JSON.stringify(rules) });
    const after = preview.server.requests.lastId;
    const script = await call(`/__net/script?u=${encodeURIComponent('https://cdn.example.com/lib.js')}`);
    expect([script.status, script.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(script.body).toContain('stand-in for https://cdn.example.com/lib.js');
    expect(
      (await call(`/__net/script?u=${encodeURIComponent('https://cdn.example.com/broken.js')}`)).status,
    ).toBe(404);
    const pixel = await call(`/__net/pixel?u=${encodeURIComponent('https://px.example.com/p?a=1')}`);
    expect([pixel.status, pixel.headers['content-type'], pixel.body.slice(0, 6)]).toEqual([
      200,
      'image/gif',
      'GIF89a',
    ]);
    const log = JSON.parse((await call(`/api/requests?after=${after}`)).body) as {
      url: string;
      kind: string;
      status: number;
      by: string;
    }[];
    expect(log.map((r) => [r.kind, r.url, r.status, r.by])).toEqual([
      ['script', 'https://cdn.example.com/lib.js', 200, 'default'],
      ['script', 'https://cdn.example.com/broken.js', 404, 'rule'],
      ['pixel', 'https://px.example.com/p?a=1', 200, 'default'],
    ]);
  });

  it('never forwards a request meant for the network: proxy requests and foreign hosts get stand-ins', async () => {
    const after = preview.server.requests.lastId;
    const proxied = await rawRequest(
      'GET http://tracker.example.com/collect.gif?id=1 HTTP/1.1',
      'tracker.example.com',
    );
    expect(proxied).toMatch(/^HTTP\/1\.1 200/);
    expect(proxied).toContain('content-type: image/gif');
    // A page elsewhere that reaches this port by DNS rebinding gets no API and no preview page.
    const rebound = await call('/api/template', { headers: { host: 'attacker.example.net' } });
    expect(rebound.body).not.toContain('giosg');
    expect(preview.server.requests.since(after).map((r) => [r.kind, r.url])).toEqual([
      ['pixel', 'http://tracker.example.com/collect.gif?id=1'],
      ['other', 'http://attacker.example.net/api/template'],
    ]);
  });

  it('tells open pages when the file changed, with the new version', async () => {
    const before = JSON.parse((await call('/api/template')).body).version as number;
    const versions: number[] = [];
    const stream = request(new URL('/api/events', preview.server.url), (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        for (const m of chunk.matchAll(/event: template\ndata: (\d+)/g)) versions.push(Number(m[1]));
      });
    });
    stream.end();
    await new Promise((r) => setTimeout(r, 200));
    const rebuilt = preview.rebuilt();
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('"What should this tag do?"', '"What should it do?"'),
    );
    await rebuilt;
    await new Promise((r) => setTimeout(r, 100));
    stream.destroy();
    expect(versions).toEqual([before, before + 1]);
    const snapshot = JSON.parse((await call('/api/template')).body) as PreviewSnapshot;
    expect(snapshot.parameters[0]!.displayName).toBe('What should it do?');
  });
});

describe('gtm-template preview arguments', () => {
  const usage = async (argv: string[]) => {
    try {
      await runPreview(argv);
    } catch (err) {
      if (err instanceof CliUsageError) return [err.code, err.message];
      throw err;
    }
    return undefined;
  };
  it('refuses what it cannot preview, with a code and the way out', async () => {
    expect(await usage(['--port', 'eighty'])).toEqual([
      'usage/bad-arguments',
      "--port takes a port number 0–65535, not 'eighty'",
    ]);
    expect(await usage([path.join(dir, 'missing.tpl')])).toEqual([
      'io/not-found',
      `no such file or folder: ${path.join(dir, 'missing.tpl')}`,
    ]);
    expect((await usage([dir]))?.[0]).toBe('io/no-project');
    expect((await usage(['a.tpl', 'b.tpl']))?.[0]).toBe('usage/bad-arguments');
    expect((await usage(['--open']))?.[0]).toBe('usage/unknown-option');
    const port = Number(new URL(preview.server.url).port);
    expect(await usage([file, '--port', String(port)])).toEqual([
      'io/port-in-use',
      `port ${port} is in use: choose another with --port N (0 picks a free one)`,
    ]);
  });
  it('takes a file or a project folder', () => {
    expect(resolveTarget([file])).toEqual({ kind: 'file', path: file });
    expect(resolveTarget([path.join(repoRoot, 'template')])).toEqual({
      kind: 'project',
      path: path.join(repoRoot, 'template'),
    });
  });
});

describe('the page assets', () => {
  it('a package without the sources serves the prebuilt ones, the same as built from the sources', async () => {
    const installed = mkdtempSync(path.join(os.tmpdir(), 'gtm-preview-assets-'));
    try {
      const written = await writePrebuiltAssets(repoRoot, installed);
      expect(written.map((f) => path.relative(installed, f)).sort()).toEqual([
        'dist/preview/app.css',
        'dist/preview/app.js',
        'dist/preview/pageAgent.js',
      ]);
      const fromSources = previewAssets(repoRoot);
      const prebuilt = previewAssets(installed);
      expect(await prebuilt.app()).toEqual(await fromSources.app());
      expect(await prebuilt.pageAgent()).toBe(await fromSources.pageAgent());
    } finally {
      rmSync(installed, { recursive: true, force: true });
    }
  });
});
