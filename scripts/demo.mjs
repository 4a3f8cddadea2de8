// `npm run demo`: builds what is missing, starts the Spike emulator (30-second tokens, so refreshes
// are visible) and a small demo backend that serves www/, the SDK's browser build at /sdk/, and
// /api/spike-token through createTokenHandler for the signed-in demo user. Everything is local.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { packageDir, root } from './lib/paths.mjs';
import { listenLocal, readJson, sendJson as json } from './lib/local-server.mjs';
import { serveFile } from './lib/static-server.mjs';
import { buildIfStale } from './build.mjs';

export const DEMO_TOKEN_SECONDS = 30;
const COOKIE = 'spike_demo_user';

const userFrom = (cookieHeader) => {
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(cookieHeader ?? '');
  return match ? decodeURIComponent(match[1]) : null;
};

const escapeHtml = (text) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading) => heading.toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');

/**
 * A repository document (README.md, SECURITY.md) as a page the demo can link into: each heading
 * gets GitHub's anchor, the rest is shown as written. No Markdown renderer needed, nothing fetched.
 */
function docPage(name) {
  const lines = readFileSync(join(root, name), 'utf8').split('\n');
  const html = [];
  let text = [];
  const flush = () => {
    if (text.length) html.push(`<pre>${escapeHtml(text.join('\n'))}</pre>`);
    text = [];
  };
  for (const line of lines) {
    const m = /^(#{1,4}) (.+)$/.exec(line);
    if (!m) {
      text.push(line);
      continue;
    }
    flush();
    const level = m[1].length;
    html.push(`<h${level} id="${slug(m[2])}">${escapeHtml(m[2])}</h${level}>`);
  }
  flush();
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${name}</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:860px;margin:0 auto;padding:1rem}pre{white-space:pre-wrap;overflow-wrap:anywhere;font:13px ui-monospace,monospace}</style></head><body><p><a href="/">Back to the demo</a></p>${html.join('\n')}</body></html>`;
}

/** Starts the emulator and the demo backend; resolves to { url, emulator, close }. */
export async function startDemo({ port = 0 } = {}) {
  // Imported after the build: the package must exist first.
  const { startEmulator } = await import(join(packageDir, 'dist', 'testing.mjs'));
  const { createTokenHandler, toNodeHandler, verifyWebhookSignature } = await import(join(packageDir, 'dist', 'server.node.mjs'));
  const emulator = await startEmulator({ tokenTtlSeconds: DEMO_TOKEN_SECONDS });
  const counters = { tokenRequests: 0 };
  const tokenHandler = toNodeHandler(
    createTokenHandler({
      apiKey: emulator.apiKey,
      baseUrl: emulator.url,
      expSeconds: DEMO_TOKEN_SECONDS,
      scopes: ['workspaces:read', 'workspaces:write'],
      getUser: (request) => {
        const user = userFrom(request.headers.get('cookie'));
        return user ? { id: user, name: `Demo ${user}` } : null;
      },
    }),
  );

  const www = join(root, 'www');
  const sdk = join(packageDir, 'dist');
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://demo');
    try {
      if (pathname === '/api/config') return json(res, 200, { emulatorUrl: emulator.url, tokenSeconds: DEMO_TOKEN_SECONDS });
      if (pathname === '/api/login' && req.method === 'POST') {
        const { user } = await readJson(req);
        if (typeof user !== 'string' || !/^[\w.@-]{1,40}$/.test(user)) return json(res, 400, { error: 'bad_user', message: 'Pick a user name of letters, digits, . _ - @' });
        return json(res, 200, { user }, { 'set-cookie': `${COOKIE}=${encodeURIComponent(user)}; Path=/; HttpOnly; SameSite=Lax` });
      }
      if (pathname === '/api/logout' && req.method === 'POST') {
        return json(res, 200, {}, { 'set-cookie': `${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax` });
      }
      if (pathname === '/api/me') return json(res, 200, { user: userFrom(req.headers.cookie) });
      if (pathname === '/api/spike-token') {
        counters.tokenRequests += 1;
        return tokenHandler(req, res);
      }
      if (pathname === '/api/emulator/inject' && req.method === 'POST') {
        emulator.inject(await readJson(req));
        return json(res, 200, {});
      }
      if (pathname === '/docs/README.md' || pathname === '/docs/SECURITY.md') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(docPage(pathname.slice('/docs/'.length)));
      }
      if (pathname === '/api/emulator/stats') return json(res, 200, { ...emulator.stats, tokenRequests: counters.tokenRequests });
      if (pathname === '/api/webhook/check' && req.method === 'POST') {
        const { body = '', key = '', header = '' } = await readJson(req);
        const signature = key ? createHmac('sha256', key).update(body).digest('hex') : '';
        let verified = false;
        let error = null;
        try {
          verified = verifyWebhookSignature(key, body, header);
        } catch (err) {
          error = err.message;
        }
        return json(res, 200, { signature, verified, error });
      }
      if (pathname.startsWith('/sdk/')) {
        req.url = pathname.slice('/sdk'.length);
        return serveFile(sdk, req, res);
      }
      return serveFile(www, req, res);
    } catch (err) {
      return json(res, 500, { error: 'demo_error', message: err.message });
    }
  });
  try {
    return { ...(await listenLocal(server, port, () => emulator.close())), emulator };
  } catch (err) {
    await emulator.close(); // e.g. the port is taken: the caller may try another
    throw err;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildIfStale();
  const wanted = process.env.PORT === undefined ? 4173 : Number(process.env.PORT);
  let demo;
  try {
    demo = await startDemo({ port: wanted });
  } catch (err) {
    if (err.code !== 'EADDRINUSE' || process.env.PORT !== undefined) throw err;
    demo = await startDemo({ port: 0 });
  }
  console.log(`\nSpike emulator: ${demo.emulator.url}`);
  console.log(`Demo: ${demo.url}`);
  const stop = () => demo.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
