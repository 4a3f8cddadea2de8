// jest-environment-jsdom as is, plus Node's fetch: jsdom has no fetch (jsdom/jsdom#1724, jest
// #13834), so every app that tests fetch-calling code under jsdom lends it one; this is the
// usual way, and not a setting for @spike/sdk. Only fetch and the classes it works with are
// added: TextDecoder, TextEncoder and the rest stay as plain jsdom has them (absent).
const { TestEnvironment } = require('jest-environment-jsdom');

class JsdomWithFetch extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    Object.assign(this.global, { fetch, Headers, Request, Response });
  }
}

module.exports = JsdomWithFetch;
