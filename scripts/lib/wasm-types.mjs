// The function signatures a wasm declares, read from its sections: what V8 compiles wrappers for
// (tests/js/cold-start.test.mjs checks them; bench/cold-floor.mjs rebuilds a wasm with ours).

/**
 * `{ imports, exports }` of a wasm's functions: each import `{ module, name, type }`, each export
 * `{ name, type }`, where `type` is `{ params, results }`, arrays of value-type bytes (0x7f i32,
 * 0x6f externref, ...).
 */
export function wasmFunctionTypes(bytes) {
  let p = 8;
  const u = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[p++];
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return result >>> 0;
  };
  const text = () => {
    const length = u();
    p += length;
    return Buffer.from(bytes.subarray(p - length, p)).toString();
  };
  const valueTypes = () => {
    const length = u();
    p += length;
    return [...bytes.subarray(p - length, p)];
  };
  const types = [];
  const functions = [];
  const imports = [];
  const exports = [];
  while (p < bytes.length) {
    const id = bytes[p++];
    const end = u() + p;
    if (id === 1) {
      for (let n = u(); n > 0; n -= 1) {
        p += 1; // 0x60, a function type
        const params = valueTypes();
        const results = valueTypes();
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = u(); n > 0; n -= 1) {
        const module = text();
        const name = text();
        const kind = bytes[p++];
        if (kind === 0) {
          const type = types[u()];
          functions.push(type);
          imports.push({ module, name, type });
        } else if (kind === 1 || kind === 2) {
          if (kind === 1) p += 1; // the table's element type
          const flags = bytes[p++];
          u();
          if (flags & 1) u();
        } else p += 2; // a global
      }
    } else if (id === 3) {
      for (let n = u(); n > 0; n -= 1) functions.push(types[u()]);
    } else if (id === 7) {
      for (let n = u(); n > 0; n -= 1) {
        const name = text();
        const kind = bytes[p++];
        const index = u();
        if (kind === 0) exports.push({ name, type: functions[index] });
      }
    }
    p = end;
  }
  return { imports, exports };
}
