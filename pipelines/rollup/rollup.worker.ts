import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../server/src/config/config.js';
import { redisConnection } from './redis.js';
import { dateTime64 } from '../../server/src/warehouse/warehouse.js';
import { RollupReconciler } from './reconcile.js';
import { RollupService } from './rollup.service.js';
import { ROLLUP_QUEUE, type RollupJob, type RollupResult } from './rollup.types.js';

/** The periodic reconciliation looks this far back; the one at start looks at everything. */
const RECENT_MS = 24 * 3600_000;

/** Runs roll-up jobs. In embedded mode it lives in the API process (chDB allows one process per data directory). */
@Injectable()
export class RollupWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RollupWorker.name);
  private worker?: Worker<RollupJob, RollupResult>;
  private connection?: Redis;
  private timer?: NodeJS.Timeout;
  /** Seconds the oldest stale slice has waited, at the last reconciliation (a metric). */
  lagSeconds = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rollups: RollupService,
    private readonly reconciler: RollupReconciler,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.worker) return;
    this.connection = redisConnection(this.config.redisUrl, 'worker');
    this.worker = new Worker<RollupJob, RollupResult>(ROLLUP_QUEUE, (job) => this.rollups.recompute(job.data.slices), {
      connection: this.connection,
      prefix: this.config.queuePrefix,
      concurrency: this.config.workerConcurrency,
    });
    // Everything at start (whatever Redis lost while no worker ran), then the last day's marks every interval.
    void this.reconcile();
    this.timer = setInterval(() => void this.reconcile(dateTime64(Date.now() - RECENT_MS)), this.config.reconcileSeconds * 1000);
    this.worker.on('failed', (job, error) => this.logger.warn(`Roll-up ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`));
    this.worker.on('error', (error) => this.logger.error(`Roll-up worker: ${error.message}`));
  }

  private async reconcile(since?: string): Promise<void> {
    try {
      const { stale, lagSeconds } = await this.reconciler.reconcile(since);
      this.lagSeconds = lagSeconds;
      if (stale) this.logger.warn(`Reconciliation re-queued ${stale} (school, date) slices whose marks were newer than their roll-ups`);
    } catch (error) {
      this.logger.warn(`Reconciliation failed (next in ${this.config.reconcileSeconds} s): ${(error as Error).message}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    // Waits for the running jobs to finish; a job cut short is retried (stalled) by the next worker.
    await this.worker?.close();
    this.connection?.disconnect();
  }
}
