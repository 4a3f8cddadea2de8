// The typed boundary between the Rust core and the JS driver (ARCHITECTURE.md): every decision
// crosses as a named value of a wasm-bindgen enum. The driver lists the names it handles
// (`STEPS` in js/client/driver.js); these tests fail if the built glue's enums and that list
// differ in either direction, or if the driver does not read exactly that list (each name once,
// in one destructuring per enum, each one used), so a variant added on one side is a failure
// until the driver handles it. (A value the driver does not know still throws at run time.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url);
const glue = await import(new URL('build/gen/client-glue.js', root));
const { STEPS } = await import(new URL('build/package/dist/driver.mjs', root));

/** A wasm-bindgen enum: a frozen object mapping names to numbers and numbers back to names. */
const isEnum = (value) =>
  value !== null && typeof value === 'object' && Object.isFrozen(value) && Object.entries(value).some(([k, v]) => typeof v === 'number' && value[v] === k);
const names = (value) => Object.keys(value).filter((key) => typeof value[key] === 'number');

test('every enum the core exports is one the driver handles, name for name', () => {
  const exported = Object.keys(glue).filter((key) => isEnum(glue[key]));
  assert.deepEqual(exported.sort(), Object.keys(STEPS).sort(), 'enums in the glue vs STEPS');
  for (const name of exported) {
    assert.deepEqual(names(glue[name]).sort(), [...STEPS[name]].sort(), `${name}: the core's names vs the driver's`);
    const values = names(glue[name]).map((n) => glue[name][n]);
    assert.equal(new Set(values).size, values.length, `${name}: every name has its own value`);
  }
});

test('the driver reads every name of STEPS, no other, and uses each one it reads', () => {
  const driver = readFileSync(new URL('js/client/driver.js', root), 'utf8');
  const reads = [...driver.matchAll(/const \{([^}]*)\} = core\.(\w+);/g)];
  assert.deepEqual(reads.map(([, , name]) => name).sort(), Object.keys(STEPS).sort(), 'one destructuring per enum');
  for (const [, fields, name] of reads) {
    const pairs = fields.split(',').map((f) => f.split(':').map((x) => x.trim()));
    assert.deepEqual(pairs.map(([field]) => field).sort(), [...STEPS[name]].sort(), `the driver reads every name of ${name}, and only those`);
    for (const [field, local = field] of pairs) {
      const uses = driver.match(new RegExp(`\\b${local}\\b`, 'g')) ?? [];
      assert.ok(uses.length >= 2, `${name}.${field} (${local}) is read but never used`);
    }
  }
  // No other way in: a member read such as core.TokenStep.Backoff would slip past the list.
  const members = [...driver.matchAll(/\b(TokenStep|AttemptStep|RefreshEnd)\s*(\.|\[)/g)];
  assert.deepEqual(members.map((m) => m[0]), [], 'enum values are read only through the destructurings');
  const api = readFileSync(new URL('js/client/api.js', root), 'utf8');
  for (const name of Object.keys(STEPS)) assert.match(api, new RegExp(`\\b${name}\\b`), `js/client/api.js hands the driver ${name}`);
  const glueExports = readFileSync(new URL('js/client/glue.js', root), 'utf8');
  for (const name of Object.keys(STEPS)) assert.match(glueExports, new RegExp(`\\b${name}\\b`), `js/client/glue.js exports ${name}`);
});
