// The national-scale data generator for the benchmarks: whole school days of registers written straight into
// ClickHouse with INSERT ... SELECT (no CSV, no HTTP), then rolled up by the product's own roll-up queries. Separate
// from the realistic simulator (pipelines/simulator), whose registers go through the API: this one builds a year of
// data in minutes, with plausible but simpler pupils.
//
//   node dist/tests/bench/generate.js --data-dir DIR [--scale 0.05] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--seed 1]
//
// Days: Monday to Friday inside the term calendar's half terms (TERM_CALENDAR, as the server reads it) from `from`
// (default 1 September of the previous academic year: a whole year, about 195 days, beside this one) to `to`
// (default today, or the Friday before a weekend).
//
// Schools: the simulator's synthetic schools at the scale (1 = England: ~20,900 schools, ~8 M pupils on roll).
// Pupils: one absence propensity each (70% 2.5% of days, 18% 8%, 9% 20%, 3% 55%: about 6.6% overall), absent for whole
// days, with an illness-led mix of reasons; characteristics drawn per pupil (FSM at the school's share).
import { parseArgs } from 'node:util';
import { ROLLUPS } from '../../server/src/rollup/catalogue.js';
import { RollupRepository } from '../../server/src/rollup/rollup.repository.js';
import { RollupService } from '../../server/src/rollup/rollup.service.js';
import { academicYearStart, addDays, todayInLondon } from '../../server/src/common/dates.js';
import { liveDateFor } from '../../pipelines/simulator/simulator.js';
import {
  DEFAULT_TERM_CALENDAR,
  loadTermCalendar,
  schoolDays,
  type TermCalendar,
} from '../../server/src/calendar/term-calendar.js';
import { giasCsv, syntheticSchools } from '../../pipelines/simulator/synthetic-schools.js';
import type { SimSchool } from '../../pipelines/simulator/sim-school.js';
import { SchoolsRepository } from '../../server/src/reference/schools.repository.js';
import { SchoolsService } from '../../server/src/reference/schools.service.js';
import { ChdbWarehouse } from '../../server/src/warehouse/chdb-warehouse.js';
import { migrate } from '../../server/src/warehouse/migrations.js';
import type { Warehouse } from '../../server/src/warehouse/warehouse.js';
import { ENROLMENT_PERIODS, REGISTER_CODES } from '../../server/src/contract/vocabulary.js';

export interface GenerateOptions {
  scale: number;
  from: string;
  to: string;
  calendar: TermCalendar;
  seed?: number;
  log?: (line: string) => void;
}

export interface Generated {
  schools: number;
  pupils: number;
  dates: string[];
  marks: number;
  seconds: { reference: number; marks: number; rollups: number; merge: number };
}

const YEARS: Record<string, string[]> = {
  Primary: ['R', '1', '2', '3', '4', '5', '6'],
  Secondary: ['7', '8', '9', '10', '11'],
  SecondarySixth: ['7', '8', '9', '10', '11', '12', '13'],
  Special: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11'],
};

/**
 * The marks of the given schools (their pupils, year groups, FSM shares and LSOAs: generatedColumns) on the given days,
 * with each pupil's UPN and the pseudonym the marks table keeps instead: stored by INSERT_MARKS, or written out as
 * registers (tests/bench/national.ts). One row per mark; every random draw is a hash of (school, pupil[, date]) and the
 * seed, so a rerun gives the same data.
 */
