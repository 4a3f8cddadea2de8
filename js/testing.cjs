'use strict';
// `@spike/sdk/testing`: the local Spike API emulator for tests and demos (Node only).
const { SpikeError } = require('./error.cjs');
const { startEmulator } = require('./testing/emulator.cjs');

module.exports = { startEmulator, SpikeError };
