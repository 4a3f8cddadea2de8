// Reading a wasm binary: its sections (`npm run size`, the build's target-features edit) and the
// function signatures it declares, which V8 compiles wrappers for (tests/js/cold-start.test.mjs
// checks them; bench/cold-floor.mjs rebuilds a wasm with ours).

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'elem', 'code', 'data', 'datacount'];

/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
export function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

/** A name (LEB128 length + UTF-8) at `at`: [text, next offset]. */
export function readName(bytes, at) {
  const [length, start] = leb(bytes, at);
  return [new TextDecoder().decode(bytes.subarray(start, start + length)), start + length];
}

/**
 * The sections of a wasm binary: { id, name, start, end } (custom sections by their own name, as
 * `custom "name"`; `start` is where the section's content, that name included, begins).
 */
export function wasmSections(bytes) {
  const sections = [];
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    const end = start + size;
    const name = id === 0 ? `custom "${readName(bytes, start)[0]}"` : (SECTION_NAMES[id] ?? `section ${id}`);
    sections.push({ id, name, start, end });
    at = end;
  }
  return sections;
}

/**
 * `{ imports, exports }` of a wasm's functions: each import `{ module, name, type }`, each export
 * `{ name, type }`, where `type` is `{ params, results }`, arrays of value-type bytes (0x7f i32,
 * 0x6f externref, ...).
 */
export function wasmFunctionTypes(bytes) {
  const types = [];
  const functions = [];
  const imports = [];
  const exports = [];
  for (const { id, start } of wasmSections(bytes)) {
    let [count, p] = leb(bytes, start);
    const u = () => {
      let value;
      [value, p] = leb(bytes, p);
      return value;
    };
    const text = () => {
      let value;
      [value, p] = readName(bytes, p);
      return value;
    };
    const valueTypes = () => {
      const length = u();
      p += length;
      return [...bytes.subarray(p - length, p)];
    };
    if (id === 1) {
      for (; count > 0; count -= 1) {
        p += 1; // 0x60, a function type
        const params = valueTypes();
        const results = valueTypes();
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (; count > 0; count -= 1) {
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
        } else if (kind === 3) p += 2; // a global
        else {
          p += 1; // a tag: its attribute, then its type
          u();
        }
      }
    } else if (id === 3) {
      for (; count > 0; count -= 1) functions.push(types[u()]);
    } else if (id === 7) {
      for (; count > 0; count -= 1) {
        const name = text();
        const kind = bytes[p++];
        const index = u();
        if (kind === 0) exports.push({ name, type: functions[index] });
      }
    }
  }
  return { imports, exports };
}
