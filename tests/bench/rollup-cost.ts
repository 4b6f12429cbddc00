// The roll-ups alone, as the worker runs them while registers arrive: 5 school days at scale 0.01 (the generator's
// marks, as many as the ingest part posts), recomputed a day at a time in batches of 400 schools (daily roll-ups,
// breakdowns, then every longer period's enrolment counts), each statement timed. Two histories:
//   empty    the ingest part's 5 days (the last before TO) on an empty store;
//   year     the last 5 school days of 2025/26 on that whole year's data (the generator's), recomputed as a school's
//            registers sent again would be: the longest periods of the year (its weeks, half term, term, year and
//            weekdays), read from every day of it.
// Run by tests/bench/bench.ts: node dist/tests/bench/rollup-cost.js DIR TO empty|year
// prints {marks, seconds, byStatement: {name: seconds}}.
import { generate } from './generate.js';
import { STAGES } from '../../server/src/rollup/catalogue.js';
import { RollupRepository } from '../../server/src/rollup/rollup.repository.js';
import { RollupService } from '../../server/src/rollup/rollup.service.js';
import { DEFAULT_TERM_CALENDAR, loadTermCalendar, schoolDays } from '../../server/src/calendar/term-calendar.js';
import { ChdbWarehouse } from '../../server/src/warehouse/chdb-warehouse.js';
import type { Warehouse } from '../../server/src/warehouse/warehouse.js';

const [dir, to, history] = process.argv.slice(2);
const calendar = loadTermCalendar(DEFAULT_TERM_CALENDAR);
const yearEnd = calendar.terms.filter((t) => t.academicYear === '2025/26').at(-1)!.to;
const dates =
  history === 'year'
    ? schoolDays(calendar, '2025-09-01', yearEnd).slice(-5)
    : schoolDays(calendar, '2025-09-01', to).slice(-6, -1);
const engine = new ChdbWarehouse(dir);
const generated = await generate(engine, {
  scale: 0.01,
  from: history === 'year' ? '2025-09-01' : dates[0],
  to: dates.at(-1)!,
  calendar,
});
const marks = (generated.marks / generated.dates.length) * dates.length;

const byStatement: Record<string, number> = {};
const timedEngine: Warehouse = {
  engine: 'chdb',
  query: (sql, params, lane) => engine.query(sql, params, lane),
  async command(sql, params, lane) {
    const t0 = performance.now();
    await engine.command(sql, params, lane);
    const name = `${/INSERT INTO (\w+)/.exec(sql)?.[1] ?? 'other'}${params?.period ? ` (${String(params.period)})` : ''}`;
    byStatement[name] = (byStatement[name] ?? 0) + (performance.now() - t0) / 1000;
  },
  insert: (table, columns, rows, format) => engine.insert(table, columns, rows, format),
  close: () => engine.close(),
};
const rollups = new RollupService(new RollupRepository(timedEngine), { termCalendar: calendar });
const urns = (await engine.query<{ urn: number }>('SELECT urn FROM schools FINAL ORDER BY urn')).map((r) => r.urn);
const t0 = performance.now();
for (const date of dates) {
  for (let i = 0; i < urns.length; i += 400) {
    const slices = urns.slice(i, i + 400).map((urn): [number, string] => [urn, date]);
    for (const stage of STAGES) await rollups.recompute(stage, slices);
  }
}
const seconds = (performance.now() - t0) / 1000;
await engine.close();
console.log(JSON.stringify({ marks, seconds, byStatement }));
