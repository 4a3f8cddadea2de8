// Node (20, 22, 24), CommonJS: the client and the server helpers through require(). The package is
// "type": "module" only so that the shared spike-cases.js (ESM) loads; this file is CommonJS.
const sdk = require('@spike/sdk');
const server = require('@spike/sdk/server');

(async () => {
  const { clientCases, envFromProcess, reportLine, runCases, serverCases } = await import('./spike-cases.js');
  const env = envFromProcess();
  const results = await runCases([...clientCases(sdk, env), ...serverCases(server, env)]);
  console.log(reportLine(results));
})();
