// The day stage writes all pupils' enrolment counts of the day with school_daily and la_daily, the breakdowns stage each
// cohort's with school_cohort_daily and la_daily, whose views copy them into school_enrolments and la_enrolments
// (sql/0030_day_enrolments.sql, sql/0031_cohort_day_enrolments.sql): the counts readers see there are exactly those
// the general statements (grouping per pupil, as for any period) write, on a real chDB session: marks of many kinds
// and census values, a school outside the register, schools moved to another LA, a slice without marks, and slices
// recomputed again after new marks.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { ChdbWarehouse } from '../warehouse/chdb-warehouse.js';
import { migrate, SQL_DIR, sqlQuery, statements } from '../warehouse/migrations.js';
import { versionTimestamp } from '../warehouse/warehouse.js';
import { SCHOOL_COLUMNS, SchoolsRepository } from '../reference/schools.repository.js';
import { BREAKDOWN_NAMES } from '../contract/vocabulary.js';
import { ROLLUPS, type Slice, type Stage } from './catalogue.js';

const DATES = ['2026-11-30', '2026-12-01'];
const MARK_COLUMNS = 'urn date pupil_key session code category year_group fsm sen received_at'.split(' ');
const CODES = [
  ['/', 'present'],
  ['L', 'present'],
  ['I', 'authorised'],
  ['O', 'unauthorised'],
  ['B', 'aea'],
  ['X', 'not_possible'],
];
const YEARS = ['R', '1', '5', '11', '12', 'N2'];
/** Census values: labelled ones, and one without a label (unclassified). */
const FSM = ['Y', 'N', 'N', 'U'];
const SEN = ['N', 'K', 'E', 'N', 'Z'];
/** The tables' sorting keys: a row's identity, whose latest version is current. */
const ORDER_KEY: Record<string, string> = {
  school_enrolments: 'period, topic, start, urn, cohort',
  la_enrolments: 'period, topic, start, la_code, phase, cohort',
};

let dir: string;
let warehouse: ChdbWarehouse;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'day-statements-'));
  warehouse = new ChdbWarehouse(dir);
  await migrate(warehouse);
  // The replaced rows stay beside the new ones: each statement's rows are read by their version.
  for (const table of Object.keys(ORDER_KEY)) await warehouse.command(`SYSTEM STOP MERGES ${table}`);
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
          // School 100011 has no counted pupil (a sixth form): a school row without an enrolment.
          const year = school === 11 ? '12' : YEARS[(school + pupil + (k % 4 === 0 ? s : 0)) % YEARS.length];
          // A pupil's census values may change from one day to the next.
          const census = [FSM[(pupil + d * round) % FSM.length], SEN[(school + pupil + d) % SEN.length]];
          const fields = [100000 + school, date, `p${school}-${pupil}`, session, code, category, year, ...census];
          rows.push([...fields, versionTimestamp()].join(','));
        }
  await warehouse.insert('marks', MARK_COLUMNS, Buffer.from(rows.join('\n')), 'CSV');
}

/** The stage's statement of the table (its `statement`: another, with the parameters of a longer period's stage). */
async function recompute(table: string, stage: Stage, slices: Slice[], statement?: string): Promise<void> {
  const pairs = slices.map(([urn, date]): [number, { start: string; end: string }] => [
    urn,
    { start: date, end: date },
  ]);
  const rollup = ROLLUPS.find((r) => r.table === table)!;
  const input = { slices, period: 'day' as const, pairs, terms: [] };
  const sql = await sqlQuery(statement ?? rollup.statementIn?.[stage] ?? rollup.statement);
  await warehouse.command(sql, rollup.stages[stage]!(input), 'background');
}

const dayStages = async (slices: Slice[]) => {
  for (const table of ['pupil_daily', 'school_daily', 'la_daily']) await recompute(table, 'day', slices);
  for (const table of ['school_cohort_daily', 'la_daily']) await recompute(table, 'breakdowns', slices);
};

/**
 * The general statements of the enrolment counts (grouping per pupil, for every topic), given the days as a longer
 * period's stage gives its periods.
 */
const generalStatements = async (slices: Slice[]) => {
  await recompute('school_enrolments', 'year', slices, 'rollup_school_enrolments');
  await recompute('la_enrolments', 'year', slices, 'rollup_la_enrolments');
};

/** The days' counts a reader sees in the table: its current rows (FINAL) with an enrolment, every topic. */
function counts(table: string) {
  return warehouse.query(
    `SELECT * EXCEPT computed_at FROM ${table} WHERE period = 'day' AND enrolments > 0
       AND (${ORDER_KEY[table]}, computed_at) IN (SELECT ${ORDER_KEY[table]}, max(computed_at) FROM ${table} GROUP BY ALL)
     ORDER BY ALL`,
  );
}
const bothCounts = async () => [await counts('school_enrolments'), await counts('la_enrolments')];

it("writes through the day's roll-ups' views the day's enrolment counts the general statements write", async () => {
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
    // The day's stages, then the general statements over the same rows, then the day's stages again: each leaves the
    // same counts, whichever wrote them last.
    await dayStages(slices);
    const first = await bothCounts();
    await generalStatements(slices);
    const general = await bothCounts();
    await dayStages(slices);
    const again = await bothCounts();
    for (const rows of first) {
      const topics = new Set(rows.map((row) => (row as { topic: string }).topic));
      expect([...topics].sort()).toEqual(['', ...BREAKDOWN_NAMES].sort());
    }
    expect(general).toEqual(first);
    expect(again).toEqual(first);
  }
}, 60_000);

it("keeps every school's counts in the day's LA sums across the upgrades that added the views", async () => {
  const slices = [...Array(13).keys()].flatMap((i) => DATES.map((date): Slice => [100000 + i, date]));
  // Rolled up as before the upgrades: the day's counts by the general statements, none in the schools' day rows.
  await dayStages(slices);
  await generalStatements(slices);
  const before = await bothCounts();
  for (const table of ['school_daily', 'school_cohort_daily'])
    await warehouse.command(
      `ALTER TABLE ${table} UPDATE enrolments = 0, persistent = 0, severe = 0 WHERE true SETTINGS mutations_sync = 1`,
    );
  // The upgrades' copies of those counts into the schools' day rows, then one school's register of one day again.
  for (const [file, table] of [
    ['0030_day_enrolments.sql', 'school_daily'],
    ['0031_cohort_day_enrolments.sql', 'school_cohort_daily'],
  ]) {
    const upgrade = statements(readFileSync(join(SQL_DIR, file), 'utf8'));
    await warehouse.command(upgrade.find((s) => s.startsWith(`INSERT INTO ${table}`))!);
  }
  await dayStages([[100003, DATES[0]]]);
  expect(await bothCounts()).toEqual(before);
}, 60_000);
