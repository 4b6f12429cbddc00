// A roll-up worker on its own: `npm run worker`. Needs CLICKHOUSE_URL (chDB allows one process per data directory,
// so in embedded mode the worker runs inside the API process instead).
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from './app.module.js';
import { loadConfig } from './config/config.js';

const config = loadConfig();
if (!config.clickhouseUrl) {
  console.error(
    'npm run worker needs CLICKHOUSE_URL: with the embedded engine the workers run inside `npm run serve`.',
  );
  process.exit(2);
}
const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ ...config, worker: true }));
new Logger('Worker').log('Roll-up worker running');
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
