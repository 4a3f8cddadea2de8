// A tiny static file server on 127.0.0.1, used by the demo and by the browser/packaging tests.
// Serves .wasm as application/wasm so browsers can compile it while it streams.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { listenLocal } from './local-server.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Resolves a URL path inside `rootDir`, or null when it would escape it. */
export function resolveInside(rootDir, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  const file = normalize(join(rootDir, decoded));
  return file === rootDir || file.startsWith(rootDir + sep) ? file : null;
}

/** Serves a file (index.html for directories); answers 404 and returns false when there is none. */
export function serveFile(rootDir, req, res) {
  let file = resolveInside(rootDir, new URL(req.url, 'http://x').pathname);
  try {
    if (file && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file || !statSync(file).isFile()) throw new Error('not a file');
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return false;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  createReadStream(file).pipe(res);
  return true;
}

/** Starts a server for `rootDir` on 127.0.0.1 (port 0 = any free port). */
export function startStaticServer(rootDir, { port = 0 } = {}) {
  return listenLocal(createServer((req, res) => serveFile(rootDir, req, res)), port);
}
