// The shared SpikeClient cases in headless Chromium: the page is served by the harness (so a
// tokenEndpoint path resolves against it) and calls the emulator cross-origin.
import { testHarnessPage } from './harness-page.mjs';

testHarnessPage({ page: 'cases.html?suite=client', what: 'SpikeClient', atLeast: 20 });
