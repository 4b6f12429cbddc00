import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { monthOf } from '../common/dates.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { dateTime64 } from '../warehouse/warehouse.js';
import { RollupQueue } from './rollup.queue.js';
import { RollupRepository } from './rollup.repository.js';
import { RollupService } from './rollup.service.js';
import { ENROLMENT_PERIODS, type EnrolmentPeriod } from '../contract/vocabulary.js';

/** Slices recomputed by one reconciliation job at most. */
const BATCH = 500;

export interface Reconciliation {
  /** (school, date) slices whose marks are newer than their roll-ups, and re-queued. */
  stale: number;
  /** Seconds since the oldest of those marks arrived: how far the roll-ups lag (0 when none is stale). */
  lagSeconds: number;
}

/**
 * Finds (school, date) slices whose raw marks arrived after their roll-ups (daily, or the school's week: its pupils'
 * sums and its counts; year, term, half term or weekday of the year) were computed and added up by LA (or that have no
 * roll-up at all), and queues them again. ClickHouse is the source of truth: whatever Redis lost, this puts back.
 */
@Injectable()
export class RollupReconciler {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: RollupRepository,
    private readonly rollups: RollupQueue,
    private readonly periods: RollupService,
  ) {}

  /** Looks at marks received since `since` (a DateTime64 string; all marks without it), except the last seconds'. */
  async reconcile(since?: string): Promise<Reconciliation> {
    const { terms, halfTerms } = this.config.termCalendar;
    // Marks received after the oldest job still pending are in a queued job (unless Redis lost them, and then the queue
    // empties and the next reconciliation finds them): queuing them again would only repeat a back-log's work.
    const pendingSince = await this.rollups.oldestPending();
    const until = Math.min(Date.now() - this.config.reconcileGraceSeconds * 1000, pendingSince ?? Infinity);
    const window = { until: dateTime64(until), since: since ?? dateTime64(0) };
    // The days of the marks in question first (the marks' received_at index skips all but the latest), then every
    // roll-up only for those days and their weeks, months, years, terms and half terms.
    const dates = await this.repository.markDates(window);
    if (!dates.length) return { stale: 0, lagSeconds: 0 };
    const startsOf = (period: EnrolmentPeriod) => [
      ...new Set(
        dates.map((date) => this.periods.periodOf(period, date)?.start).filter((start) => start !== undefined),
      ),
    ];
    const rows = await this.repository.staleSlices({
      ...window,
      dates,
      months: [...new Set(dates.map(monthOf))],
      ...Object.fromEntries(ENROLMENT_PERIODS.map((period) => [`${period}_starts`, startsOf(period)])),
      term_froms: terms.map((t) => t.from),
      term_tos: terms.map((t) => t.to),
      half_term_froms: halfTerms.map((t) => t.from),
      half_term_tos: halfTerms.map((t) => t.to),
    });
    // A job a school (its stale dates, at most BATCH): the same stale slices found by two workers, or again before they
    // are done, are the same job whatever else is stale (a long back-fill is found stale minute after minute), and
    // collapse; a job done is removed at once, so that it never stops the same slices being queued again.
    const bySchool = new Map<number, typeof rows>();
    for (const row of rows) {
      const stale = bySchool.get(row.urn);
      if (stale) stale.push(row);
      else bySchool.set(row.urn, [row]);
    }
    for (const stale of bySchool.values()) {
      for (let i = 0; i < stale.length; i += BATCH) {
        const batch = stale.slice(i, i + BATCH);
        const id = createHash('sha1')
          .update(JSON.stringify(batch.map((r) => [r.urn, r.date, r.received])))
          .digest('hex');
        await this.rollups.enqueue(
          batch.map((r): [number, string] => [r.urn, r.date]),
          `reconcile-${id}`,
          { removeOnComplete: true },
        );
      }
    }
    return { stale: rows.length, lagSeconds: rows.length ? Math.max(0, rows[0].lag) : 0 };
  }
}
