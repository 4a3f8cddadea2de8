'use client';
// Client component: imports @spike/sdk at the top (so Next also loads it when it renders this
// component on the server), runs the client cases in the browser after hydration and publishes
// them, with the server component's result, as window.__results.
import { useEffect, useState } from 'react';
import * as sdk from '@spike/sdk';
import { clientCases, runCases } from '../spike-cases.js';

// Once per page load: React may run an effect twice (Strict Mode in `next dev`), and the client
// cases count the emulator's two token_expired answers, so a second run would miscount.
let run;

export default function ClientChecks({ env, serverResult }) {
  const [status, setStatus] = useState('running');
  useEffect(() => {
    run ??= runCases(clientCases(sdk, env)).then((results) => {
      window.__results = [...results, serverResult];
      return results;
    });
    run.then((results) => setStatus(results.every((r) => r.ok) && serverResult.ok ? 'passed' : 'failed'));
  }, [env, serverResult]);
  return <p id="client-status">client cases: {status}</p>;
}
