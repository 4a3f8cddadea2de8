// Issue 18: no secret or upstream text ever reaches a browser, redirects only to safe schemes,
// cached tokens follow the user's claims, a stray `%` does not lose an integration redirect.
// Real servers on 127.0.0.1: a mint API that quotes the bearer it got back in its 401, and the
// emulator.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import * as server from '../../build/package/dist/server.node.mjs';
import { startEmulator } from '../../build/package/dist/testing.mjs';
import { SpikeError } from '../../build/package/dist/index.mjs';

const isCode = (code) => (err) => err instanceof SpikeError && err.code === code;

// --- a mint API that echoes the key ------------------------------------------------------------

/** How the echoing API quotes the bearer it received, chosen by the first path segment. */
const ECHO = {
  raw: (bearer) => bearer,
  quoted: (bearer) => JSON.stringify(bearer),
  percent: (bearer) => encodeURIComponent(bearer),
  prefix: (bearer) => `${bearer.slice(0, 12)}...`,
  suffix: (bearer) => `...${bearer.slice(-10)}`,
};

let echo;
let echoUrl;
let echoRequests = 0;
before(async () => {
  echo = createServer((req, res) => {
    echoRequests += 1;
    req.resume();
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const mode = ECHO[req.url.split('/')[1]] ?? ECHO.raw;
    if (req.url.startsWith('/internal/')) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal', message: `db password hunter2hunter2 at 10.0.0.3; key ${bearer}` }));
      return;
    }
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'unauthorized', message: `unknown key ${mode(bearer)}` }));
  });
  await new Promise((r) => echo.listen(0, '127.0.0.1', r));
  echoUrl = `http://127.0.0.1:${echo.address().port}`;
});
after(() => new Promise((r) => echo.close(r)));

const BASE = 'sk_test_0123456789abcdef';
/** Keys with surrounding whitespace or control characters: refused with invalid_options. */
const PADDED = [`${BASE}\n`, `${BASE}\r\n`, `${BASE} `, `${BASE}\t`, ` ${BASE}`, `\n${BASE}`, `\uFEFF${BASE}`, `${BASE}\u0000`, `${BASE}\u00A0`];
/** Keys that are sent (and quoted back by the echo server): redacted. The last one cannot be a header value. */
const CLEAN = [BASE, 'sk_live/AB+cd=ef%_0123456789', 'sk_tëst_0123456789abcdef', 'sk_t€st_0123456789abcdef'];

/** Every 8-character window of the key and of its trimmed form: none may appear anywhere. */
function pieces(key) {
  const out = new Set();
  for (const form of [key, key.trim(), key.replace(/^[\s\uFEFF\u0000]+|[\s\uFEFF\u0000]+$/g, '')]) {
    const chars = [...form];
    for (let i = 0; i + 8 <= chars.length; i += 1) out.add(chars.slice(i, i + 8).join(''));
  }
  return [...out];
}

function assertNoKey(label, texts, key) {
  const seen = texts.join('\n');
  for (const piece of pieces(key)) {
    assert.ok(!seen.includes(piece), `${label}: ${JSON.stringify(piece)} of the key leaked in ${JSON.stringify(seen.slice(0, 400))}`);
  }
}

/** Every path of an error that can carry text: message, stack, JSON, cause, body. */
function errorTexts(err) {
  return [
    String(err?.message), String(err?.stack), JSON.stringify(err), String(err), String(err?.cause ?? ''),
    String(err?.cause?.message ?? ''), String(err?.cause?.stack ?? ''), JSON.stringify(err?.body ?? null),
  ];
}

