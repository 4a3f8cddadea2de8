#!/usr/bin/env node
'use strict';
// `npx spike-emulator [--port N] [--api-key KEY] [--ttl SECONDS] [--detach]`: runs the local Spike
// API emulator. Its stdout is only shell lines (`export SPIKE_API_URL=...`, `export
// SPIKE_API_KEY=...`), the variables the SDK's server-side defaults read, so a shell can `eval`
// them; everything else goes to stderr. In the foreground it runs until interrupted; with
// `--detach` it starts in the background and exits once it is listening, adding
// `export SPIKE_EMULATOR_PID=...` (as `eval "$(ssh-agent -s)"` does):
//
//   eval "$(npx spike-emulator --detach)"
//   node app.js                     # talks to the emulator
//   kill "$SPIKE_EMULATOR_PID"
const { spawn } = require('node:child_process');
const { startEmulator } = require('../testing.cjs');

const USAGE = `usage: spike-emulator [--port N] [--api-key KEY] [--ttl SECONDS] [--detach]

Runs a local Spike API on 127.0.0.1 and prints, on stdout, the lines a shell can eval:
  export SPIKE_API_URL=http://127.0.0.1:PORT
  export SPIKE_API_KEY=KEY
--detach starts it in the background and also prints export SPIKE_EMULATOR_PID=PID:
  eval "$(npx spike-emulator --detach)"   ...   kill "$SPIKE_EMULATOR_PID"`;

function fail(message, code = 2) {
  process.stderr.write(`spike-emulator: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const options = {};
  let detach = false;
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (flag === '--detach') {
      detach = true;
      continue;
    }
    if (!['--port', '--api-key', '--ttl'].includes(flag)) fail(`unknown argument: ${flag}\n${USAGE}`);
    if (value === undefined) fail(`${flag} needs a value`);
    if (flag === '--port') options.port = Number(value);
    else if (flag === '--api-key') options.apiKey = value;
    else options.tokenTtlSeconds = Number(value);
    i += 1;
  }
  return { options, detach };
}

/** A value as one shell word: bare when it is plainly safe, else single-quoted. */
const shellWord = (value) => (/^[\w.:/@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`);

const envLines = (emulator) => `export SPIKE_API_URL=${shellWord(emulator.url)}\nexport SPIKE_API_KEY=${shellWord(emulator.apiKey)}\n`;

/** Starts this script again without --detach, in the background, and prints its lines plus its PID. */
function detached(argv) {
  const child = spawn(process.execPath, [__filename, ...argv.filter((a) => a !== '--detach')], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let errors = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  // Until it listens, what the emulator says on stderr is the reason it may exit (EADDRINUSE).
  child.stderr.on('data', (chunk) => (errors = `${errors}${chunk}`.slice(-2000)));
  child.stdout.on('data', (chunk) => {
    out += chunk;
    if (!/SPIKE_API_KEY=.*\n/.test(out)) return;
    process.stdout.write(`${out}export SPIKE_EMULATOR_PID=${child.pid}\n`);
    process.stderr.write(`spike-emulator: running in the background (pid ${child.pid}); stop it with: kill "$SPIKE_EMULATOR_PID"\n`);
    child.removeAllListeners('exit');
    child.stdout.destroy();
    child.stderr.destroy();
    child.unref();
  });
  // `eval "$(spike-emulator --detach)"` runs what stdout says, and eval of nothing succeeds: a
  // `false` line makes the eval fail too (and stops a `set -e` script) instead of leaving the
  // variables unset in silence.
  const failed = (message) => {
    process.stdout.write('false\n');
    fail(message, 1);
  };
  child.once('exit', (code) => {
    const reason = errors.trim().split('\n').filter(Boolean).map((l) => l.replace(/^spike-emulator: /, '')).join('; ');
    failed(`the emulator exited (code ${code}) before it was listening${reason ? `: ${reason}` : ''}`);
  });
  child.once('error', (err) => failed(err.message));
}

const argv = process.argv.slice(2);
const { options, detach } = parseArgs(argv);
if (detach) {
  detached(argv);
} else {
  startEmulator(options).then(
    (emulator) => {
      // stdout may be a pipe that a --detach parent closes once it has these lines.
      process.stdout.on('error', () => {});
      process.stderr.on('error', () => {}); // and its stderr pipe, too
      process.stdout.write(envLines(emulator));
      process.stderr.write(`Spike emulator: ${emulator.url} (Ctrl-C to stop)\n`);
      const stop = () => emulator.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (err) => fail(err.message, 1),
  );
}
