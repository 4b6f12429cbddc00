import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { takeFirst } from '../common/batcher.js';
import { redisConnection } from './redis.js';
import { EngineRepository } from '../warehouse/engine.repository.js';
import { dateTime64 } from '../warehouse/warehouse.js';
import { RollupReconciler } from './reconcile.js';
import { STAGES, type Stage } from './catalogue.js';
import { MAX_PAIRS, RollupService } from './rollup.service.js';
import { ROLLUP_QUEUE, type RollupJob, type RollupResult } from './rollup.types.js';

/** The periodic reconciliation looks this far back; the one at start looks at everything. */
const RECENT_MS = 24 * 3600_000;
/** Slices of a daily batch at most (a reconciliation's jobs hold 500 each): a day's slices are its pairs (MAX_PAIRS). */
const MAX_SLICES = MAX_PAIRS;
/**
 * While daily roll-ups wait, breakdowns, months and the longer periods' enrolment counts are recomputed at most this
 * often.
 */
const PERIODS_EVERY_MS = 5_000;
/** The stages after the day's: the breakdowns, then each longer period. */
const PERIOD_STAGES = STAGES.slice(1);
/**
 * The stage from which a recomputation of periods also takes the jobs whose daily roll-ups were done after it began:
 * this stage's statements and the later ones read nothing the stages before it write (they read the day's and the
 * week's rows per pupil, not the breakdowns), so the stages they missed are left to the next recomputation, and their
 * longer periods are not computed twice (the weeks, terms and years of every school a back-fill touches).
 */
const LATE_JOBS_FROM: Stage = 'week';
/** The stages a job that joins late misses: left to the next recomputation. */
const MISSED_BY_LATE_JOBS = PERIOD_STAGES.slice(0, PERIOD_STAGES.indexOf(LATE_JOBS_FROM));

/** A job taken by this worker, settled when all its roll-ups are done. */
interface Taken {
  job: Job<RollupJob, RollupResult>;
  resolve: (result: RollupResult) => void;
  reject: (error: Error) => void;
  /** Its daily roll-ups' changes, once they are done (its breakdowns and longer periods are then still to do). */
  result?: RollupResult;
  daysDoneAt?: number;
  /** The stages after the day's still to recompute for it (all of them until a recomputation of its periods). */
  stages: readonly Stage[];
}

/**
 * Runs roll-up jobs. It takes up to WORKER_BATCH jobs at once and recomputes their slices together, one recomputation
 * at a time: a roll-up's queries cost about the same for one school as for a hundred. First the daily roll-ups (then
 * the job reports its changes as progress, which the live push follows), then, at most every few seconds while daily
 * ones wait, the breakdowns, the months' LA sums and the enrolment counts of its weeks, years, terms and half terms
 * (then the job completes). In embedded mode the worker lives in the API process (chDB allows one process per data
 * directory).
 */