describe('issue 18.1: keys with whitespace, upstream text', () => {
  test('padded API keys are refused with invalid_options before anything is sent, never printed', async () => {
    const sentBefore = echoRequests;
    for (const key of PADDED) {
      for (const mode of Object.keys(ECHO)) {
        await assert.rejects(server.mintToken({ apiKey: key, baseUrl: `${echoUrl}/${mode}`, userId: 'u' }), (err) => {
          assert.ok(isCode('invalid_options')(err), `${JSON.stringify(key)}: ${err.code} ${err.message}`);
          assert.match(err.message, /^apiKey starts or ends with whitespace or a control character/);
          assertNoKey(`mintToken ${JSON.stringify(key)}`, errorTexts(err), key);
          return true;
        });
      }
      assert.throws(() => server.createTokenHandler({ apiKey: key, baseUrl: echoUrl, getUser: () => 'u' }), (err) => {
        assert.ok(isCode('invalid_options')(err));
        assertNoKey(`createTokenHandler ${JSON.stringify(key)}`, errorTexts(err), key);
        return true;
      });
    }
    assert.equal(echoRequests, sentBefore, 'no padded key reached the API');
  });

  test('HMAC and webhook keys follow the same rule', () => {
    for (const base of ['hmac_0123456789abcdef', 'whsec_0123456789abcdef']) {
      for (const key of [`${base}\n`, ` ${base}`, `${base}\t`, `\uFEFF${base}`, `${base}\u0000`]) {
        for (const call of [
          () => server.signUserId(key, 'user-1'),
          () => server.verifyWebhookSignature(key, 'body', 'a'.repeat(64)),
          () => server.createWebhookHandler({ signatureKey: key, onEvents() {} }),
        ]) {
          assert.throws(call, (err) => {
            assert.ok(isCode('invalid_options')(err), `${JSON.stringify(key)}: ${err.code} ${err.message}`);
            assert.match(err.message, /starts or ends with whitespace or a control character/);
            assertNoKey(JSON.stringify(key), errorTexts(err), key);
            return true;
          });
        }
      }
      assert.equal(typeof server.signUserId(base, 'u'), 'string');
      assert.equal(server.verifyWebhookSignature(base, 'body', 'a'.repeat(64)), false);
    }
  });

  test('matrix: a key the API quotes back (raw, JSON, percent-encoded, prefix, suffix) never reaches an error', async () => {
    for (const key of CLEAN) {
      for (const mode of Object.keys(ECHO)) {
        const label = `${JSON.stringify(key)} echoed ${mode}`;
        await assert.rejects(server.mintToken({ apiKey: key, baseUrl: `${echoUrl}/${mode}`, userId: 'u' }), (err) => {
          assert.ok(err instanceof SpikeError, label);
          assert.ok(['unauthorized', 'network_error'].includes(err.code), `${label}: ${err.code}`);
          if (err.code === 'unauthorized') {
            assert.equal(err.status, 401);
            assert.match(err.message, /unknown key/, 'the rest of the upstream text is kept for the developer');
          }
          assertNoKey(`mintToken ${label}`, errorTexts(err), key);
          return true;
        });
      }
    }
  });

  test('matrix: the token handler answers a fixed body and reports the redacted error to onError only', async () => {
    for (const key of CLEAN) {
      for (const mode of [...Object.keys(ECHO), 'internal']) {
        const label = `${JSON.stringify(key)} ${mode}`;
        const reported = [];
        const handler = server.createTokenHandler({ apiKey: key, baseUrl: `${echoUrl}/${mode}`, getUser: () => 'dave', onError: (e) => reported.push(e) });
        const res = await handler(new Request('http://127.0.0.1/api/spike-token'));
        assert.equal(res.status, 502, label);
        assert.equal(res.headers.get('cache-control'), 'no-store');
        const text = await res.text();
        assert.deepEqual(JSON.parse(text), { error: 'mint_failed', message: 'Could not get a token from Spike. Try again later.' }, label);
        assertNoKey(`handler body ${label}`, [text, ...res.headers.values()], key);
        assert.ok(!text.includes('hunter2') && !text.includes('unknown key'), 'no upstream text in the answer');
        assert.equal(reported.length, 1, `${label}: onError called once`);
        assert.ok(reported[0] instanceof SpikeError);
        assertNoKey(`onError ${label}`, errorTexts(reported[0]), key);
      }
    }
  });

  test('onError gets what getUser threw; a throwing or rejecting onError changes nothing', async () => {
    const reported = [];
    const boom = new Error('session store down');
    const failing = server.createTokenHandler({ apiKey: BASE, baseUrl: echoUrl, getUser: () => { throw boom; }, onError: (e) => reported.push(e) });
    const res = await failing(new Request('http://127.0.0.1/'));
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { error: 'get_user_failed', message: 'getUser threw or rejected' });
    assert.deepEqual(reported, [boom]);

    const garbage = server.createTokenHandler({ apiKey: BASE, baseUrl: echoUrl, getUser: () => 42, onError: (e) => reported.push(e) });
    assert.equal((await garbage(new Request('http://127.0.0.1/'))).status, 500);
    assert.ok(isCode('invalid_options')(reported[1]));

    let unhandled = 0;
    const onUnhandled = () => (unhandled += 1);
    process.on('unhandledRejection', onUnhandled);
    try {
      for (const onError of [() => { throw new Error('reporter down'); }, async () => { throw new Error('reporter down'); }]) {
        const handler = server.createTokenHandler({ apiKey: BASE, baseUrl: echoUrl, getUser: () => 'x', onError });
        const r = await handler(new Request('http://127.0.0.1/'));
        assert.equal(r.status, 502);
        assert.equal((await r.json()).error, 'mint_failed');
      }
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    assert.equal(unhandled, 0, 'no unhandled rejection from onError');
    assert.throws(() => server.createTokenHandler({ apiKey: BASE, getUser: () => 'x', onError: 'log' }), isCode('invalid_options'));
  });

  test('50 concurrent requests sharing one failed mint: 50 fixed answers, one onError', async () => {
    const reported = [];
    const handler = server.createTokenHandler({ apiKey: BASE, baseUrl: `${echoUrl}/raw`, getUser: () => 'erin', onError: (e) => reported.push(e) });
    const answers = await Promise.all(Array.from({ length: 50 }, () => handler(new Request('http://127.0.0.1/'))));
    assert.ok(answers.every((r) => r.status === 502));
    assert.equal(reported.length, 1);
  });
});

