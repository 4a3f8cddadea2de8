// A module web worker with a shareAcrossTabs client (tests/browser/tabs.test.mjs): the page sends
// the client's options, then asks for a call; the worker answers with its token and where it came from.
import { SpikeClient } from '/build/package/dist/index.mjs';

let client;
let fromTab;
self.onmessage = async ({ data }) => {
  try {
    if (data.options) {
      client = new SpikeClient(data.options);
      client.on('tokenRefreshed', (info) => (fromTab = info.fromTab));
      self.postMessage({ ready: true });
      return;
    }
    await client.get('/platform/api/workspaces');
    self.postMessage({ token: await client.getToken(), fromTab });
  } catch (err) {
    self.postMessage({ error: `${err.code}: ${err.message}` });
  }
};
