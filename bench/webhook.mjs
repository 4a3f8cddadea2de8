// Row 4: verifyWebhookSignature against the hand-written node:crypto check and @noble/hashes,
// on 1 KiB and 64 KiB bodies (Buffers, as a raw request body arrives).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { verifyWebhookSignature } from '../build/package/dist/server.node.mjs';
import { compareSync } from './lib/measure.mjs';

const KEY = 'whsec_bench_0123456789abcdef';

function nodeCrypto(body, header) {
  const expected = createHmac('sha256', KEY).update(body).digest();
  const given = Buffer.from(header, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const keyBytes = new TextEncoder().encode(KEY);
function noble(body, header) {
  const expected = hmac(sha256, keyBytes, body);
  const given = Buffer.from(header, 'hex');
  if (given.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < given.length; i += 1) diff |= given[i] ^ expected[i];
  return diff === 0;
}

export async function webhookRows({ smoke }) {
  const rows = [];
  for (const kib of [1, 64]) {
    const body = Buffer.alloc(kib * 1024, `{"application_user_id":"u","event_type":"record_change"},`);
    const header = createHmac('sha256', KEY).update(body).digest('hex');
    for (const f of [(b, h) => verifyWebhookSignature(KEY, b, h), nodeCrypto, noble]) {
      if (f(body, header) !== true || f(body, header.replace(/^./, header[0] === '0' ? '1' : '0')) !== false) {
        throw new Error('a webhook contender does not verify correctly');
      }
    }
    const ns = await compareSync(
      { sdk: () => verifyWebhookSignature(KEY, body, header), 'node:crypto': () => nodeCrypto(body, header), '@noble/hashes': () => noble(body, header) },
      { rounds: smoke ? 2 : 10, sliceMs: smoke ? 10 : 200 },
    );
    const { sdk, ...peers } = Object.fromEntries(Object.entries(ns).map(([k, v]) => [k, v / 1000]));
    const ratio = sdk / peers['node:crypto'];
    rows.push({
      id: kib === 1 ? '4a' : '4b', measure: `verifyWebhookSignature, ${kib} KiB body, time per call`, unit: 'us', sdk, peers,
      show: (x) => `${x.toFixed(1)} us`, ratio, ratioOf: 'node:crypto', goal: '<= 1.5x', met: ratio <= 1.5,
    });
  }
  return rows;
}
