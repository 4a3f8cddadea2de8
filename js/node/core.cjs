'use strict';
// Loads the Node wasm build (synchronously, once) and wires SpikeError into it. Every Node entry
// (index, server, testing, CJS or ESM) goes through here, so they share one wasm instance and
// one SpikeError class: `instanceof` works across entry points.
const { createHmac } = require('node:crypto');
const wasm = require('./spike_sdk.cjs');
const { SpikeError } = require('./error.cjs');
const { defineSpikeClient } = require('./client.cjs');

wasm.__setErrorClass(SpikeError);
// Webhook bodies are hashed by node:crypto, ~10x faster than SHA-256 in wasm on large bodies and
// without copying them into wasm memory; parsing the header and comparing stay in Rust.
wasm.__setNativeHmac((key, body) => createHmac('sha256', key).update(body).digest());
const SpikeClient = defineSpikeClient(wasm.SpikeCore, SpikeError);

module.exports = { wasm, SpikeError, SpikeClient };
