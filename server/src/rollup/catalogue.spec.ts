import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SQL_DIR } from '../warehouse/migrations.js';
import { BREAKDOWN_NAMES, BREAKDOWNS } from '../contract/vocabulary.js';
import { readOf, ROLLUPS, STAGES } from './catalogue.js';

const migrations = readdirSync(SQL_DIR)
  .filter((f) => /^\d{4}_.*\.sql$/.test(f))
  .map((f) => readFileSync(join(SQL_DIR, f), 'utf8'))
  .join('\n');

describe('the roll-up catalogue', () => {
  it.each(ROLLUPS.map((r) => [r.table, r]))(
    '%s has its statement, which inserts into it, and its migration',
    (table, rollup) => {
      for (const name of [rollup.statement, ...Object.values(rollup.statementIn ?? {})]) {
        const statement = readFileSync(join(SQL_DIR, 'queries', `${name}.sql`), 'utf8');
        expect(statement).toMatch(new RegExp(`^INSERT INTO ${table}[\\n (]`, 'm'));
      }
      expect(migrations).toMatch(new RegExp(`CREATE TABLE IF NOT EXISTS ${table}\\b`));
      expect(Object.keys(rollup.stages).every((stage) => (STAGES as readonly string[]).includes(stage))).toBe(true);
    },
  );

  it('has exactly one table for each question the measures ask', () => {
    const asked = [
      ...[true, false].flatMap((breakdown) => [
        readOf('sessions', 'areas', 'day', breakdown),
        readOf('sessions', 'areas', 'month', breakdown),
        readOf('sessions', 'schools', 'day', breakdown),
        readOf('enrolments', 'areas', 'period', breakdown),
        readOf('enrolments', 'schools', 'period', breakdown),
        readOf('enrolments', 'pupils', 'day', breakdown),
        readOf('enrolments', 'pupils', 'week', breakdown),
      ]),
    ];
    expect(asked.map((read) => read.rows.split(' ')[0])).toEqual([
      'la_daily',
      'la_monthly',
      'school_cohort_daily',
      'la_enrolments',
      'school_enrolments',
      'pupil_daily',
      'pupil_weekly',
      'la_daily',
      'la_monthly',
      'school_daily',
      'la_enrolments',
      'school_enrolments',
      'pupil_daily',
      'pupil_weekly',
    ]);
    expect(() => readOf('sessions', 'pupils', 'day', false)).toThrow(/0 tables/);
  });

  it('adds up the LA sums after every school roll-up, from whole days or periods (no list of schools)', () => {
    // RollupService runs a stage's LA sums once, after every chunk of its schools.
    const firstSum = ROLLUPS.findIndex((r) => r.laSum);
    expect(ROLLUPS.slice(firstSum).every((r) => r.laSum)).toBe(true);
    for (const rollup of ROLLUPS)
      for (const name of [rollup.statement, ...Object.values(rollup.statementIn ?? {})]) {
        const statement = readFileSync(join(SQL_DIR, 'queries', `${name}.sql`), 'utf8');
        expect([name, /\{(slice_)?urns:/.test(statement)]).toEqual([name, !rollup.laSum]);
      }
  });

  it('recomputes every roll-up in some stage, and the day stage holds what a live push reads', () => {
    for (const rollup of ROLLUPS) expect(Object.keys(rollup.stages).length).toBeGreaterThan(0);
    const day = ROLLUPS.filter((r) => r.stages.day).map((r) => r.table);
    // All pupils' enrolment counts of the day are written with school_daily's and la_daily's rows, by their views.
    expect(day).toEqual(['pupil_daily', 'school_daily', 'la_daily']);
  });

  it("keeps each breakdown's labelled values within a byte of a longer period's census number", () => {
    // rollup_school_enrolments takes a row's census values as one 64-bit number: a byte a breakdown, each value its
    // place in the breakdown's list of labelled values (0 for unclassified).
    expect(BREAKDOWN_NAMES.length).toBeLessThanOrEqual(8);
    for (const name of BREAKDOWN_NAMES) expect(Object.keys(BREAKDOWNS[name].labels).length).toBeLessThan(256);
    const statement = readFileSync(join(SQL_DIR, 'queries', 'rollup_school_enrolments.sql'), 'utf8');
    for (const name of BREAKDOWN_NAMES) expect(statement).toContain(`transform(${name}, {${name}:Array(String)}`);
  });
});
