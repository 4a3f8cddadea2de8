// `npm run demo`: builds what is missing and serves www/ with the SDK's browser build at /sdk/.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { root, packageDir } from './lib/paths.mjs';
import { serveFile } from './lib/static-server.mjs';
import { build } from './build.mjs';

await build();

const www = join(root, 'www');
const sdk = join(packageDir, 'browser');
const server = createServer((req, res) => {
  const { pathname } = new URL(req.url, 'http://x');
  if (pathname.startsWith('/sdk/')) {
    req.url = pathname.slice('/sdk'.length);
    return serveFile(sdk, req, res);
  }
  return serveFile(www, req, res);
});

const port = Number(process.env.PORT ?? 4173);
server.on('error', (err) => {
  if (err.code === 'EADDRINUSE' && !process.env.PORT) server.listen(0, '127.0.0.1');
  else throw err;
});
server.on('listening', () => console.log(`\nDemo: http://127.0.0.1:${server.address().port}`));
server.listen(port, '127.0.0.1');
