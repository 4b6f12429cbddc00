import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { redisConnection } from './redis.js';
import { ROLLUP_QUEUE, type RollupJob } from './rollup.types.js';

/** Where the ingest path hands over the slices to recompute. Redis holds only this recomputable work. */
@Injectable()
export class RollupQueue implements OnModuleDestroy {
  private readonly connection: Redis;
  readonly queue: Queue<RollupJob>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connection = redisConnection(config.redisUrl, 'queue');
    this.queue = new Queue<RollupJob>(ROLLUP_QUEUE, {
      connection: this.connection,
      prefix: config.queuePrefix,
      defaultJobOptions: {
        attempts: 8,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 10000 },
      },
    });
  }

  /**
   * jobId: a submission's id (a file sent again queues its slices again), or a reconciliation's (repeats collapse while
   * the job waits or runs; `removeOnComplete: true` lets the same id be queued again once it is done).
   */
  async enqueue(
    slices: RollupJob['slices'],
    jobId: string,
    options: Pick<JobsOptions, 'removeOnComplete'> = {},
  ): Promise<void> {
    await this.queue.add('recompute', { slices }, { jobId, ...options });
  }

  /**
   * When the oldest job still waiting or taken by a worker was queued (ms since the epoch), if any. A worker that died
   * leaves its jobs taken until BullMQ finds them stalled (within about a minute) and queues them again.
   */
  async oldestPending(): Promise<number | undefined> {
    const jobs = await this.queue.getJobs(['active', 'waiting', 'prioritized', 'delayed'], 0, 0, true);
    const times = jobs.filter(Boolean).map((job) => job.timestamp);
    return times.length ? Math.min(...times) : undefined;
  }

  async ping(): Promise<boolean> {
    return (await this.connection.ping()) === 'PONG';
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
