import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AnswerCache } from '../answers/answer-cache.js';
import { RollupQueue } from '../rollup/rollup.queue.js';
import { RollupService } from '../rollup/rollup.service.js';
import { RollupWorker } from '../rollup/rollup.worker.js';

/** What an operator watches (Prometheus, GET /metrics): ingest, roll-up lag and queue, live pushes, HTTP. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly submissions = new Counter({
    name: 'attendance_submissions_total',
    help: 'Register files posted, by outcome (accepted, duplicate, refused)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly marks = new Counter({
    name: 'attendance_marks_ingested_total',
    help: 'Register marks stored',
    registers: [this.registry],
  });
  readonly pushLatency = new Histogram({
    name: 'attendance_live_push_seconds',
    help: 'From a finished roll-up to the socket.io push of its figures',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [this.registry],
  });
  readonly http = new Histogram({
    name: 'attendance_http_request_seconds',
    help: 'HTTP request durations by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });

  constructor(queue: RollupQueue, worker: RollupWorker, answers: AnswerCache, rollups: RollupService) {
    collectDefaultMetrics({ register: this.registry, prefix: 'attendance_' });
    new Gauge({
      name: 'attendance_rollup_jobs',
      help: 'Roll-up jobs by state; failed ones have used all their attempts (the dead-letter set)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await queue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'attendance_rollup_lag_seconds',
      help: 'At the last reconciliation, how long the oldest (school, date) slice with marks newer than its roll-up has waited',
      registers: [this.registry],
      collect() {
        this.set(worker.lagSeconds);
      },
    });
    new Gauge({
      name: 'attendance_rollup_statements',
      help: "Roll-up statements run by this process's worker since start, by stage and statement (sql/queries)",
      labelNames: ['stage', 'statement'] as const,
      registers: [this.registry],
      collect() {
        for (const { stage, statement, count } of rollups.statements.values()) this.set({ stage, statement }, count);
      },
    });
    new Gauge({
      name: 'attendance_rollup_statement_seconds',
      help: "Seconds the roll-up statements of this process's worker took since start (queueing in the engine included)",
      labelNames: ['stage', 'statement'] as const,
      registers: [this.registry],
      collect() {
        for (const { stage, statement, seconds } of rollups.statements.values())
          this.set({ stage, statement }, seconds);
      },
    });
    new Gauge({
      name: 'attendance_shared_answers',
      help: 'Answers since start, by how they were given: computed, from the cache, or joined to the same computation in flight',
      labelNames: ['outcome'] as const,
      registers: [this.registry],
      collect() {
        for (const [outcome, n] of Object.entries(answers.counts)) this.set({ outcome }, n);
      },
    });
  }
}