@Injectable()
export class RollupWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RollupWorker.name);
  private worker?: Worker<RollupJob, RollupResult>;
  private connection?: Redis;
  private timer?: NodeJS.Timeout;
  /** Seconds the oldest stale slice has waited, at the last reconciliation (a metric). */
  lagSeconds = 0;
  private readonly days: Taken[] = [];
  private readonly periods: Taken[] = [];
  private running = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rollups: RollupService,
    private readonly reconciler: RollupReconciler,
    private readonly engine: EngineRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.worker) return;
    this.connection = redisConnection(this.config.redisUrl, 'worker');
    this.worker = new Worker<RollupJob, RollupResult>(ROLLUP_QUEUE, (job) => this.take(job), {
      connection: this.connection,
      prefix: this.config.queuePrefix,
      concurrency: this.config.workerBatch,
    });
    // Everything at start (whatever Redis lost while no worker ran), then the last day's marks every interval.
    void this.reconcile();
    this.timer = setInterval(
      () => void this.reconcile(dateTime64(Date.now() - RECENT_MS)),
      this.config.reconcileSeconds * 1000,
    );
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`Roll-up ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`),
    );
    this.worker.on('error', (error) => this.logger.error(`Roll-up worker: ${error.message}`));
  }

  private take(job: Job<RollupJob, RollupResult>): Promise<RollupResult> {
    return new Promise((resolve, reject) => {
      this.days.push({ job, resolve, reject, stages: PERIOD_STAGES });
      void this.run();
    });
  }

  /** Recomputes what the taken jobs wait for, oldest need first, until none waits. */
  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.days.length || this.periods.length) {
        const periodsDue =
          this.periods.length && (!this.days.length || Date.now() - this.periods[0].daysDoneAt! >= PERIODS_EVERY_MS);
        if (periodsDue) await this.recomputePeriods(this.periods.splice(0));
        else await this.recomputeDays(batch(this.days));
      }
    } finally {
      this.running = false;
    }
  }

  private async recomputeDays(taken: Taken[]): Promise<void> {
    try {
      await this.rollups.recompute('day', uniqueSlices(taken));
      for (const t of taken) {
        t.result = { changed: t.job.data.slices.map(([urn, date]) => ({ urn, date })) };
        t.daysDoneAt = Date.now();
      }
      this.periods.push(...taken);
      // Not awaited: the next recomputation need not wait for Redis; a lost progress event only delays a push.
      for (const t of taken)
        t.job
          .updateProgress(t.result!)
          .catch((error: Error) => this.logger.warn(`Roll-up ${t.job.id} progress: ${error.message}`));
    } catch (error) {
      await this.isolate(taken, error as Error, (part) => this.recomputeDays(part));
    }
  }

  /**
   * The breakdowns, months and longer periods of every job whose daily roll-ups are done (a year's or a term's slices of
   * many days and jobs are one recomputation a school), a statement at a time, with the daily roll-ups waiting
   * meanwhile (one batch) between the statements: a live push never waits for more than one of them. From
   * LATE_JOBS_FROM on, the jobs whose daily roll-ups were done meanwhile join (`late`); the stages they missed wait for
   * the next recomputation.
   */
  private async recomputePeriods(taken: Taken[], late = true): Promise<void> {
    const joined: Taken[] = [];
    try {
      const daysWaiting = async () => {
        if (this.days.length) await this.recomputeDays(batch(this.days));
      };
      for (const stage of PERIOD_STAGES) {
        if (late && stage === LATE_JOBS_FROM) joined.push(...this.periods.splice(0));
        const due = [...taken, ...joined].filter((t) => t.stages.includes(stage));
        if (!due.length) continue;
        await this.rollups.recompute(stage, uniqueSlices(due), daysWaiting);
        await daysWaiting();
      }
      for (const t of taken) t.resolve(t.result!);
      for (const t of joined) {
        t.stages = t.stages.filter((stage) => MISSED_BY_LATE_JOBS.includes(stage));
        if (t.stages.length) this.periods.push(t);
        else t.resolve(t.result!);
      }
    } catch (error) {
      // The jobs that joined are isolated with the others: each is recomputed for the stages it still needs.
      await this.isolate([...taken, ...joined], error as Error, (part) => this.recomputePeriods(part, false));
    }
  }

  /**
   * A batch whose recomputation failed. While the warehouse still answers, the fault is likely one job's slices (a
   * date it cannot hold, say): each half of the batch is recomputed on its own, and so on down to single jobs, so
   * that only the job at fault fails and the others are done now (recomputation is idempotent: a half done twice is
   * no harm). When the warehouse does not answer, every job fails at once and BullMQ retries each after its backoff
   * (splitting would only multiply the failing statements).
   */
  private async isolate(taken: Taken[], error: Error, retry: (part: Taken[]) => Promise<void>): Promise<void> {
    if (taken.length === 1 || !(await this.engine.answers('background'))) {
      for (const t of taken) t.reject(error);
      return;
    }
    const why = `Roll-up of ${taken.length} jobs failed (${error.message})`;
    this.logger.warn(`${why}: recomputing them in halves, so that only the job at fault fails`);
    const half = Math.ceil(taken.length / 2);
    await retry(taken.slice(0, half));
    await retry(taken.slice(half));
  }

  private async reconcile(since?: string): Promise<void> {
    try {
      const { stale, lagSeconds } = await this.reconciler.reconcile(since);
      this.lagSeconds = lagSeconds;
      if (stale)
        this.logger.warn(
          `Reconciliation re-queued ${stale} (school, date) slices whose marks were newer than their roll-ups`,
        );
    } catch (error) {
      this.logger.warn(
        `Reconciliation failed (next in ${this.config.reconcileSeconds} s): ${(error as Error).message}`,
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    // Waits for the running jobs to finish; a job cut short is retried (stalled) by the next worker.
    await this.worker?.close();
    this.connection?.disconnect();
  }
}

/** Takes the first jobs of a list, up to MAX_SLICES slices (at least one job). */
const batch = (list: Taken[]) => takeFirst(list, Infinity, MAX_SLICES, (t) => t.job.data.slices.length);

function uniqueSlices(taken: Taken[]): RollupJob['slices'] {
  const slices = new Map<string, [number, string]>();
  for (const t of taken) for (const [urn, date] of t.job.data.slices) slices.set(`${urn}|${date}`, [urn, date]);
  return [...slices.values()];
}
