// Imports the browser entry under the page's CSP and reports what decodeToken did.
import { decodeToken, SpikeError } from '/build/package/dist/index.mjs';

const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJmb28iOiJiYXIiLCJleHAiOjEzOTMyODY4OTMsImlhdCI6MTM5MzI2ODg5M30.4-iaDojEVl0pJQMjrbM1EzUIfAZgsbK_kgnVyVxFSVo';
let result;
try {
  result = { ok: true, claims: decodeToken(token) };
} catch (err) {
  result = { ok: false, spikeError: err instanceof SpikeError, code: err.code, message: err.message };
}
window.__results = [result];
