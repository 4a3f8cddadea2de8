// The emulator in its own process (its bin, as a user would run it), so the server's CPU time is
// not counted as client overhead in the request benchmarks.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageDir } from '../../scripts/lib/paths.mjs';

export async function startEmulatorProcess() {
  const child = spawn(process.execPath, [join(packageDir, 'dist', 'bin', 'spike-emulator.cjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const ready = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`spike-emulator exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const url = /^export SPIKE_API_URL=(\S+)$/m.exec(out)?.[1];
      const apiKey = /^export SPIKE_API_KEY=(\S+)$/m.exec(out)?.[1];
      if (url && apiKey) resolve({ url, apiKey });
    });
  });
  return {
    ...ready,
    close: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}
