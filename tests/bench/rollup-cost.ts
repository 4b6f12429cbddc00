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
import { ROLLUPS, STAGES, type Stage } from '../../server/src/rollup/catalogue.js';
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

/**
 * Schools a batch (ROLLUP_COST_BATCH: 400 by default; the live part's daily batches hold 5-8), and how many of the 5
 * days are recomputed, the last (ROLLUP_COST_DAYS).
 */
const BATCH = Number(process.env.ROLLUP_COST_BATCH ?? 400);
const DAYS = Number(process.env.ROLLUP_COST_DAYS ?? 5);
/** The stages recomputed (ROLLUP_COST_STAGES, e.g. `day`: the live push's path alone); all by default. */
const stages = STAGES.filter(
  (s) => !process.env.ROLLUP_COST_STAGES || process.env.ROLLUP_COST_STAGES.split(',').includes(s),
);
const marks = (generated.marks / generated.dates.length) * Math.min(DAYS, dates.length);
const byStatement: Record<string, number> = {};
/** The process's CPU seconds (the engine's threads included) during each statement: less moved by a busy machine. */
const cpuByStatement: Record<string, number> = {};
const counts: Record<string, number> = {};
let stage: Stage = 'day';
const timedEngine: Warehouse = {
  engine: 'chdb',
  query: (sql, params, lane) => engine.query(sql, params, lane),
  async command(sql, params, lane) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await engine.command(sql, params, lane);
    const cpu = process.cpuUsage(cpu0);
    const table = /INSERT INTO (\w+)/.exec(sql)?.[1] ?? 'other';
    const name = `${stage}: ${table}${params?.period && params.period !== stage ? ` (${String(params.period)})` : ''}`;
    byStatement[name] = (byStatement[name] ?? 0) + (performance.now() - t0) / 1000;
    counts[name] = (counts[name] ?? 0) + 1;
    cpuByStatement[name] = (cpuByStatement[name] ?? 0) + (cpu.user + cpu.system) / 1e6;
  },
  insert: (table, columns, rows, format) => engine.insert(table, columns, rows, format),
  close: () => engine.close(),
};
const rollups = new RollupService(new RollupRepository(timedEngine), { termCalendar: calendar });
const urns = (await engine.query<{ urn: number }>('SELECT urn FROM schools FINAL ORDER BY urn')).map((r) => r.urn);
const t0 = performance.now();
for (const date of dates.slice(-DAYS)) {
  for (let i = 0; i < urns.length; i += BATCH) {
    const slices = urns.slice(i, i + BATCH).map((urn): [number, string] => [urn, date]);
    for (stage of stages) await rollups.recompute(stage, slices);
  }
}
const seconds = (performance.now() - t0) / 1000;
// Every roll-up table's rows (but their version, computed_at) hashed, and the marks': the same marks must give the
// same roll-up rows whatever the statements that computed them.
const hashes: Record<string, string> = {};
for (const table of ['marks', ...ROLLUPS.map((r) => r.table)]) {
  const columns = await engine.query<{ name: string }>(
    "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {table:String} AND name NOT IN ('computed_at', 'received_at', 'submission_id') ORDER BY position",
    { table },
  );
  const [row] = await engine.query<{ rows: string; hash: string }>(
    `SELECT toString(count()) AS rows, toString(groupBitXor(cityHash64(${columns.map((c) => c.name).join(', ')}))) AS hash FROM ${table} FINAL`,
  );
  hashes[table] = `${row.rows} rows, ${row.hash}`;
}
await engine.close();
console.log(JSON.stringify({ marks, seconds, byStatement, cpuByStatement, counts, hashes }));
