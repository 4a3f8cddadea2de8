// spike-cases.js is plain ESM with no imports, and Jest runs this project as CommonJS (no Babel
// config, no --experimental-vm-modules), so it is evaluated here as a function body with its
// `export` keywords dropped. Indirect eval runs it in the test environment's own globals (as the
// test itself runs), and keeps its line numbers in stacks.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const source = readFileSync(join(__dirname, 'spike-cases.js'), 'utf8').replace(/^export /gm, '');
const wrapped = `(function () {${source}\nreturn { clientCases, serverCases, runCases, reportLine, envFromProcess };\n})\n//# sourceURL=spike-cases.js`;
module.exports = (0, eval)(wrapped)();
