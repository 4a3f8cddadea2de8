// The input-table cases (tests/cases/inputs.js, issue 19 item 1) in headless Chromium: the page is
// served by the harness, whose /echo reports what Chromium's fetch sent; the emulator is cross-origin.
import { testHarnessPage } from './harness-page.mjs';

testHarnessPage({ page: 'cases.html?suite=inputs', what: 'body and headers input', atLeast: 40 });
