// Small process helpers shared by the scripts: run a command with inherited output, or capture it.
import { spawnSync } from 'node:child_process';

/** Runs a command, streaming its output; throws with the command line when it fails or passes
 * `options.timeout` (ms). */
export function run(cmd, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit', killSignal: 'SIGKILL', ...options });
  if (result.error?.code === 'ETIMEDOUT') throw new Error(`${cmd} ${args.join(' ')} did not finish within ${options.timeout} ms`);
  if (result.error) throw new Error(`${cmd} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
  }
  return Date.now() - started;
}

/** Runs a command and returns its trimmed stdout, or null if it cannot run or fails. */
export function capture(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (result.error || result.status !== 0) return null;
  return result.stdout.trim();
}

export function step(title) {
  console.log(`\n=== ${title}`);
}
