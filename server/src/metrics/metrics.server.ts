// Prometheus scrapes /metrics on its own port (METRICS_PORT), never the public one: the numbers are counts and
// timings only, but they tell anyone how busy the service is and which routes fail. A port of its own keeps the
// scraper free of tokens (an admin token would have to be renewed every JWT_MAX_LIFETIME_HOURS, and would let the
// monitoring system read the audit log); the network decides who reaches it.
import { createServer, type Server } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { applyServerTimeouts } from '../common/request-timeouts.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Metrics } from './metrics.js';

@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.metricsPort === undefined) return;
    const { registry } = this.metrics;
    const server = createServer((request, response) => {
      const answer = (status: number, type: string, body: string) =>
        response.writeHead(status, { 'content-type': type }).end(body);
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        return answer(404, 'text/plain', 'Only GET /metrics is served on this port');
      }
      registry.metrics().then(
        (body) => answer(200, registry.contentType, body),
        (error: Error) => answer(500, 'text/plain', `The metrics could not be collected: ${error.message}`),
      );
    });
    applyServerTimeouts(server, this.config);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.metricsPort, this.config.host, resolve);
    });
    this.server = server;
    const { port } = server.address() as { port: number };
    this.logger.log(`Metrics: http://${this.config.host}:${port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    // A scraper keeps its connection alive: close it too, or close() would wait for it.
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
