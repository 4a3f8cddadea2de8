'use strict';
const { wasm, SpikeError } = require('./core.cjs');

module.exports = {
  SpikeClient: wasm.SpikeClient,
  SpikeError,
  decodeToken: wasm.decodeToken,
  isTokenExpired: wasm.isTokenExpired,
  parseIntegrationRedirect: wasm.parseIntegrationRedirect,
};
