// The preview's HTTP server (`node:http`, loopback only): the preview page, the template it shows
// (and a stream that says when it changed), the simulated page, and stand-in answers for every
// request to another host. A request whose target is not this server (an absolute URL, a foreign
// `Host`) is never forwarded: it is answered here, logged, and shown in the result panel. That also
// keeps web pages elsewhere from reaching the API through DNS rebinding.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PreviewAssets } from './assets.js';
import { kindOf, RequestLog, standInAnswer, type RequestKind } from './network.js';
import { checkSetup, defaultSetup, parseSetup, type PageSetup } from './page/setup.js';
import { renderAppPage, renderSimulatedPage } from './pages.js';
import type { PreviewSnapshot } from './snapshot.js';

export interface PreviewServerOptions {
  /** The template as it is now (rebuilt by the caller on change; see `changed`). */
  snapshot: () => PreviewSnapshot;
  assets: PreviewAssets;
  /** Port to listen on (0: any free port). */
  port: number;
  host?: string;
}

export interface PreviewServer {
  readonly url: string;
  /** Tells open preview pages that the snapshot changed, so they reload it. */
  changed(): void;
  readonly requests: RequestLog;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Everything the preview's own pages may load: this server only, never another host. */
const APP_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'";
// The simulated page runs the site's script and the template (compiled with `Function`, hence
// 'unsafe-eval'); any request it makes to another host is refused by the browser itself.
const PAGE_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'";

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is in use`);
  }
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Uint8Array,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

async function readBody(req: IncomingMessage, limit = 2_000_000): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const host = options.host ?? '127.0.0.1';
  const requests = new RequestLog();
  let setup = defaultSetup();
  let setupVersion = 0;
  const listeners = new Set<ServerResponse>();
  let ownHost = '';

  const answerForeign = (req: IncomingMessage, res: ServerResponse, url: string, kind: RequestKind) => {
    const answer = standInAnswer(kind, url, setup.responses);
    requests.add({ method: req.method ?? 'GET', url, kind, status: answer.status, by: answer.by });
    send(res, answer.status, answer.contentType, answer.body, { 'access-control-allow-origin': '*' });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const target = req.url ?? '/';
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    // Absolute-form targets (a browser using this server as its proxy) and requests for any other
    // host are requests for the network: answer them here, never forward them.
    if (
      /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ||
      (hostHeader && hostHeader !== ownHost && !isLoopbackHost(hostHeader))
    ) {
      const url = /^[a-z]+:\/\//i.test(target) ? target : `http://${hostHeader}${target}`;
      answerForeign(req, res, url, kindOf(url, String(req.headers.accept ?? '')));
      return;
    }
    const { pathname, searchParams } = new URL(target, 'http://preview.invalid');
    if (pathname.startsWith('/__net/')) {
      const kind = pathname.slice('/__net/'.length) as RequestKind;
      const url = searchParams.get('u') ?? '';
      answerForeign(req, res, url, ['script', 'pixel', 'iframe'].includes(kind) ? kind : 'other');
      return;
    }
    if (req.method === 'GET' && pathname === '/') {
      send(res, 200, 'text/html; charset=utf-8', renderAppPage(await options.assets.app()), {
        'content-security-policy': APP_CSP,
      });
      return;
    }
    if (req.method === 'GET' && pathname === '/__page/') {
      send(
        res,
        200,
        'text/html; charset=utf-8',
        renderSimulatedPage(setup, await options.assets.pageAgent()),
        {
          'content-security-policy': PAGE_CSP,
        },
      );
      return;
    }
    if (req.method === 'GET' && pathname === '/api/template') {
      sendJson(res, 200, options.snapshot());
      return;
    }
    if (pathname === '/api/page') {
      if (req.method === 'PUT') {
        let parsed: PageSetup | undefined;
        try {
          parsed = parseSetup(JSON.parse(await readBody(req)));
        } catch {
          parsed = undefined;
        }
        if (!parsed) {
          sendJson(res, 400, { error: 'not a page setup' });
          return;
        }
        setup = parsed;
        setupVersion++;
      }
      sendJson(res, 200, { setup, version: setupVersion, problems: checkSetup(setup) });
      return;
    }
    if (req.method === 'GET' && pathname === '/api/requests') {
      sendJson(res, 200, requests.since(Number(searchParams.get('after') ?? 0)));
      return;
    }
    if (req.method === 'GET' && pathname === '/api/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(`event: template\ndata: ${options.snapshot().version}\n\n`);
      listeners.add(res);
      req.on('close', () => listeners.delete(res));
      return;
    }
    send(res, 404, 'text/plain; charset=utf-8', `Not found: ${pathname}\n`);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent)
        send(res, 500, 'text/plain; charset=utf-8', `preview server error: ${(err as Error).message}\n`);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(options.port) : err),
    );
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  ownHost = `${host}:${port}`;
  const url = `http://${ownHost}/`;
  return {
    url,
    requests,
    changed() {
      const version = options.snapshot().version;
      for (const res of listeners) res.write(`event: template\ndata: ${version}\n\n`);
    },
    close() {
      for (const res of listeners) res.end();
      listeners.clear();
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

function isLoopbackHost(hostHeader: string): boolean {
  const name = hostHeader.replace(/:\d+$/, '');
  return LOOPBACK_HOSTS.has(name);
}
