// One engine, one data directory, one process: the national figures for a period from the roll-ups (as the dashboard
// reads them) and from the raw marks directly, timed, and checked to agree. Run by tests/bench/bench.ts:
//   node dist/tests/bench/raw-vs-rollup.js DIR FROM TO
import { MeasuresRepository } from '../../server/src/rollup/measures.repository.js';
import { DEFAULT_TERM_CALENDAR, loadTermCalendar } from '../../server/src/calendar/term-calendar.js';
import { ChdbWarehouse } from '../../server/src/warehouse/chdb-warehouse.js';
import { percentile, timed } from './stats.js';

const [dir, from, to] = process.argv.slice(2);
const warehouse = new ChdbWarehouse(dir);
const repository = new MeasuresRepository(warehouse, { termCalendar: loadTermCalendar(DEFAULT_TERM_CALENDAR) });

const rollup = async () => {
  const [sessions, enrolments] = await Promise.all([
    repository.sessions('national', 'period', { from, to }),
    repository.enrolments('national', 'period', { from, to }),
  ]);
  return {
    possible: sessions.filter((r) => r.phase !== 'Other').reduce((s, r) => s + Number(r.possible), 0),
    persistent: enrolments.filter((r) => r.phase !== 'Other').reduce((s, r) => s + Number(r.persistent), 0),
  };
};
// The same two figures straight from the marks: every mark of a counted pupil, the latest of each (FINAL).
const raw = async () => {
  const [row] = await warehouse.query<{ possible: number; persistent: number }>(
    `SELECT sum(p) AS possible, countIf(a * 10 >= p) AS persistent
     FROM (SELECT urn, pupil_key, countIf(category != 'not_possible') AS p, countIf(category IN ('authorised', 'unauthorised')) AS a
           FROM marks FINAL
           WHERE date BETWEEN {from:Date} AND {to:Date} AND year_group IN ('1','2','3','4','5','6','7','8','9','10','11')
             AND urn IN (SELECT urn FROM schools FINAL WHERE phase IN ('Primary', 'Secondary', 'Special'))
           GROUP BY urn, pupil_key HAVING p > 0)`,
    { from, to },
  );
  return row;
};

// The breakdown roll-up (school_cohort_daily) must hold the same sessions, split by FSM.
const byFsm = async () => {
  const sessions = await repository.sessions('national', 'period', { from, to }, 'fsm');
  return sessions.filter((r) => r.phase !== 'Other').reduce((s, r) => s + Number(r.possible), 0);
};
const [a, b, fsm] = [await rollup(), await raw(), await byFsm()];
const rollupMs = await timed(rollup, 5, 1);
const rawMs = await timed(raw, 3, 0);
await warehouse.close();
console.log(
  JSON.stringify({
    agree: a.possible === b.possible && a.persistent === b.persistent && fsm === b.possible,
    rollup: a,
    raw: b,
    rollupMs: percentile(rollupMs, 50),
    rawMs: percentile(rawMs, 50),
  }),
);
