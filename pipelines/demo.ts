// `npm start`: the server with simulated schools (SIMULATOR=on) posting their registers through its API, as real
// feeds would. A production server never carries the simulator: it starts from server/src/main.ts.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ownTokenSeconds, signToken } from '../server/src/auth/principal.js';
import { loadConfig } from '../server/src/config/config.js';
import { serve } from '../server/src/server.js';
import { startSimulator, type Simulator } from './simulator/simulator.js';

const config = loadConfig();
let simulator: Simulator | undefined;
const { url } = await serve(config, async () => simulator?.stop());
if (config.simulator.enabled) {
  const logger = new Logger('Simulator');
  simulator = startSimulator({
    baseUrl: url,
    tokenFor: (role, scope) => {
      const principal = { sub: `simulator-${role}`, role, scope: scope === '*' ? ('*' as const) : [scope] };
      return signToken(principal, config.jwtSecret, ownTokenSeconds(config));
    },
    scale: config.simulator.scale,
    speed: config.simulator.speed,
    historyDays: config.simulator.historyDays,
    calendar: config.termCalendar,
    log: (message) => logger.log(message),
  });
}
