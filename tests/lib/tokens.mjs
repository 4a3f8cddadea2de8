// Tokens for tests that run without the emulator, what a token says, and a token's fingerprint as
// the client and the token handler compute it. The client decodes tokens but never verifies them
// (the API does), so these carry a placeholder signature: no RSA key to generate at import.
import { makeToken } from '../cases/tokens.js';

/** A JWT issued at `atMs` (a clock's ms), living `life` seconds, for `user`. */
export const tokenAt = (atMs, { life = 3600, user = 'user-42' } = {}) => {
  const iat = Math.floor(atMs / 1000);
  return makeToken({ iss: 'https://api.test', sub: `tenant-1:${user}`, tenant_id: 'tenant-1', user_id: user, iat, exp: iat + life });
};

/** The `user_id` claim of a token (or of `Bearer <token>`). */
export const userOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url')).user_id;

/** FNV-1a 64 of the token, 16 hex digits: how a forced refresh names the refused token (src/common/fingerprint.rs). */
export const fingerprint = (token) => {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(token)) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return hash.toString(16).padStart(16, '0');
};
