/**
 * The host product the benchmark navigates to: a plain `node:http` server on its own port (so the
 * embed is cross-origin, as in a customer's app) whose page route mints a security token
 * server-side with the workspace API key, as a host backend does, and answers a page that loads
 * `inlay.js` from the Inlay server and shows `<inlay-dashboard>` with that token.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostPage {
  url: string;
  origin: string;
  close(): Promise<void>;
}

export interface HostPageOptions {
  inlayUrl: string;
  apiKey: string;
  dashboard: string;
  /** The signed-in customer's security context. */
  securityContext: Record<string, unknown>;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

async function mintToken(o: HostPageOptions): Promise<string> {
  const res = await fetch(`${o.inlayUrl}/api/v1/security-token`, {
    method: 'POST',
    headers: { authorization: `Bearer ${o.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      embeddableId: o.dashboard,
      user: 'bench-host-user',
      securityContext: o.securityContext,
      expiryInSeconds: 3600,
    }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`security-token answered ${res.status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { token: string }).token;
}

function page(inlayUrl: string, token: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Host product</title>
<script type="module" src="${inlayUrl}/embed/v1/inlay.js"></script>
</head>
<body>
<h1>Host product</h1>
<inlay-dashboard token="${escapeAttr(token)}" client-context='{"locale":"en-US","timezone":"UTC"}'></inlay-dashboard>
</body>
</html>
`;
}

/** Starts the host page server; `GET /` mints a fresh token for each page view. */
export async function startHostPage(o: HostPageOptions): Promise<HostPage> {
  // The CSP the issue promises the embed works under: nothing but the host and the Inlay server.
  const csp = `script-src 'self' ${o.inlayUrl}; connect-src ${o.inlayUrl}; style-src 'self'; object-src 'none'`;
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] !== '/') {
      res.writeHead(404).end('not found');
      return;
    }
    const started = performance.now();
    mintToken(o).then(
      (token) => {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': csp,
          'cache-control': 'no-store',
          // What minting cost the page's own backend, readable from the navigation's serverTiming.
          'server-timing': `mint;dur=${(performance.now() - started).toFixed(1)}`,
        });
        res.end(page(o.inlayUrl, token));
      },
      (err: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain' }).end(String(err));
      },
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    origin,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
