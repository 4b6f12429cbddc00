// The order of a stage's statements and what runs between them (the worker's waiting daily roll-ups), read off the
// statements a warehouse is given: which statements, and what each computes, are the chDB specs' (day-statements,
// catalogue) and the integration tests'.
import { expect, it } from '@jest/globals';
import { typicalTermCalendar } from '../calendar/term-calendar.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { ROLLUPS, STAGES } from './catalogue.js';
import { RollupRepository } from './rollup.repository.js';
import { RollupService } from './rollup.service.js';

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
