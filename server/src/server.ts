import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { BOARD_PATH, queueBoard } from './auth/queue-board.js';
import { RollupQueue } from './rollup/rollup.queue.js';
import { components } from './common/api-docs.js';
import { applyServerTimeouts, bodyDeadline } from './common/request-timeouts.js';
import type { AppConfig } from './config/config.js';
import { Metrics } from './metrics/metrics.js';
import { SchoolsRepository } from './reference/schools.repository.js';

const CLIENT_DIR = join(process.cwd(), 'client/dist');
const SHUTDOWN_TIMEOUT_MS = 15_000;

async function bootstrap(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: config.logFormat === 'json',
  });
  if (config.logFormat === 'json') app.useLogger(app.get(PinoLogger));
  applyServerTimeouts(app.getHttpServer(), config);
  // Before the body parsers, which would otherwise wait for a trickling body as long as it takes.
  app.use(bodyDeadline(config));
  app.useBodyParser('json', { limit: '100kb' });
  app.useBodyParser('urlencoded', { limit: '100kb', extended: false });
  // The dashboard is served from the same origin; other origins only if configured (CORS_ORIGINS).
  app.enableCors({ origin: config.corsOrigins.length ? config.corsOrigins : false });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'", 'ws:', 'wss:'],
        },
      },
    }),
  );
  const metrics = app.get(Metrics);
  app.use((request: Request, response: Response, next: NextFunction) => {
    const end = metrics.http.startTimer({ method: request.method });
    // The route pattern (/api/v1/schools/:urn/pupils), never the path itself: bounded labels, no URNs in metrics.
    response.on('finish', () =>
      end({
        route: request.route?.path ? `${request.baseUrl}${request.route.path}` : 'other',
        status: String(response.statusCode),
      }),
    );
    next();
  });
  app.use(BOARD_PATH, ...queueBoard(app.get(RollupQueue).queue, config));
  const openApi = new DocumentBuilder()
    .setTitle('School attendance, live')
    .setDescription('Registers in, DfE attendance measures out: national, regional, LA and school, seconds old.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => {
    const document = SwaggerModule.createDocument(app, openApi);
    document.components = { ...document.components, schemas: { ...document.components?.schemas, ...components() } };
    return document;
  });
  if (existsSync(CLIENT_DIR)) {
    // Vite emits every file the page loads under assets/: only those paths look on disk (an API request would
    // otherwise cost a file-system look-up first).
    app.useStaticAssets(join(CLIENT_DIR, 'assets'), { prefix: '/assets', index: false });
    // The dashboard is a single-page app: any other GET that wants HTML gets its index.
    app.use((request: Request, response: Response, next: NextFunction) => {
      if (
        request.method !== 'GET' ||
        /^\/(api|socket\.io|metrics|admin)(\/|$)/.test(request.path) ||
        !request.accepts('html')
      )
        return next();
      response.sendFile(join(CLIENT_DIR, 'index.html'));
    });
  }
  await app.get(SchoolsRepository).loadLocalAuthorities();
  await app.listen(config.port, config.host);
  return app;
}

/** A running server. */
export interface Served {
  app: NestExpressApplication;
  /** Its origin, e.g. http://127.0.0.1:3000. */
  url: string;
}

/**
 * Starts the API (and, with WORKER=on, the roll-up workers), and stops it gracefully on SIGINT or SIGTERM: stop taking
 * requests, let in-flight inserts and running roll-ups finish, close Redis and ClickHouse. If that cannot finish
 * (Redis gone, say), it leaves anyway: whatever was cut short is recomputed by the reconciliation. `beforeStop` runs
 * first (the demo's simulator).
 */
export async function serve(config: AppConfig, beforeStop?: () => Promise<void>): Promise<Served> {
  const app = await bootstrap(config);
  const url = `http://${config.host}:${(app.getHttpServer().address() as { port: number }).port}`;
  const logger = new Logger('Main');
  logger.log(`Dashboard: ${url}   API description: ${url}/api/docs`);
  const stop = async () => {
    setTimeout(() => {
      logger.warn(`Shutdown took over ${SHUTDOWN_TIMEOUT_MS / 1000} s: leaving now`);
      // Not exit(): leaving normally waits for the embedded engine's statements under way, however long they take.
      process.kill(process.pid, 'SIGKILL');
    }, SHUTDOWN_TIMEOUT_MS).unref();
    await beforeStop?.();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return { app, url };
}
