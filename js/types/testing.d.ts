export { SpikeError } from './index.js';
export type { SpikeErrorCode } from './index.js';
