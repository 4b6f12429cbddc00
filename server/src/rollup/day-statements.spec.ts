// The day stage's own statements (catalogue.ts statementIn.day) write exactly the rows the general statements write for
// the day and all pupils, on a real chDB session: marks of many kinds, a school outside the register, schools moved to
// another LA, a slice without marks, and slices recomputed again after new marks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { ChdbWarehouse } from '../warehouse/chdb-warehouse.js';
import { migrate, sqlQuery } from '../warehouse/migrations.js';
import { versionTimestamp } from '../warehouse/warehouse.js';
import { SCHOOL_COLUMNS, SchoolsRepository } from '../reference/schools.repository.js';
import { ROLLUPS, type Slice } from './catalogue.js';

const DATES = ['2026-11-30', '2026-12-01'];
const MARK_COLUMNS = ['urn', 'date', 'pupil_key', 'session', 'code', 'category', 'year_group', 'fsm', 'received_at'];
const CODES = [
  ['/', 'present'],
  ['L', 'present'],
  ['I', 'authorised'],
  ['O', 'unauthorised'],
  ['B', 'aea'],
  ['X', 'not_possible'],
];
const YEARS = ['R', '1', '5', '11', '12', 'N2'];
/** The tables' sorting keys: a row's identity, whose latest version is current. */
const ORDER_KEY: Record<string, string> = {
  school_enrolments: 'period, topic, start, urn, cohort',
  la_daily: 'topic, date, la_code, phase, cohort',
};

let dir: string;
let warehouse: ChdbWarehouse;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'day-statements-'));
  warehouse = new ChdbWarehouse(dir);
  await migrate(warehouse);
  // The replaced rows stay beside the new ones: each statement's rows are read by their version.
  for (const table of ['school_enrolments', 'la_daily']) await warehouse.command(`SYSTEM STOP MERGES ${table}`);
  await new SchoolsRepository(warehouse).loadLocalAuthorities();
}, 60_000);
afterAll(async () => {
  await warehouse?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** 12 schools (100000-100011) in two LAs; when `moved`, LA 202's special schools move to LA 800 (it has none left). */
async function register(moved: boolean): Promise<void> {
  const rows = Array.from({ length: 12 }, (_, i) =>
    JSON.stringify({
      urn: 100000 + i,
      la_code: moved && i % 6 === 2 ? '800' : ['202', '800'][i % 2],
      name: 's',
      type_of_establishment: 't',
      status: 'Open',
      phase_of_education: 'p',
      phase: ['Primary', 'Secondary', 'Special'][i % 3],
      updated_at: versionTimestamp(),
    }),
  );
  await warehouse.insert('schools', SCHOOL_COLUMNS, Buffer.from(rows.join('\n')), 'JSONEachRow');
}

/** Marks of 13 schools (100012 outside the register), 8 pupils each, every kind of code and year group. */
async function marks(round: number): Promise<void> {
  const rows: string[] = [];
  for (let school = 0; school < 13; school++)
    for (const [d, date] of DATES.entries())
      for (let pupil = 0; pupil < 8; pupil++)
        for (const [s, session] of ['AM', 'PM'].entries()) {
          const k = school * 7 + pupil * 5 + s * 3 + d + round;
          if (k % 11 === 0) continue; // a session without a mark
          const [code, category] = CODES[k % CODES.length];
          const year = YEARS[(school + pupil + (k % 4 === 0 ? s : 0)) % YEARS.length];
          const fields = [100000 + school, date, `p${school}-${pupil}`, session, code, category, year, 'N'];
          rows.push([...fields, versionTimestamp()].join(','));
        }
  await warehouse.insert('marks', MARK_COLUMNS, Buffer.from(rows.join('\n')), 'CSV');
}

async function recompute(table: string, statement: string, slices: Slice[]): Promise<void> {
  const pairs = slices.map(([urn, date]): [number, { start: string; end: string }] => [
    urn,
    { start: date, end: date },
  ]);
  const params = ROLLUPS.find((r) => r.table === table)!.stages.day!({ slices, period: 'day', pairs, terms: [] });
  await warehouse.command(await sqlQuery(statement), params, 'background');
}

/** The table's current rows (FINAL) and the rows its last statement wrote, without their version. */
async function state(table: string, where: string) {
  const rows = (condition: string) =>
    warehouse.query(`SELECT * EXCEPT computed_at FROM ${table} WHERE ${where} AND ${condition} ORDER BY ALL`);
  return {
    current: await rows(
      `(${ORDER_KEY[table]}, computed_at) IN (SELECT ${ORDER_KEY[table]}, max(computed_at) FROM ${table} GROUP BY ALL)`,
    ),
    written: await rows(`computed_at = (SELECT max(computed_at) FROM ${table})`),
  };
}

it("writes the general statements' rows for the day and all pupils, with fewer branches", async () => {
  await register(false);
  const rounds: [string, number[]][] = [
    ['new marks', [...Array(13).keys()]],
    ['new marks', [0, 1, 2, 5, 12]],
    ['schools moved', [0, 2, 5, 8, 12]],
  ];
  for (const [round, schools] of rounds) {
    if (round === 'schools moved') await register(true);
    else await marks(schools.length);
    // And a slice without marks (a register of no rows for that day).
    const slices: Slice[] = [
      ...schools.flatMap((i) => DATES.map((date): Slice => [100000 + i, date])),
      [100005, '2026-12-02'],
    ];
    await recompute('school_daily', 'rollup_school_daily', slices);
    await recompute('pupil_daily', 'rollup_pupil_daily', slices);
    for (const [table, general, own, where] of [
      ['school_enrolments', 'rollup_school_enrolments_single', 'rollup_school_enrolments_day', "period = 'day'"],
      ['la_daily', 'rollup_la_daily', 'rollup_la_daily_all', "topic = ''"],
    ]) {
      // The day stage's own statement, then the general one, then the own again: each leaves the same rows, and the
      // last two (from the same rows: an LA sum reads its own) write the same.
      await recompute(table, own, slices);
      const first = await state(table, where);
      await recompute(table, general, slices);
      const second = await state(table, where);
      await recompute(table, own, slices);
      const third = await state(table, where);
      expect(first.written.length).toBeGreaterThan(0);
      expect(second.current).toEqual(first.current);
      expect(second.written).toEqual(third.written);
      expect(third.current).toEqual(first.current);
    }
  }
}, 60_000);
