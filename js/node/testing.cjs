'use strict';
// The local Spike API emulator arrives with the server-helpers issue; the entry exists now so
// that `@spike/sdk/testing` resolves in every module system.
const { SpikeError } = require('./core.cjs');

module.exports = { SpikeError };
