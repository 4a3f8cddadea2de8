// The emulator and reference figures, read from the server's environment at request time (never
// at build time: every route and the page are dynamic, so `next build` runs with none of it).
export function spikeEnv() {
  return {
    apiUrl: process.env.SPIKE_API_URL,
    apiKey: process.env.SPIKE_API_KEY,
    expect: JSON.parse(process.env.SPIKE_EXPECT ?? 'null'),
  };
}