// --- redirects ---------------------------------------------------------------------------------

const DANGEROUS = ['javascript', 'vbscript', 'data', 'blob', 'file', 'about'];
const DISGUISES = ['', ' ', '\t', '\n', '\u0000', '\u001f', ' \r\n '];
const cases = (scheme) => [scheme, scheme.toUpperCase(), scheme[0].toUpperCase() + scheme.slice(1)];

describe('issue 18.2: dangerous redirect schemes', () => {
  test('the issue\'s three reports', () => {
    assert.equal(server.isAllowedRedirect('javascript://x/%0aalert(1)', ['javascript://']), false);
    assert.throws(() => server.buildRedirectUrl('javascript:alert(1)//{provider_slug}', { provider_slug: 'garmin' }), isCode('invalid_options'));
    for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd']) {
      assert.deepEqual(server.validateAppSettings({ maxBackfillDays: 30, defaultRedirectUrl: url }).map((p) => p.field), ['defaultRedirectUrl'], url);
    }
  });

  test('refused everywhere, in any case, behind leading whitespace or control characters', () => {
    for (const scheme of DANGEROUS) {
      for (const name of cases(scheme)) {
        const entry = `${name}://`;
        assert.equal(server.isAllowedRedirect(`${name}://x/%0aalert(1)`, [entry]), false, entry);
        assert.equal(server.isAllowedRedirect(`${name}:alert(1)`, [entry, 'app.example.com']), false, entry);
        const problems = server.validateAppSettings({ maxBackfillDays: 30, allowedRedirectDomains: ['app.example.com', entry] });
        assert.deepEqual(problems.map((p) => p.field), ['allowedRedirectDomains[1]'], entry);
        assert.match(problems[0].problem, /script-capable or local scheme/);
        for (const lead of DISGUISES) {
          const template = `${lead}${name}:alert(1)//{provider_slug}`;
          assert.throws(() => server.buildRedirectUrl(template, { provider_slug: 'p' }), isCode('invalid_options'), JSON.stringify(template));
          assert.deepEqual(server.validateAppSettings({ maxBackfillDays: 30, defaultRedirectUrl: template }).map((p) => p.field), ['defaultRedirectUrl'], JSON.stringify(template));
          assert.equal(server.isAllowedRedirect(`${lead}${name}://app.example.com/`, [entry, 'app.example.com']), false, JSON.stringify(template));
        }
      }
    }
    // A placeholder cannot smuggle a scheme in either.
    assert.throws(() => server.buildRedirectUrl('{application_user_id}:alert(1)//x', { application_user_id: 'javascript' }), isCode('invalid_options'));
    assert.throws(() => server.buildRedirectUrl('java\tscript:alert(1)//{provider_slug}', { provider_slug: 'p' }), isCode('invalid_options'));
  });

  test('https, http only for localhost and 127.0.0.1, and deep links are allowed', () => {
    for (const template of ['https://app.example.com/cb?u={application_user_id}', 'http://localhost:3000/cb?u={application_user_id}', 'http://127.0.0.1:8080/cb?u={application_user_id}', 'myapp://callback?u={application_user_id}']) {
      assert.equal(server.buildRedirectUrl(template, { application_user_id: 'u 1' }), template.replace('{application_user_id}', 'u%201'));
      assert.deepEqual(server.validateAppSettings({ maxBackfillDays: 30, defaultRedirectUrl: template, allowedRedirectDomains: ['app.example.com', 'myapp://'] }), [], template);
    }
    assert.throws(() => server.buildRedirectUrl('http://app.example.com/cb/{provider_slug}', { provider_slug: 'p' }), isCode('invalid_options'));
    assert.equal(server.isAllowedRedirect('myapp://callback', ['myapp://']), true);
    assert.equal(server.isAllowedRedirect('myapp://callback?user_id=1&provider_slug=garmin', ['myapp://callback']), true);
  });

  test('an entry without scheme or port admits https on the default port only (as the README says)', () => {
    const list = ['app.example.com', 'api.example.com:8443', 'localhost', 'localhost:3000', '*.example.org'];
    const expected = {
      'https://app.example.com/': true,
      'https://app.example.com:443/': true,
      'http://app.example.com/': false,
      'https://app.example.com:8443/': false,
      'http://app.example.com:8443/': false,
      'https://api.example.com:8443/': true,
      'https://api.example.com/': false,
      'http://api.example.com:8443/': false,
      'https://a.example.org/': true,
      'http://a.example.org/': false,
      'https://a.example.org:8443/': false,
      'http://localhost/': true,
      'http://localhost:3000/': true,
      'http://localhost:3001/': false,
    };
    for (const [url, ok] of Object.entries(expected)) assert.equal(server.isAllowedRedirect(url, list), ok, url);
  });
});

