// Nothing here is for @spike/sdk (no serverExternalPackages, no webpack or turbopack rules): the
// package must work in a Next app as installed. `standalone` is the deployment output the suite
// also runs (node .next/standalone/server.js), and it does not change how `next start` serves.
/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'standalone',
};

export default nextConfig;
