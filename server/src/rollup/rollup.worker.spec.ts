// The worker's order of work, read off the stages it asks RollupService for (a real BullMQ queue on Redis; the
// statements themselves are the chDB specs' and the integration tests'): a job whose daily roll-ups are done while the
// breakdowns of a recomputation of periods run joins it from the week on, and gets its breakdowns next.
import { afterAll, expect, it } from '@jest/globals';
import { QueueEvents } from 'bullmq';
import { typicalTermCalendar } from '../calendar/term-calendar.js';
import type { AppConfig } from '../config/config.js';
import type { EngineRepository } from '../warehouse/engine.repository.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { STAGES, type Slice, type Stage } from './catalogue.js';
import type { RollupReconciler } from './reconcile.js';
import { RollupQueue } from './rollup.queue.js';
import { RollupRepository } from './rollup.repository.js';
import { RollupService } from './rollup.service.js';
import { ROLLUP_QUEUE } from './rollup.types.js';
import { RollupWorker } from './rollup.worker.js';

const config = {
  worker: true,
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  queuePrefix: `test-worker-${process.pid}-${Date.now()}`,
  workerBatch: 10,
  reconcileSeconds: 3600,
} as AppConfig;

/** The stages asked for, with their schools, in order; the first breakdowns wait for `beforeBreakdowns`. */
class RecordingRollups extends RollupService {
  readonly asked: { stage: Stage; urns: number[] }[] = [];
  beforeBreakdowns?: () => Promise<void>;

  async recompute(stage: Stage, slices: Slice[], between?: () => Promise<void>): Promise<void> {
    if (stage === 'breakdowns' && this.beforeBreakdowns) {
      const wait = this.beforeBreakdowns;
      this.beforeBreakdowns = undefined;
      await wait();
    }
    this.asked.push({ stage, urns: [...new Set(slices.map(([urn]) => urn))].sort() });
    await super.recompute(stage, slices, between);
  }
}

const queue = new RollupQueue(config);
const events = new QueueEvents(ROLLUP_QUEUE, { connection: { url: config.redisUrl }, prefix: config.queuePrefix });
let worker: RollupWorker | undefined;
afterAll(async () => {
  await worker?.onModuleDestroy();
  await queue.queue.obliterate({ force: true });
  await queue.onModuleDestroy();
  await events.close();
});

it("gives a job whose day was done during a recomputation's breakdowns its longer periods there, its breakdowns next, each once", async () => {
  // Statements go nowhere: what is checked is which stages the worker asks for, for which schools, in which order.
  const warehouse = { command: async () => undefined } as unknown as Warehouse;
  const rollups = new RecordingRollups(new RollupRepository(warehouse), { termCalendar: typicalTermCalendar() });
  const reconciler = { reconcile: async () => ({ stale: 0, lagSeconds: 0 }) } as unknown as RollupReconciler;
  const engine = { answers: async () => true } as unknown as EngineRepository;
  await events.waitUntilReady();
  // A's breakdowns begin only once B, queued then, is taken: its day is recomputed between their statements.
  rollups.beforeBreakdowns = async () => {
    await queue.enqueue([[100002, '2026-11-30']], 'b');
    while (!(await queue.queue.getJob('b'))?.processedOn) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  worker = new RollupWorker(config, rollups, reconciler, engine);
  worker.onApplicationBootstrap();
  const done = (id: string) =>
    new Promise<void>((resolve) => events.on('completed', ({ jobId }) => jobId === id && resolve()));
  const both = Promise.all([done('a'), done('b')]);
  await queue.enqueue([[100001, '2026-11-30']], 'a');
  await both;

  const longer = STAGES.slice(2);
  expect(rollups.asked).toEqual([
    { stage: 'day', urns: [100001] },
    { stage: 'breakdowns', urns: [100001] },
    { stage: 'day', urns: [100002] },
    ...longer.map((stage) => ({ stage, urns: [100001, 100002] })),
    { stage: 'breakdowns', urns: [100002] },
  ]);
});
