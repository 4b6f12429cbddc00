import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../server/src/config/config.js';
import { redisConnection } from './redis.js';
import { RollupService } from './rollup.service.js';
import { ROLLUP_QUEUE, type RollupJob, type RollupResult } from './rollup.types.js';

/** Runs roll-up jobs. In embedded mode it lives in the API process (chDB allows one process per data directory). */
@Injectable()
export class RollupWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RollupWorker.name);
  private worker?: Worker<RollupJob, RollupResult>;
  private connection?: Redis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rollups: RollupService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.worker) return;
    this.connection = redisConnection(this.config.redisUrl, 'worker');
    this.worker = new Worker<RollupJob, RollupResult>(ROLLUP_QUEUE, (job) => this.rollups.recompute(job.data.slices), {
      connection: this.connection,
      prefix: this.config.queuePrefix,
      concurrency: 1,
    });
    this.worker.on('failed', (job, error) => this.logger.warn(`Roll-up ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`));
    this.worker.on('error', (error) => this.logger.error(`Roll-up worker: ${error.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    this.connection?.disconnect();
  }
}
