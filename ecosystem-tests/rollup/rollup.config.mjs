// A plain browser build: node-resolve (browser: true) and nothing else. No commonjs plugin and no
// setting for @spike/sdk: its ESM build must bundle as it is.
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default {
  input: 'main.js',
  output: { file: 'dist/bundle.js', format: 'es' },
  plugins: [nodeResolve({ browser: true })],
};
