'use strict';
// Loads the Node wasm build (synchronously, once) and wires SpikeError into it. Every Node entry
// (index, server, testing, CJS or ESM) goes through here, so they share one wasm instance and
// one SpikeError class: `instanceof` works across entry points.
const wasm = require('./spike_sdk.cjs');
const { SpikeError } = require('./error.cjs');
const { defineSpikeClient } = require('./client.cjs');

wasm.__setErrorClass(SpikeError);
const SpikeClient = defineSpikeClient(wasm.SpikeCore, SpikeError);

module.exports = { wasm, SpikeError, SpikeClient };
