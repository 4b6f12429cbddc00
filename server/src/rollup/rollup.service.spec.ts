// The order of a stage's statements and what runs between them (the worker's waiting daily roll-ups), read off the
// statements a warehouse is given: which statements, and what each computes, are the chDB specs' (day-statements,
// catalogue) and the integration tests'.
import { expect, it } from '@jest/globals';
import { typicalTermCalendar } from '../calendar/term-calendar.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { ROLLUPS, STAGES } from './catalogue.js';
import { RollupRepository } from './rollup.repository.js';
import { MAX_PAIRS, RollupService } from './rollup.service.js';

it("runs `between` after each of a stage's statements but the last, for every stage, in the catalogue's order", async () => {
  const ran: string[] = [];
  const warehouse = {
    command: async (sql: string) => void ran.push(/INSERT INTO (\w+)/.exec(sql)![1]),
  } as unknown as Warehouse;
  const rollups = new RollupService(new RollupRepository(warehouse), { termCalendar: typicalTermCalendar() });
  for (const stage of STAGES) {
    ran.length = 0;
    await rollups.recompute(stage, [[100001, '2026-11-30']], async () => void ran.push('between'));
    const tables = ROLLUPS.filter((r) => r.stages[stage]).map((r) => r.table);
    expect(ran).toEqual(tables.flatMap((table, i) => (i === 0 ? [table] : ['between', table])));
  }
});

it('recomputes a period once for a school however many of its days, at most MAX_PAIRS schools a statement, then the LA sums once', async () => {
  const ran: { table: string; pairs: number }[] = [];
  const warehouse = {
    command: async (sql: string, params: { slice_urns?: number[] }) =>
      void ran.push({ table: /INSERT INTO (\w+)/.exec(sql)![1], pairs: params.slice_urns?.length ?? 0 }),
  } as unknown as Warehouse;
  const rollups = new RollupService(new RollupRepository(warehouse), { termCalendar: typicalTermCalendar() });
  const schools = Array.from({ length: MAX_PAIRS + 500 }, (_, i) => 100001 + i);
  // Two days of one week, year and term for each school: two slices, one pair of each longer period.
  const slices = schools.flatMap((urn): [number, string][] => [
    [urn, '2026-11-30'],
    [urn, '2026-12-01'],
  ]);
  await rollups.recompute('year', slices);
  expect(ran.filter((r) => r.table === 'school_enrolments').map((r) => r.pairs)).toEqual([MAX_PAIRS, 500]);
  expect(ran.at(-1)!.table).toBe('la_enrolments');
  ran.length = 0;
  // A day in no term: no term to recompute, nor its LA sums.
  await rollups.recompute('term', [[100001, '2026-08-15']]);
  expect(ran).toEqual([]);
  await rollups.recompute('breakdowns', slices);
  // A day's slices are its pairs; the LA sums add up every chunk's days at once, after them.
  const rest = slices.length - 2 * MAX_PAIRS;
  expect(ran.map((r) => r.table)).toEqual([
    ...Array.from({ length: 3 }, () => 'school_cohort_daily'),
    'la_daily',
    'la_monthly',
  ]);
  expect(ran.filter((r) => r.table === 'school_cohort_daily').map((r) => r.pairs)).toEqual([
    MAX_PAIRS,
    MAX_PAIRS,
    rest,
  ]);
});
