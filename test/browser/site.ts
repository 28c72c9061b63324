// A customer's site for the browser tests, served from 127.0.0.1 with node:http: pages registered
// by path, the sandbox bundle at /gtm-sandbox.js, the built template at /template.tpl. Everything
// off loopback (giosg's client, pixels) is answered by Playwright routing in the tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sandboxBundle } from '../../src/sandbox/browser/bundle.js';

/** giosg's v2 snippet exactly as giosg documents it (giosg-api.md §3.1), for an organization. */
export function giosgSnippet(organizationId: string): string {
  return `<!-- giosg tag -->
<script>
  (function (w, t, f) {
    var s = "script",
      o = "_giosg",
      h = "https://service.giosg.com",
      e,
      n;
    e = t.createElement(s);
    e.async = 1;
    e.src = h + "/live2/" + f;
    w[o] =
      w[o] ||
      function () {
        (w[o]._e = w[o]._e || []).push(arguments);
      };
    w[o]._c = f;
    w[o]._h = h;
    n = t.getElementsByTagName(s)[0];
    n.parentNode.insertBefore(e, n);
  })(window, document, '${organizationId}');
</script>
<!-- giosg tag -->`;
}

/** A page: `head` and `body` HTML; the sandbox bundle is loaded first unless `sandbox: false`. */
export function sitePage({
  head = '',
  body = '',
  sandbox = true,
}: {
  head?: string;
  body?: string;
  sandbox?: boolean;
}) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Customer site</title>
${sandbox ? '<script src="/gtm-sandbox.js"></script>' : ''}
${head}
</head>
<body>
<h1>Customer site</h1>
${body}
</body>
</html>`;
}

export class TestSite {
  private readonly pages = new Map<string, string>();
  private server?: Server;
  origin = '';

  /** Serves `html` at `path` (e.g. `/with-snippet.html`). */
  page(path: string, html: string): string {
    this.pages.set(path, html);
    return this.origin + path;
  }

  async start(): Promise<void> {
    const bundle = await sandboxBundle();
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/gtm-sandbox.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        res.end(bundle);
        return;
      }
      const html = this.pages.get(path);
      if (html === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
