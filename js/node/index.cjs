'use strict';
const { wasm, SpikeError, SpikeClient } = require('./core.cjs');

module.exports = {
  SpikeClient,
  SpikeError,
  decodeToken: wasm.decodeToken,
  isTokenExpired: wasm.isTokenExpired,
  parseIntegrationRedirect: wasm.parseIntegrationRedirect,
};
