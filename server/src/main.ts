// The API server (`npm run serve`; with WORKER=on, the default, the roll-up workers run in it too). The demo, with
// simulated schools, starts from pipelines/demo.ts (`npm start`).
import 'reflect-metadata';
import { loadConfig } from './config/config.js';
import { serve } from './server.js';

const config = loadConfig();
if (config.simulator.enabled) {
  console.error(
    'SIMULATOR=on: the simulated schools run with `npm start` (node dist/pipelines/demo.js), never in the server itself.',
  );
  process.exit(2);
}
await serve(config);
