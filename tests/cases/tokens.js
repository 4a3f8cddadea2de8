// Public test vectors from jwt-decode's suite (auth0/jwt-decode, lib/index.test.ts), plus
// hand-made malformed tokens. Shared by the Node, browser and packaging tests.

export const VECTORS = {
  basic: {
    token:
      'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJmb28iOiJiYXIiLCJleHAiOjEzOTMyODY4OTMsImlhdCI6MTM5MzI2ODg5M30.4-iaDojEVl0pJQMjrbM1EzUIfAZgsbK_kgnVyVxFSVo',
    claims: { foo: 'bar', exp: 1393286893, iat: 1393268893 },
  },
  utf8: {
    token:
      'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiSm9zw6kiLCJpYXQiOjE0MjU2NDQ5NjZ9.1CfFtdGUPs6q8kT3OGQSVlhEMdbuX0HfNSqum0023a0',
    claims: { name: 'José', iat: 1425644966 },
  },
  doublePadding: {
    token:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ikpvc8OpIiwiaWF0IjoxNTE2MjM5MDIyfQ.7A3F5SUH2gbBSYVon5mas_Y-KCrWojorKQg7UKGVEIA',
    claims: { sub: '1234567890', name: 'José', iat: 1516239022 },
  },
  singlePadding: {
    token:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ikpvc8OpZSIsImlhdCI6MTUxNjIzOTAyMn0.tbjJzDAylkKSV0_YGR5xBJBlFK01C82nZPLIcA3JX1g',
    claims: { sub: '1234567890', name: 'Josée', iat: 1516239022 },
  },
};

export function b64url(text) {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}

/** Builds an unsigned-looking token from a header and payload object (or raw JSON text). */
export function makeToken(payload, header = { alg: 'RS256', typ: 'JWT' }) {
  const text = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
  return `${b64url(text(header))}.${b64url(text(payload))}.c2lnbmF0dXJl`;
}

/** A Spike-shaped token with every documented claim, a Unicode name and a custom claim. */
export function spikeToken({ exp = Math.floor(Date.now() / 1000) + 3600 } = {}) {
  return makeToken({
    iss: 'https://api.spikelabs.com',
    sub: 'tenant-1:user-42',
    tenant_id: 'tenant-1',
    user_id: 'user-42',
    name: 'Zoë 日本 🚀',
    email: 'zoe@example.com',
    scopes: ['workspaces:read', 'workspaces:write'],
    iat: exp - 3600,
    exp,
    plan: { tier: 'md', seats: 3 },
  });
}

/** [description, input] pairs that must all throw SpikeError('invalid_token'). */
export function malformedInputs() {
  return [
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { token: 'x' }],
    ['an array', ['a', 'b', 'c']],
    ['a boolean', true],
    ['the empty string', ''],
    ['one part', 'fubar'],
    ['two parts', 'FAKE.TOKEN2'],
    ['four parts', 'a.b.c.d'],
    ['missing header', '.eyJhIjoxfQ.sig'],
    ['missing payload', 'eyJhbGciOiJub25lIn0..sig'],
    ['bad base64 payload', 'eyJhbGciOiJub25lIn0.$$$.sig'],
    ['bad base64 length', 'eyJhbGciOiJub25lIn0.eyJhIjoxfQx.sig'],
    ['bad JSON payload', makeToken('{"a":')],
    ['payload JSON array', makeToken('[1,2,3]')],
    ['payload JSON string', makeToken('"hello"')],
    ['payload JSON null', makeToken('null')],
    ['header not JSON', `${b64url('nope')}.${b64url('{}')}.sig`],
    ['exp not a number', makeToken({ exp: 'tomorrow' })],
    ['invalid UTF-8 (Latin-1 payload)', `${b64url('{}')}.eyJuYW1lIjoiSm9z6SIsImlhdCI6MTQyNTY0NDk2Nn0.sig`],
    ['huge input (1 MiB)', makeToken({ pad: 'x'.repeat(1 << 20) })],
    ['one byte over the 65536-byte limit', `${b64url('{}')}.${b64url('{}')}.`.padEnd(65537, 's')],
    ['non-ASCII characters', `${b64url('{}')}.é${b64url('{}')}.sig`],
    ['a lone surrogate', `${b64url('{}')}.${b64url('{}')}\ud800.sig`],
    ['a long token of multi-byte characters', `${b64url('{}')}.${'€'.repeat(30000)}.sig`],
    ['a fourth part after multi-byte characters', `${b64url('{}')}.${b64url('{}')}.${'é'.repeat(2000)}.x`],
    ['65,536 characters, more bytes', `${b64url('{}')}.${b64url('{}')}.`.padEnd(65535, 's') + 'é'],
  ];
}
