import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { monthOf } from '../common/dates.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { dateTime64, WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import { RollupQueue } from './rollup.queue.js';
import { PERIODS, RollupService, type Period } from './rollup.service.js';

/** Slices recomputed by one reconciliation job at most. */
const BATCH = 500;
/**
 * When each school's rows of a roll-up (by urn and `key`) were last computed, or the zero time where the LA sums made
 * of them (`sums`: a subquery of `key` and computed) are older (than the rows, or than `until` where the rows are
 * newer: sums recomputed a few seconds after the rows are not behind): a school's figures count as computed only once
 * they are added up by LA too.
 */
const computed = (rows: string, sums: string, key: string) =>
  `SELECT s.urn AS urn, s.${key} AS ${key}, if(a.computed < least(s.computed, {until:DateTime64(6)}), toDateTime64(0, 6), s.computed) AS computed
   FROM (SELECT urn, ${key}, max(computed_at) AS computed FROM ${rows} GROUP BY urn, ${key}) AS s
   LEFT JOIN (${sums}) AS a ON a.${key} = s.${key}`;
/** When each day's LA sums of a topic were last computed, or the zero time where their month's sums are older (as above). */
const LA_DAYS = (topic: string) =>
  `SELECT d.date AS date, if(m.computed < least(d.computed, {until:DateTime64(6)}), toDateTime64(0, 6), d.computed) AS computed
   FROM (SELECT date, toStartOfMonth(date) AS month, max(computed_at) AS computed FROM la_daily
         WHERE topic = '${topic}' AND date IN {dates:Array(Date)} GROUP BY date) AS d
   LEFT JOIN (SELECT month, max(computed_at) AS computed FROM la_monthly
              WHERE topic = '${topic}' AND month IN {months:Array(Date)} GROUP BY month) AS m ON m.month = d.month`;
// Each roll-up is read only for the days (or periods) of the marks in question: a minute's marks are a day's or two.
const ENROLMENTS = (period: Period) =>
  computed(
    `school_enrolments WHERE period = '${period}' AND topic = '' AND start IN {${period}_starts:Array(Date)}`,
    `SELECT start, max(computed_at) AS computed FROM la_enrolments WHERE period = '${period}' AND topic = '' AND start IN {${period}_starts:Array(Date)} GROUP BY start`,
    'start',
  );

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
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
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
    const received = `received_at < {until:DateTime64(6)} ${since ? 'AND received_at >= {since:DateTime64(6)}' : ''}`;
    const window = { until: dateTime64(until), ...(since && { since }) };
    // The days of the marks in question first (the marks' received_at index skips all but the latest), then every
    // roll-up only for those days and their weeks, months, years, terms and half terms.
    const dates = (await this.warehouse.query<{ date: string }>(`SELECT DISTINCT toString(date) AS date FROM marks WHERE ${received}`, window, 'background')).map((r) => r.date);
    if (!dates.length) return { stale: 0, lagSeconds: 0 };
    const startsOf = (period: Period) => [...new Set(dates.map((date) => this.periods.periodOf(period, date)?.start).filter((start) => start !== undefined))];
    // A day outside every term (or half term) has no row of one: its start is the zero date, and it is never stale.
    const spanStart = (kind: string) => `arrayFirst((f, t) -> date BETWEEN f AND t, {${kind}_froms:Array(Date)}, {${kind}_tos:Array(Date)})`;
    const rows = await this.warehouse.query<{ urn: number; date: string; received: string; lag: number }>(
      `SELECT m.urn AS urn, toString(m.date) AS date, toString(m.received) AS received,
              dateDiff('second', m.received, now64(6)) AS lag
       FROM (SELECT urn, date, max(received_at) AS received, ${spanStart('term')} AS term, ${spanStart('half_term')} AS half_term,
                    addMonths(toStartOfYear(addMonths(date, 4)), -4) AS year_start
             FROM marks
             WHERE date IN {dates:Array(Date)} AND ${received}
             GROUP BY urn, date) AS m
       LEFT JOIN (${computed('school_daily WHERE date IN {dates:Array(Date)}', LA_DAYS(''), 'date')}) AS s ON s.urn = m.urn AND s.date = m.date
       LEFT JOIN (SELECT urn, date, max(computed_at) AS computed FROM pupil_daily WHERE date IN {dates:Array(Date)} GROUP BY urn, date) AS p
         ON p.urn = m.urn AND p.date = m.date
       LEFT JOIN (SELECT urn, week, max(computed_at) AS computed FROM pupil_weekly WHERE week IN {week_starts:Array(Date)} GROUP BY urn, week) AS pw
         ON pw.urn = m.urn AND pw.week = toMonday(m.date)
       LEFT JOIN (${computed("school_cohort_daily WHERE topic = 'fsm' AND date IN {dates:Array(Date)}", LA_DAYS('fsm'), 'date')}) AS c
         ON c.urn = m.urn AND c.date = m.date
       LEFT JOIN (${ENROLMENTS('day')}) AS ed ON ed.urn = m.urn AND ed.start = m.date
       LEFT JOIN (${ENROLMENTS('week')}) AS ew ON ew.urn = m.urn AND ew.start = toMonday(m.date)
       LEFT JOIN (${ENROLMENTS('year')}) AS ey ON ey.urn = m.urn AND ey.start = m.year_start
       LEFT JOIN (${ENROLMENTS('weekday')}) AS ewd ON ewd.urn = m.urn AND ewd.start = addDays(m.year_start, (toDayOfWeek(m.date) - toDayOfWeek(m.year_start) + 7) % 7)
       LEFT JOIN (${ENROLMENTS('term')}) AS et ON et.urn = m.urn AND et.start = m.term
       LEFT JOIN (${ENROLMENTS('half_term')}) AS eh ON eh.urn = m.urn AND eh.start = m.half_term
       WHERE least(s.computed, p.computed, pw.computed, c.computed, ed.computed, ew.computed, ey.computed, ewd.computed) < m.received
          OR (m.term != toDate(0) AND et.computed < m.received)
          OR (m.half_term != toDate(0) AND eh.computed < m.received)
       ORDER BY m.received`,
      {
        ...window,
        dates,
        months: [...new Set(dates.map(monthOf))],
        ...Object.fromEntries(PERIODS.map((period) => [`${period}_starts`, startsOf(period)])),
        term_froms: terms.map((t) => t.from),
        term_tos: terms.map((t) => t.to),
        half_term_froms: halfTerms.map((t) => t.from),
        half_term_tos: halfTerms.map((t) => t.to),
      },
      'background',
    );
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
        const id = createHash('sha1').update(JSON.stringify(batch.map((r) => [r.urn, r.date, r.received]))).digest('hex');
        await this.rollups.enqueue(batch.map((r): [number, string] => [r.urn, r.date]), `reconcile-${id}`, { removeOnComplete: true });
      }
    }
    return { stale: rows.length, lagSeconds: rows.length ? Math.max(0, rows[0].lag) : 0 };
  }
}
