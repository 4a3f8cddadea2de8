'use strict';
// Node backend helpers. The helpers themselves arrive with the server-helpers issue; the entry
// exists now so that `@spike/sdk/server` resolves in every module system.
const { SpikeError } = require('./core.cjs');

module.exports = { SpikeError };