export const GENERATED_MARKS = `
    SELECT s.1 AS urn, s.3[1 + p % length(s.3)] AS year_group, s.5 AS lsoa, d AS date, sess AS session,
           concat('A', leftPad(toString(urn), 6, '0'), leftPad(toString(p), 6, '0')) AS upn,
           lower(hex(SHA256(concat(toString(urn), '/', toString(p), '/', {seed:String})))) AS pupil_key,
           cityHash64(urn, p, {seed:String}) AS h,
           cityHash64(urn, p, d, {seed:String}) AS hd,
           multiIf(h % 1000 < 700, 25, h % 1000 < 880, 80, h % 1000 < 970, 200, 550) AS propensity,
           if(intDiv(h, 1000) % 2 = 0, 'F', 'M') AS sex,
           if(intDiv(h, 2000) % 1000 < s.4 * 10, 'Y', 'N') AS fsm,
           multiIf(intDiv(h, 2000000) % 100 < 4, 'E', intDiv(h, 2000000) % 100 < 17, 'K', 'N') AS sen,
           if(intDiv(h, 200000000) % 100 < 20, 'Y', 'N') AS eal,
           ['WHIT', 'WHIT', 'WHIT', 'WHIT', 'WHIT', 'WHIT', 'ASIA', 'ASIA', 'BLAC', 'MIXD', 'CHNE', 'AOEG'][1 + intDiv(h, 20000000000) % 12] AS ethnicity,
           if(intDiv(h, 240000000000) % 100 < 3, 'Y', 'N') AS cin,
           if(intDiv(h, 24000000000000) % 1000 < 10, 'Y', 'N') AS cla,
           multiIf(
               hd % 1000 < propensity,
               ['I', 'I', 'I', 'I', 'I', 'I', 'I', 'I', 'I', 'I', 'I', 'O', 'O', 'O', 'M', 'M', 'G', 'C', 'E', 'U'][1 + intDiv(hd, 1000) % 20],
               sess = 'AM' AND intDiv(hd, 100000) % 100 < 3, 'L',
               sess = 'AM', '/',
               '\\\\') AS code
    FROM (SELECT arrayJoin(arrayZip({urns:Array(UInt32)}, {pupils:Array(UInt32)}, {years:Array(Array(String))}, {fsm:Array(Float32)}, {lsoas:Array(String)})) AS s)
    ARRAY JOIN range(s.2) AS p
    ARRAY JOIN {dates:Array(Date)} AS d
    ARRAY JOIN ['AM', 'PM'] AS sess`;

/**
 * A day's marks are received at 08:00 that day (UTC; not after now), as a school's register would be: history is not
 * what the last minutes brought (the reconciliation looks at those).
 */
const INSERT_MARKS = `
INSERT INTO marks (urn, date, pupil_key, session, code, category, year_group, sex, fsm, sen, eal, ethnicity, cin, cla, lsoa, submission_id, received_at)
SELECT urn, date, pupil_key, session, code, transform(code, {codes:Array(String)}, {categories:Array(String)}, 'present'),
       year_group, sex, fsm, sen, eal, ethnicity, cin, cla, lsoa, toUUID('00000000-0000-4000-8000-000000000000'),
       least(toDateTime64(date, 6) + INTERVAL 8 HOUR, now64(6))
FROM (${GENERATED_MARKS})`;

/** GENERATED_MARKS' parameters for the schools. */
export const generatedColumns = (schools: SimSchool[]) => ({
  urns: schools.map((s) => s.urn),
  pupils: schools.map((s) => s.pupils),
  years: schools.map(
    (s) => YEARS[s.phase === 'Secondary' && s.sixthForm ? 'SecondarySixth' : s.phase] ?? YEARS.Special,
  ),
  fsm: schools.map((s) => s.fsmPercent),
  lsoas: schools.map((s) => s.lsoa),
});

