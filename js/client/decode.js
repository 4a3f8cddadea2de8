// `decodeToken` for the client entries. wasm-bindgen's boundary costs a call more than the decoding
// itself (the token passed as a JS string, the result and its error slot handed back as JS values),
// so the token goes through a scratch area in the wasm's memory instead: written there as UTF-8,
// decoded in place by Rust (the same checks as `glue.decodeToken`), and its payload's JSON text read
// back and `JSON.parse`d here. Any token that does not decode there, and any value that is not a
// string, goes to `glue.decodeToken`, whose SpikeError says why.

export function tokenDecoder(glue) {
  // jsdom (Jest) has no TextEncoder/TextDecoder, and a polyfilled encoder may lack encodeInto or
  // refuse the options: the glue's path has its own fallbacks.
  let encoder;
  let decoder;
  try {
    encoder = new TextEncoder();
    decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  } catch {
    return glue.decodeToken; // none, or a polyfill that refuses the options
  }
  if (typeof encoder.encodeInto !== 'function') return glue.decodeToken;
  const memory = glue.__decodeMemory();
  let bytes = new Uint8Array(0);
  let at = 0;
  let room = 0;
  return function decodeToken(token) {
    if (typeof token === 'string') {
      // Room for this many UTF-16 units as ASCII (a JWT's characters). A token that needs more
      // bytes is not base64url anyway: encodeInto stops at the end of the room (`read` falls
      // short, and only the whole token may be decoded), and the glue's path says what is wrong.
      // Rust gives no room (0) for a token over its length limit.
      if (token.length > room) {
        at = glue.__decodeScratch(token.length);
        room = at === 0 ? 0 : token.length;
      }
      // A view of a buffer the memory has grown past is detached, and reads as empty.
      if (bytes.byteLength === 0) bytes = new Uint8Array(memory.buffer);
      const { read, written } = encoder.encodeInto(token, bytes.subarray(at, at + room));
      // Decoding in place allocates nothing, so `bytes` still views the memory afterwards.
      const length = read === token.length && room > 0 ? glue.__decodeInPlace(written) : -1;
      if (length >= 0) {
        try {
          return JSON.parse(decoder.decode(bytes.subarray(at + written, at + written + length)));
        } catch {
          // Rust has checked the JSON grammar; were JSON.parse ever to disagree, its SyntaxError
          // (which quotes the payload) must not reach the caller: the glue's path words the error.
        }
      }
    }
    return glue.decodeToken(token);
  };
}