// --- token cache -------------------------------------------------------------------------------

describe('issue 18.3: the token cache follows the claims', () => {
  const API_KEY = 'sk_test_cache_key_0123456789';
  let emu;
  before(async () => {
    emu = await startEmulator({ apiKey: API_KEY, tokenTtlSeconds: 600 });
  });
  after(() => emu.close());

  const claims = async (res) => {
    assert.equal(res.status, 200);
    const { token } = await res.json();
    return JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));
  };

  test('a new name, email or scopes for the same user ID mints anew; the same claims reuse the token', async () => {
    let user = { id: 'ivy', name: 'Ivy', email: 'ivy@example.com', scopes: ['a'] };
    const handler = server.createTokenHandler({ apiKey: API_KEY, baseUrl: emu.url, getUser: () => user });
    const req = () => new Request('http://127.0.0.1/api/spike-token');
    const mints = emu.stats.mints;
    assert.equal((await claims(await handler(req()))).name, 'Ivy');
    assert.equal((await claims(await handler(req()))).name, 'Ivy');
    assert.equal(emu.stats.mints - mints, 1, 'same claims: cached');
    user = { ...user, name: 'Ivy Renamed' };
    assert.equal((await claims(await handler(req()))).name, 'Ivy Renamed');
    user = { ...user, email: 'ivy@new.example.com' };
    assert.equal((await claims(await handler(req()))).email, 'ivy@new.example.com');
    user = { ...user, scopes: ['a', 'b'] };
    assert.deepEqual((await claims(await handler(req()))).scopes, ['a', 'b']);
    user = { ...user, name: undefined };
    assert.equal((await claims(await handler(req()))).name, undefined);
    assert.equal(emu.stats.mints - mints, 5);
  });
});

// --- integration redirect ----------------------------------------------------------------------

describe('issue 18.4: parseIntegrationRedirect reads like URLSearchParams', () => {
  test('a stray % in the error text keeps user_id and provider_slug', () => {
    assert.deepEqual(server.parseIntegrationRedirect('https://app.example.com/done?user_id=u1&provider_slug=garmin&error=quota%20at%20100%'), {
      userId: 'u1', providerSlug: 'garmin', error: 'quota at 100%',
    });
  });

  test('agrees with URLSearchParams on stray, short and bad escapes', () => {
    for (const raw of ['%', '%zz', '%2', 'a%2', '100%25', '%%41', '%E2%82', '50%+off', '%C3%A9t%C3%A9', 'a+b%20c', '%g0']) {
      const url = `https://app.example.com/done?user_id=u&provider_slug=p&error=${raw}`;
      const expected = new URL(url).searchParams.get('error');
      assert.equal(server.parseIntegrationRedirect(url).error, expected, raw);
    }
    for (const raw of ['%', '%zz', '100%', '%2']) {
      const url = `/done?user_id=${raw}&provider_slug=${raw}`;
      const params = new URLSearchParams(url.split('?')[1]);
      assert.deepEqual(server.parseIntegrationRedirect(url), { userId: params.get('user_id'), providerSlug: params.get('provider_slug') }, raw);
    }
  });

  test('identifiers that are not UTF-8 once decoded are still refused (U+FFFD could merge two IDs)', () => {
    for (const url of ['?user_id=%C3&provider_slug=p', '?user_id=u&provider_slug=%FF', '?error=x&user_id=%E2%82']) {
      assert.throws(() => server.parseIntegrationRedirect(url), isCode('invalid_options'), url);
    }
  });
});