/** Builds the schools, their registers for the days, and every roll-up, in an empty (or reused) store. */
export async function generate(warehouse: Warehouse, options: GenerateOptions): Promise<Generated> {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? 1;
  const t0 = Date.now();
  await migrate(warehouse);
  const repository = new SchoolsRepository(warehouse);
  await repository.loadLocalAuthorities();
  const schools = syntheticSchools(options.scale, seed, options.to);
  await new SchoolsService(repository).upload(Buffer.from(giasCsv(schools)));
  const t1 = Date.now();

  const dates = schoolDays(options.calendar, options.from, options.to);
  const codes = [...REGISTER_CODES.values()];
  const columns = generatedColumns(schools);
  const pupils = schools.reduce((sum, s) => sum + s.pupils, 0);
  log(
    `${schools.length} schools, ${pupils} pupils, ${dates.length} school days (${dates[0]} to ${dates.at(-1)}): ${pupils * 2 * dates.length} marks`,
  );
  // About 4 M marks an insert: big enough to be quick, small enough to stay well inside memory.
  const perInsert = Math.max(1, Math.floor(4_000_000 / (pupils * 2)));
  for (let i = 0; i < dates.length; i += perInsert) {
    await warehouse.command(INSERT_MARKS, {
      ...columns,
      dates: dates.slice(i, i + perInsert),
      codes: codes.map((c) => c.code),
      categories: codes.map((c) => c.category),
      seed: String(seed),
    });
  }
  const t2 = Date.now();
  log(`marks stored in ${((t2 - t1) / 1000).toFixed(1)} s`);

  // The product's own roll-up, in jobs of about 2 M marks: several days of every school, or part of a day at national
  // scale.
  const rollups = new RollupService(new RollupRepository(warehouse), { termCalendar: options.calendar });
  const marksPerDay = pupils * 2;
  const datesPerJob = Math.max(1, Math.floor(2_000_000 / marksPerDay));
  const schoolsPerJob = Math.ceil(schools.length / Math.max(1, Math.ceil(marksPerDay / 2_000_000)));
  for (let d = 0; d < dates.length; d += datesPerJob) {
    for (let s = 0; s < schools.length; s += schoolsPerJob) {
      const slices = dates
        .slice(d, d + datesPerJob)
        .flatMap((date) => schools.slice(s, s + schoolsPerJob).map((school): [number, string] => [school.urn, date]));
      await rollups.recompute('day', slices);
      await rollups.recompute('breakdowns', slices);
    }
  }
  // Longer periods once each, at the end, rather than once per job that touches them: jobs of about 1 M pupil-days.
  for (const period of ENROLMENT_PERIODS.filter((p) => p !== 'day')) {
    const starts = [...new Set(dates.flatMap((date) => rollups.periodOf(period, date)?.start ?? []))];
    const pupilDaysPerStart = (pupils * dates.length) / starts.length;
    const startsPerJob = Math.max(1, Math.floor(1_000_000 / pupilDaysPerStart));
    const schoolsPerPeriodJob = Math.ceil(schools.length / Math.max(1, Math.ceil(pupilDaysPerStart / 1_000_000)));
    for (let d = 0; d < starts.length; d += startsPerJob) {
      for (let s = 0; s < schools.length; s += schoolsPerPeriodJob) {
        await rollups.recompute(
          period,
          starts
            .slice(d, d + startsPerJob)
            .flatMap((start) =>
              schools.slice(s, s + schoolsPerPeriodJob).map((school): [number, string] => [school.urn, start]),
            ),
        );
      }
    }
  }
  const t3 = Date.now();
  log(`rolled up in ${((t3 - t2) / 1000).toFixed(1)} s`);
  // History built in minutes is still in the many small parts of its inserts, which background merges would have merged
  // over a year of school days: merged, FINAL reads a month without merging.
  for (const { table } of ROLLUPS) await warehouse.command(`OPTIMIZE TABLE ${table} FINAL`);
  const t4 = Date.now();
  log(`merged in ${((t4 - t3) / 1000).toFixed(1)} s`);
  return {
    schools: schools.length,
    pupils,
    dates,
    marks: pupils * 2 * dates.length,
    seconds: {
      reference: (t1 - t0) / 1000,
      marks: (t2 - t1) / 1000,
      rollups: (t3 - t2) / 1000,
      merge: (t4 - t3) / 1000,
    },
  };
}

if (process.argv[1]?.endsWith('generate.js')) {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      scale: { type: 'string', default: '0.05' },
      from: { type: 'string', default: academicYearStart(addDays(academicYearStart(todayInLondon()), -1)) },
      to: { type: 'string', default: liveDateFor(todayInLondon()) },
      seed: { type: 'string', default: '1' },
    },
  });
  if (!values['data-dir']) throw new Error('--data-dir is required');
  const warehouse = new ChdbWarehouse(values['data-dir']);
  const result = await generate(warehouse, {
    scale: Number(values.scale),
    from: values.from!,
    to: values.to!,
    calendar: loadTermCalendar(process.env.TERM_CALENDAR ?? DEFAULT_TERM_CALENDAR),
    seed: Number(values.seed),
    log: (line) => console.log(line),
  });
  await warehouse.close();
  console.log(JSON.stringify(result));
}
