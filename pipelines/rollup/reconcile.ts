import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../server/src/config/config.js';
import { WAREHOUSE, type Warehouse } from '../../server/src/warehouse/warehouse.js';
import { RollupQueue } from './rollup.queue.js';
import type { Period } from './rollup.service.js';
import type { RollupJob } from './rollup.types.js';

/** Slices recomputed by one reconciliation job. */
const BATCH = 500;
/** When each school's enrolment counts for a period were last computed. */
const ENROLMENTS = (period: Period) =>
  `SELECT urn, start, max(computed_at) AS computed FROM school_enrolments WHERE period = '${period}' AND topic = '' GROUP BY urn, start`;

export interface Reconciliation {
  /** (school, date) slices whose marks are newer than their roll-ups, and re-queued. */
  stale: number;
  /** Seconds since the oldest of those marks arrived: how far the roll-ups lag (0 when none is stale). */
  lagSeconds: number;
}

/**
 * Finds (school, date) slices whose raw marks arrived after their roll-ups (daily, or the school's week, year, term,
 * half term or weekday of the year) were computed (or that have no roll-up at all), or whose day's LA sums are older
 * than the school's daily roll-ups, and queues them again. ClickHouse is the source of truth: whatever Redis lost, this
 * puts back.
 */
@Injectable()
export class RollupReconciler {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    private readonly rollups: RollupQueue,
  ) {}

  /** Looks at marks received since `since` (a DateTime64 string; all marks without it), except the last seconds'. */
  async reconcile(since?: string): Promise<Reconciliation> {
    const { terms, halfTerms } = this.config.termCalendar;
    // A day outside every term (or half term) has no row of one: its start is the zero date, and it is never stale.
    const spanStart = (kind: string) => `arrayFirst((f, t) -> date BETWEEN f AND t, {${kind}_froms:Array(Date)}, {${kind}_tos:Array(Date)})`;
    const rows = await this.warehouse.query<{ urn: number; date: string; received: string; lag: number }>(
      `SELECT m.urn AS urn, toString(m.date) AS date, toString(m.received) AS received,
              dateDiff('second', m.received, now64(6)) AS lag
       FROM (SELECT urn, date, max(received_at) AS received, ${spanStart('term')} AS term, ${spanStart('half_term')} AS half_term,
                    addMonths(toStartOfYear(addMonths(date, 4)), -4) AS year_start
             FROM marks
             WHERE received_at < now64(6) - INTERVAL {grace:UInt32} SECOND ${since ? 'AND received_at >= {since:DateTime64(6)}' : ''}
             GROUP BY urn, date) AS m
       LEFT JOIN (SELECT urn, date, max(computed_at) AS computed FROM school_daily GROUP BY urn, date) AS s
         ON s.urn = m.urn AND s.date = m.date
       LEFT JOIN (SELECT urn, date, max(computed_at) AS computed FROM pupil_daily GROUP BY urn, date) AS p
         ON p.urn = m.urn AND p.date = m.date
       LEFT JOIN (SELECT urn, date, max(computed_at) AS computed FROM school_cohort_daily WHERE topic = 'fsm' GROUP BY urn, date) AS c
         ON c.urn = m.urn AND c.date = m.date
       LEFT JOIN (SELECT date, max(computed_at) AS computed FROM la_daily WHERE topic = '' GROUP BY date) AS l ON l.date = m.date
       LEFT JOIN (SELECT date, max(computed_at) AS computed FROM la_daily WHERE topic = 'fsm' GROUP BY date) AS lc ON lc.date = m.date
       LEFT JOIN (${ENROLMENTS('day')}) AS ed ON ed.urn = m.urn AND ed.start = m.date
       LEFT JOIN (${ENROLMENTS('week')}) AS ew ON ew.urn = m.urn AND ew.start = toMonday(m.date)
       LEFT JOIN (${ENROLMENTS('year')}) AS ey ON ey.urn = m.urn AND ey.start = m.year_start
       LEFT JOIN (${ENROLMENTS('weekday')}) AS ewd ON ewd.urn = m.urn AND ewd.start = addDays(m.year_start, (toDayOfWeek(m.date) - toDayOfWeek(m.year_start) + 7) % 7)
       LEFT JOIN (${ENROLMENTS('term')}) AS et ON et.urn = m.urn AND et.start = m.term
       LEFT JOIN (${ENROLMENTS('half_term')}) AS eh ON eh.urn = m.urn AND eh.start = m.half_term
       WHERE least(s.computed, p.computed, c.computed, l.computed, lc.computed, ed.computed, ew.computed, ey.computed, ewd.computed) < m.received
          OR l.computed < s.computed OR lc.computed < c.computed
          OR (m.term != toDate(0) AND et.computed < m.received)
          OR (m.half_term != toDate(0) AND eh.computed < m.received)
       ORDER BY m.received`,
      {
        grace: this.config.reconcileGraceSeconds,
        ...(since && { since }),
        term_froms: terms.map((t) => t.from),
        term_tos: terms.map((t) => t.to),
        half_term_froms: halfTerms.map((t) => t.from),
        half_term_tos: halfTerms.map((t) => t.to),
      },
      'background',
    );
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      const slices: RollupJob['slices'] = batch.map((r) => [r.urn, r.date]);
      // The same stale slices found by two workers, or twice before they are done, are one job.
      const id = createHash('sha1').update(JSON.stringify(batch.map((r) => [r.urn, r.date, r.received]))).digest('hex');
      await this.rollups.enqueue(slices, `reconcile-${id}`);
    }
    return { stale: rows.length, lagSeconds: rows.length ? Math.max(0, rows[0].lag) : 0 };
  }
}
