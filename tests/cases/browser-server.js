// What a browser gets from `@spike/sdk/server`: refusals, never server code or secrets.
import { equal } from './check.js';

export function browserServerCases(api, server) {
  return [
    ['server helpers refuse in a browser with invalid_options, sharing one SpikeError', async () => {
      let rejected;
      try {
        await server.mintToken({ apiKey: 'sk_live_should_never_be_here', userId: 'u' });
      } catch (err) {
        rejected = err;
      }
      equal(rejected instanceof api.SpikeError, true, 'mintToken rejects with SpikeError');
      equal(rejected.code, 'invalid_options', 'mintToken code');
      equal(rejected.message.includes('sk_live'), false, 'no key in the message');
      for (const name of ['createTokenHandler', 'signUserId', 'verifyWebhookSignature', 'isAllowedRedirect']) {
        let err;
        try {
          server[name]({});
        } catch (e) {
          err = e;
        }
        equal(err?.code, 'invalid_options', name);
      }
      equal(server.SpikeError, api.SpikeError, 'same SpikeError class');
    }],
    ['parseIntegrationRedirect works in the browser', () => {
      const parsed = api.parseIntegrationRedirect('https://app.example.com/done?user_id=u%201&provider_slug=garmin');
      equal(parsed.userId, 'u 1', 'userId');
      equal(parsed.providerSlug, 'garmin', 'providerSlug');
      equal(server.parseIntegrationRedirect, api.parseIntegrationRedirect, 'same function from both entries');
    }],
  ];
}
