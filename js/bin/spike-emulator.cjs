#!/usr/bin/env node
'use strict';
// `npx spike-emulator [--port N] [--api-key KEY] [--ttl SECONDS]`: runs the local Spike API
// emulator until interrupted, printing its URL and API key.
const { startEmulator } = require('../testing.cjs');

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--port') options.port = Number(value);
    else if (flag === '--api-key') options.apiKey = value;
    else if (flag === '--ttl') options.tokenTtlSeconds = Number(value);
    else if (flag === '--help' || flag === '-h') {
      console.log('usage: spike-emulator [--port N] [--api-key KEY] [--ttl SECONDS]');
      process.exit(0);
    } else {
      console.error(`unknown argument: ${flag}`);
      process.exit(2);
    }
    i += 1;
  }
  return options;
}

startEmulator(parseArgs(process.argv.slice(2))).then(
  (emulator) => {
    console.log(`Spike emulator: ${emulator.url}`);
    console.log(`API key: ${emulator.apiKey}`);
    const stop = () => emulator.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  },
  (err) => {
    console.error(`spike-emulator: ${err.message}`);
    process.exit(1);
  },
);
