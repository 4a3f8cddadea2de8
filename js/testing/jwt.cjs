'use strict';
// RS256 signing and checking for the emulator, with node:crypto. The emulator plays the Spike
// API, so it verifies tokens the way the API does and answers with the documented error codes.
const crypto = require('node:crypto');

const b64url = (buf) => Buffer.from(buf).toString('base64url');

function createKeyPair() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 16);
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return { publicKey, privateKey, kid, jwk };
}

function sign(keys, payload) {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: keys.kid }));
  const body = b64url(JSON.stringify(payload));
  const signature = crypto.sign('sha256', Buffer.from(`${header}.${body}`), keys.privateKey);
  return `${header}.${body}.${b64url(signature)}`;
}

function parseSegment(segment) {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return null;
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * Checks a bearer token like the Spike API: returns { claims } or { error, message } with one of
 * the documented 401 codes. `isRevoked(claims)` lets the emulator expire tokens on demand.
 */
function verify(keys, { issuer, authorization, nowSeconds, isRevoked }) {
  const match = /^Bearer ([^\s]+)$/.exec(authorization ?? '');
  if (!match) return { error: 'unauthorized', message: 'Missing or malformed Authorization header' };
  const parts = match[1].split('.');
  const header = parts.length === 3 ? parseSegment(parts[0]) : null;
  const claims = header ? parseSegment(parts[1]) : null;
  if (!header || !claims || header.alg !== 'RS256') return { error: 'invalid_token', message: 'Malformed token' };
  const signature = Buffer.from(parts[2], 'base64url');
  if (!crypto.verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), keys.publicKey, signature)) {
    return { error: 'invalid_signature', message: 'Token signature does not verify' };
  }
  if (claims.iss !== issuer) return { error: 'invalid_issuer', message: 'Token was not issued by this API' };
  const missing = ['tenant_id', 'user_id', 'sub'].find((c) => typeof claims[c] !== 'string' || !claims[c]);
  if (missing) return { error: 'invalid_token', message: `Token is missing the ${missing} claim` };
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') {
    return { error: 'invalid_token', message: 'Token has no numeric exp/iat' };
  }
  if (claims.exp <= nowSeconds || isRevoked(claims)) return { error: 'token_expired', message: 'Token has expired' };
  return { claims };
}

module.exports = { createKeyPair, sign, verify };
