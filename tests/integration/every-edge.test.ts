// Every register code and every edge, through the real server: tests/fixtures/register-every-edge.csv (then a later
// amendment file) for the six schools of gias-every-edge.csv, with the default term calendar. Every number below
// was worked out by hand from the marks (table below), never by running the server's code; the test checks every
// column of every row of the CSV export, and that the JSON gives the same rows.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { REASON_COLUMNS } from '../support/dfe-columns.js';
import { post, settled, startServer, type TestServer } from '../support/server.js';
import type { MeasuresResult } from '../../server/src/contract/api.js';

/*
 * Schools: 200001 Camden Primary (Primary), 200002 Camden Academy (Secondary), 200003 Camden Special (Special, a
 * community special school), 200004 Camden Alternative Provision (a PRU: Other, not in Total) in Camden (202, London);
 * 200005 City Primary, the one school of the City of London (201, London); 200006 Hartlepool All-through
 * (Secondary) in Hartlepool (805, North East), open on two holiday days.
 * Days: D1 Mon 15 Dec 2025 and D2 Tue 16 Dec (Autumn 2), D3 Fri 2 Jan 2026 (Christmas holiday, in week commencing
 * Mon 29 Dec 2025 = ISO week 1), D4 Mon 5 Jan (Spring 1), D5 Mon 16 Feb (February half-term break, in Spring term).
 *
 * Marks of counted pupils (years 1-11; AM PM). Not counted: A4 (Reception: / X, I O), B4 (Year 12: S /), E4
 * (Reception: / Y4), H4 (Year 12: / X, S S).
 *   200001 A1 Y3  fsm N sen N   D1 / \      D4 L \                    possible 4, absent 0
 *          A2 Y4  fsm Y sen K   D1 M* I     D4 I I                    4, 4 (*N, amended to M by a later file)
 *          A3 Y2  fsm Y sen N   D1 Z Z      D4 / U                    joins: 2, 1 (50%)
 *          A5 Y6  fsm N sen E   D1 V P      D4 C Y1                   3, 1 (33%)
 *   200002 B1 Y11 fsm N sen N   D1 S J1     2, 2      B2 Y9 fsm Y sen K  D1 D D (dual registered at 200004): none
 *          B3 Y10 fsm N sen N   D1 W J      2, 0      B5 Y8 fsm N sen E  D1 G H   2, 2
 *          B6 Y7  fsm Y sen N   D1 E E      2, 2      B7 Y7 fsm Y sen N  D1 / \   2, 0
 *   200003 SP1 Y5 fsm Y sen E   D1 K #      1, 0      SP2 Y9 fsm N sen E D1 C2 #  1, 1    SP3 Y11 fsm Y sen E D1 Q #: none
 *   200004 B2 Y9  fsm Y sen K   D1 / O      2, 1      G1 Y10 fsm N sen K D1 B N   2, 1
 *   200005 E1 Y1  fsm N sen N   D1 / Y4     1, 0      E2 Y2 fsm Y sen N  D1 C1 Y4 1, 1    E3 Y6 fsm N sen K D1 Y7 Y4: none
 *   200006 H1 Y7  sen N, fsm N until D3 then Y   D1 / \  D2 / \  D3 / M  D4 / \  D5 L \     10, 1: exactly 10%
 *          H2 Y10 fsm Y sen N   D1 I I  D2 O /  D3 / \  D4 R \  D5 / N* (*\, amended to N)   10, 5: exactly 50%
 *          H3 Y9  fsm N sen K   D1 Y2 Y3  D2 Y5 Y6  D3 F Y  D4 B T  D5 X /                  3, 1 (33%)
 */

/**
 * Hand counts: possible, present, AEA, authorised, unauthorised, late sessions; enrolments, persistent, severe;
 * schools; sessions per code.
 */
interface Counts {
  possible: number;
  present: number;
  aea: number;
  authorised: number;
  unauthorised: number;
  late: number;
  enrolments: number;
  pa: number;
  sa: number;
  schools: number;
  codes: Record<string, number>;
}
const c = (
  possible: number,
  present: number,
  aea: number,
  authorised: number,
  unauthorised: number,
  late: number,
  enrolments: number,
  pa: number,
  sa: number,
  schools: number,
  codes: Record<string, number>,
): Counts => ({ possible, present, aea, authorised, unauthorised, late, enrolments, pa, sa, schools, codes });

// One school on one day or bucket.
const S1_D1 = c(6, 2, 2, 2, 0, 0, 3, 1, 1, 1, { '/': 1, '\\': 1, V: 1, P: 1, M: 1, I: 1 });
const S1_D4 = c(7, 3, 0, 3, 1, 2, 4, 3, 3, 1, { '/': 1, '\\': 1, L: 1, I: 2, C: 1, U: 1 });
const S1_ALL = c(13, 5, 2, 5, 1, 2, 4, 3, 2, 1, { '/': 2, '\\': 2, L: 1, V: 1, P: 1, M: 1, I: 3, C: 1, U: 1 });
const S2_D1 = c(10, 2, 2, 5, 1, 0, 5, 3, 3, 1, { '/': 1, '\\': 1, W: 1, J: 1, S: 1, J1: 1, H: 1, E: 2, G: 1 });
const S3_D1 = c(2, 0, 1, 1, 0, 0, 2, 1, 1, 1, { K: 1, C2: 1 });
const S4_D1 = c(4, 1, 1, 0, 2, 0, 2, 2, 2, 1, { '/': 1, B: 1, O: 1, N: 1 });
const S5_D1 = c(2, 1, 0, 1, 0, 0, 2, 1, 1, 1, { '/': 1, C1: 1 });
const S6_D1 = c(4, 2, 0, 2, 0, 0, 2, 1, 1, 1, { '/': 1, '\\': 1, I: 2 });
const S6_D2 = c(4, 3, 0, 0, 1, 0, 2, 1, 1, 1, { '/': 2, '\\': 1, O: 1 });
const S6_D3 = c(4, 3, 0, 1, 0, 0, 2, 1, 1, 1, { '/': 2, '\\': 1, M: 1 });
const S6_D4 = c(6, 3, 1, 2, 0, 0, 3, 2, 2, 1, { '/': 1, '\\': 2, R: 1, B: 1, T: 1 });
const S6_D5 = c(5, 4, 0, 0, 1, 1, 3, 1, 1, 1, { '/': 2, '\\': 1, L: 1, N: 1 });
// 200006 over D1+D2 (week 51, Autumn 2, Autumn term): H2 absent 3 of 4.
const S6_D1D2 = c(8, 5, 0, 2, 1, 0, 2, 1, 1, 1, { '/': 3, '\\': 2, I: 2, O: 1 });
// 200006 on Mondays D1+D4+D5: H2 absent 4 of 6, H3 1 of 3.
const S6_MON = c(15, 9, 1, 4, 1, 1, 3, 2, 1, 1, { '/': 4, '\\': 4, L: 1, I: 2, R: 1, B: 1, T: 1, N: 1 });
// 200006 over D4+D5 (Spring term, the half-term break included): H2 2 of 4, H3 1 of 3.
const S6_SPRING = c(11, 7, 1, 2, 1, 1, 3, 2, 1, 1, { '/': 3, '\\': 3, L: 1, R: 1, B: 1, T: 1, N: 1 });
// 200006 over all five days: H1 1 of 10 (PA, not SA), H2 5 of 10 (SA), H3 1 of 3.
const S6_ALL = c(23, 15, 1, 5, 2, 1, 3, 3, 1, 1, { '/': 8, '\\': 6, L: 1, I: 2, O: 1, M: 1, R: 1, B: 1, T: 1, N: 1 });

// Several schools, added up by hand. Primary = 200001 + 200005; Secondary = 200002 + 200006; Total = Primary +
// Secondary + 200003; London = Total - 200006; Camden = London - 200005.
const PRI_D1 = c(8, 3, 2, 3, 0, 0, 5, 2, 2, 2, { '/': 2, '\\': 1, V: 1, P: 1, M: 1, I: 1, C1: 1 });
const PRI_ALL = c(15, 6, 2, 6, 1, 2, 6, 4, 3, 2, { '/': 3, '\\': 2, L: 1, V: 1, P: 1, M: 1, I: 3, C: 1, U: 1, C1: 1 });
const SEC_D1 = c(14, 4, 2, 7, 1, 0, 7, 4, 4, 2, { '/': 2, '\\': 2, W: 1, J: 1, S: 1, J1: 1, H: 1, E: 2, G: 1, I: 2 });
const SEC_D1D2 = c(18, 7, 2, 7, 2, 0, 7, 4, 4, 2, {
  '/': 4,
  '\\': 3,
  W: 1,
  J: 1,
  S: 1,
  J1: 1,
  H: 1,
  E: 2,
  G: 1,
  I: 2,
  O: 1,
});
const SEC_MON = c(25, 11, 3, 9, 2, 1, 8, 5, 4, 2, {
  '/': 5,
  '\\': 5,
  L: 1,
  W: 1,
  J: 1,
  S: 1,
  J1: 1,
  H: 1,
  E: 2,
  G: 1,
  I: 2,
  R: 1,
  B: 1,
  T: 1,
  N: 1,
});
const SEC_ALL = c(33, 17, 3, 10, 3, 1, 8, 6, 4, 2, {
  '/': 9,
  '\\': 7,
  L: 1,
  W: 1,
  J: 1,
  S: 1,
  J1: 1,
  H: 1,
  E: 2,
  G: 1,
  I: 2,
  O: 1,
  M: 1,
  R: 1,
  B: 1,
  T: 1,
  N: 1,
});
const TOT_D1 = c(24, 7, 5, 11, 1, 0, 14, 7, 7, 5, {
  '/': 4,
  '\\': 3,
  V: 1,
  P: 1,
  M: 1,
  I: 3,
  C1: 1,
  W: 1,
  J: 1,
  S: 1,
  J1: 1,
  H: 1,
  E: 2,
  G: 1,
  K: 1,
  C2: 1,
});
const TOT_D4 = c(13, 6, 1, 5, 1, 2, 7, 5, 5, 2, { '/': 2, '\\': 3, L: 1, I: 2, C: 1, U: 1, R: 1, B: 1, T: 1 });
const TOT_D1D2 = c(28, 10, 5, 11, 2, 0, 14, 7, 7, 5, {
  '/': 6,
  '\\': 4,
  V: 1,
  P: 1,
  M: 1,
  I: 3,
  C1: 1,
  W: 1,
  J: 1,
  S: 1,
  J1: 1,
  H: 1,
  E: 2,
  G: 1,
  O: 1,
  K: 1,
  C2: 1,
});
const TOT_MON = c(42, 17, 6, 16, 3, 3, 16, 10, 8, 5, {
  '/': 8,
  '\\': 7,
  L: 2,
  V: 1,
  P: 1,
  M: 1,
  I: 5,
  C: 1,
  U: 1,
  C1: 1,
  W: 1,
  J: 1,
  S: 1,
  J1: 1,
  H: 1,
  E: 2,
  G: 1,
  R: 1,
  B: 1,
  T: 1,
  N: 1,
  K: 1,
  C2: 1,
});
const TOT_SPRING = c(18, 10, 1, 5, 2, 3, 7, 5, 4, 2, {
  '/': 4,
  '\\': 4,
  L: 2,
  I: 2,
  C: 1,
  U: 1,
  R: 1,
  B: 1,
  T: 1,
  N: 1,
});
const TOT_ALL = c(50, 23, 6, 17, 4, 3, 16, 11, 8, 5, {
  '/': 12,
  '\\': 9,
  L: 2,
  V: 1,
  P: 1,
  M: 2,
  I: 5,
  C: 1,
  U: 1,
  C1: 1,
  W: 1,
  J: 1,
  S: 1,
  J1: 1,
  H: 1,
  E: 2,
  G: 1,
  O: 1,
  R: 1,
  B: 1,
  T: 1,
  N: 1,
  K: 1,
  C2: 1,
});
const LON_D1 = c(20, 5, 5, 9, 1, 0, 12, 6, 6, 4, {
  '/': 3,
  '\\': 2,
  V: 1,
  P: 1,
  M: 1,
  I: 1,
  W: 1,
  J: 1,
  S: 1,
  J1: 1,
  H: 1,
  E: 2,
  G: 1,
  K: 1,
  C2: 1,
  C1: 1,
});
const LON_ALL = c(27, 8, 5, 12, 2, 2, 13, 8, 7, 4, {
  '/': 4,
  '\\': 3,
  L: 1,
  V: 1,
  P: 1,
  M: 1,
  I: 3,
  C: 1,
  U: 1,
  W: 1,
  J: 1,
  S: 1,
  J1: 1,
  H: 1,
  E: 2,
  G: 1,
  K: 1,
  C2: 1,
  C1: 1,
});
const CAM_D1 = c(18, 4, 5, 8, 1, 0, 10, 5, 5, 3, {
  '/': 2,
  '\\': 2,
  V: 1,
  P: 1,
  M: 1,
  I: 1,
  W: 1,
  J: 1,
  S: 1,
  J1: 1,
  H: 1,
  E: 2,
  G: 1,
  K: 1,
  C2: 1,
});
const CAM_ALL = c(25, 7, 5, 11, 2, 2, 11, 7, 6, 3, {
  '/': 3,
  '\\': 3,
  L: 1,
  V: 1,
  P: 1,
  M: 1,
  I: 3,
  C: 1,
  U: 1,
  W: 1,
  J: 1,
  S: 1,
  J1: 1,
  H: 1,
  E: 2,
  G: 1,
  K: 1,
  C2: 1,
});

type Frame = 'period' | 'daily' | 'weekly' | 'weekday' | 'half_term' | 'term';
type Row = Record<string, string>;

/** Each frame's buckets (named by their own column) and EES time columns. */
const TIME: Record<Frame, Record<string, Row>> = {
  period: { '': { time_period: '202526', time_identifier: 'Academic year' } },
  daily: {
    '2025-12-15': { time_period: '2025', time_identifier: 'Week 51', attendance_date: '2025-12-15' },
    '2025-12-16': { time_period: '2025', time_identifier: 'Week 51', attendance_date: '2025-12-16' },
    // ISO week 1 (of 2026), whose Monday is in 2025: EES writes the week commencing's year.
    '2026-01-02': { time_period: '2025', time_identifier: 'Week 1', attendance_date: '2026-01-02' },
    '2026-01-05': { time_period: '2026', time_identifier: 'Week 2', attendance_date: '2026-01-05' },
    '2026-02-16': { time_period: '2026', time_identifier: 'Week 8', attendance_date: '2026-02-16' },
  },
  weekly: {
    '2025-12-15': { time_period: '2025', time_identifier: 'Week 51', week_commencing: '2025-12-15' },
    '2025-12-29': { time_period: '2025', time_identifier: 'Week 1', week_commencing: '2025-12-29' },
    '2026-01-05': { time_period: '2026', time_identifier: 'Week 2', week_commencing: '2026-01-05' },
    '2026-02-16': { time_period: '2026', time_identifier: 'Week 8', week_commencing: '2026-02-16' },
  },
  weekday: Object.fromEntries(
    ['Monday', 'Tuesday', 'Friday'].map((day) => [
      day,
      { time_period: '202526', time_identifier: 'Academic year', day_of_week: day },
    ]),
  ),
  half_term: {
    'Autumn 2': { time_period: '202526', time_identifier: 'Autumn term', half_term: 'Autumn 2' },
    'Spring 1': { time_period: '202526', time_identifier: 'Spring term', half_term: 'Spring 1' },
  },
  term: {
    'Autumn term': { time_period: '202526', time_identifier: 'Autumn term' },
    'Spring term': { time_period: '202526', time_identifier: 'Spring term' },
  },
};
const BUCKET_COLUMN: Record<Frame, string> = {
  period: '',
  daily: 'attendance_date',
  weekly: 'week_commencing',
  weekday: 'day_of_week',
  half_term: 'half_term',
  term: 'time_identifier',
};

type Buckets = Record<Frame, Record<string, Counts>>;
/** A school (or set of schools) that submitted on D1 only: that day is its row in every frame. */
const d1Only = (d1: Counts): Buckets => ({
  period: { '': d1 },
  daily: { '2025-12-15': d1 },
  weekly: { '2025-12-15': d1 },
  weekday: { Monday: d1 },
  half_term: { 'Autumn 2': d1 },
  term: { 'Autumn term': d1 },
});
/** Schools that submitted on D1 and D4 (200001, with 200005 on D1): D3 and D5 are 200006's alone. */
const d1AndD4 = (d1: Counts, d4: Counts, all: Counts): Buckets => ({
  period: { '': all },
  daily: { '2025-12-15': d1, '2026-01-05': d4 },
  weekly: { '2025-12-15': d1, '2026-01-05': d4 },
  weekday: { Monday: all },
  half_term: { 'Autumn 2': d1, 'Spring 1': d4 },
  term: { 'Autumn term': d1, 'Spring term': d4 },
});
/** Sets that hold 200006: its other days are its own (D2 Tuesday, D3 Friday and week 1, D5 week 8 and no half term). */
const withHartlepool = (b: {
  d1: Counts;
  d4: Counts;
  d1d2: Counts;
  mon: Counts;
  spring: Counts;
  all: Counts;
}): Buckets => ({
  period: { '': b.all },
  daily: { '2025-12-15': b.d1, '2025-12-16': S6_D2, '2026-01-02': S6_D3, '2026-01-05': b.d4, '2026-02-16': S6_D5 },
  weekly: { '2025-12-15': b.d1d2, '2025-12-29': S6_D3, '2026-01-05': b.d4, '2026-02-16': S6_D5 },
  weekday: { Monday: b.mon, Tuesday: S6_D2, Friday: S6_D3 },
  half_term: { 'Autumn 2': b.d1d2, 'Spring 1': b.d4 },
  term: { 'Autumn term': b.d1d2, 'Spring term': b.spring },
});

const SETS = {
  s200001: d1AndD4(S1_D1, S1_D4, S1_ALL),
  s200002: d1Only(S2_D1),
  s200003: d1Only(S3_D1),
  s200004: d1Only(S4_D1),
  s200005: d1Only(S5_D1),
  s200006: withHartlepool({ d1: S6_D1, d4: S6_D4, d1d2: S6_D1D2, mon: S6_MON, spring: S6_SPRING, all: S6_ALL }),
  primary: d1AndD4(PRI_D1, S1_D4, PRI_ALL),
  secondary: withHartlepool({ d1: SEC_D1, d4: S6_D4, d1d2: SEC_D1D2, mon: SEC_MON, spring: S6_SPRING, all: SEC_ALL }),
  total: withHartlepool({ d1: TOT_D1, d4: TOT_D4, d1d2: TOT_D1D2, mon: TOT_MON, spring: TOT_SPRING, all: TOT_ALL }),
  london: d1AndD4(LON_D1, S1_D4, LON_ALL),
  camden: d1AndD4(CAM_D1, S1_D4, CAM_ALL),
} satisfies Record<string, Buckets>;
type SetName = keyof typeof SETS;

interface Geography {
  id: string;
  columns: Row;
  phases: Partial<Record<string, SetName>>;
}
const ENGLAND = { country_code: 'E92000001', country_name: 'England' };
const NO_AREA = {
  region_code: '',
  region_name: '',
  new_la_code: '',
  la_name: '',
  old_la_code: '',
  school_urn: '',
  school_name: '',
};
const LONDON = { region_code: 'E12000007', region_name: 'London' };
const NORTH_EAST = { region_code: 'E12000001', region_name: 'North East' };
const CAMDEN = { ...LONDON, new_la_code: 'E09000007', la_name: 'Camden', old_la_code: '202' };
const CITY = { ...LONDON, new_la_code: 'E09000001', la_name: 'City of London', old_la_code: '201' };
const HARTLEPOOL = { ...NORTH_EAST, new_la_code: 'E06000001', la_name: 'Hartlepool', old_la_code: '805' };
const area = (level: string, columns: Row): Row => ({ geographic_level: level, ...ENGLAND, ...NO_AREA, ...columns });
const school = (urn: string, name: string, la: Row, phase: string, set: SetName): Geography => ({
  id: urn,
  columns: area('School', { ...la, school_urn: urn, school_name: name }),
  phases: phase === 'Other' ? { Other: set } : { [phase]: set, Total: set },
});

const GEOGRAPHIES: Record<'national' | 'regional' | 'la' | 'school', Geography[]> = {
  national: [
    {
      id: 'E92000001',
      columns: area('National', {}),
      phases: { Primary: 'primary', Secondary: 'secondary', Special: 's200003', Other: 's200004', Total: 'total' },
    },
  ],
  regional: [
    {
      id: 'E12000007',
      columns: area('Regional', LONDON),
      phases: { Primary: 'primary', Secondary: 's200002', Special: 's200003', Other: 's200004', Total: 'london' },
    },
    { id: 'E12000001', columns: area('Regional', NORTH_EAST), phases: { Secondary: 's200006', Total: 's200006' } },
  ],
  la: [
    {
      id: '202',
      columns: area('Local authority', CAMDEN),
      phases: { Primary: 's200001', Secondary: 's200002', Special: 's200003', Other: 's200004', Total: 'camden' },
    },
    { id: '201', columns: area('Local authority', CITY), phases: { Primary: 's200005', Total: 's200005' } },
    { id: '805', columns: area('Local authority', HARTLEPOOL), phases: { Secondary: 's200006', Total: 's200006' } },
  ],
  school: [
    school('200001', 'Camden Primary', CAMDEN, 'Primary', 's200001'),
    school('200002', 'Camden Academy', CAMDEN, 'Secondary', 's200002'),
    school('200003', 'Camden Special', CAMDEN, 'Special', 's200003'),
    school('200004', 'Camden Alternative Provision', CAMDEN, 'Other', 's200004'),
    school('200005', 'City Primary', CITY, 'Primary', 's200005'),
    school('200006', 'Hartlepool All-through', HARTLEPOOL, 'Secondary', 's200006'),
  ],
};
const GEO_COLUMN = { national: 'country_code', regional: 'region_code', la: 'old_la_code', school: 'school_urn' };
/**
 * For the public, an LA with one school in the phase is c (the City of London, Hartlepool, and each of Camden's
 * phases).
 */
const ONE_SCHOOL = new Set([
  '202|Primary',
  '202|Secondary',
  '202|Special',
  '202|Other',
  '201|Primary',
  '201|Total',
  '805|Secondary',
  '805|Total',
]);
// And, so that London's total less Camden's cannot give the City's, Camden's Total (secondary suppression).
const HIDDEN_FOR_PUBLIC = new Set([...ONE_SCHOOL, '202|Total']);

// DfE's rates of one register code's sessions.
const CODE_RATES: [string, string][] = [
  ['illness_perc', 'I'],
  ['appointments_perc', 'M'],
  ['unauth_hol_perc', 'G'],
  ['unauth_oth_perc', 'O'],
  ['unauth_late_registers_closed_perc', 'U'],
  ['unauth_not_yet_perc', 'N'],
  ['auth_religious_perc', 'R'],
  ['auth_study_perc', 'S'],
  ['auth_mob_perc', 'T'],
  ['auth_excluded_perc', 'E'],
  ['auth_performance_perc', 'C1'],
  ['auth_interview_perc', 'J1'],
  ['auth_part_time_perc', 'C2'],
  ['auth_other_perc', 'C'],
];

/** Every measure column of a row, from hand counts: rates are sessions / possible sessions x 100 ('z' with none). */
function measures(n: Counts): Row {
  const rate = (x: number, of: number) => (of > 0 ? ((x / of) * 100).toFixed(9) : 'z');
  const code = (k: string) => n.codes[k] ?? 0;
  const row: Row = {
    num_schools: `${n.schools}`,
    enrolments: `${n.enrolments}`,
    present_sessions: `${n.present}`,
    overall_attendance: `${n.present + n.aea}`,
    approved_educational_activity: `${n.aea}`,
    overall_absence: `${n.authorised + n.unauthorised}`,
    authorised_absence: `${n.authorised}`,
    unauthorised_absence: `${n.unauthorised}`,
    late_sessions: `${n.late}`,
    possible_sessions: `${n.possible}`,
    reason_present: `${code('/') + code('\\')}`,
    persistent_absentees: `${n.pa}`,
    severe_absentees: `${n.sa}`,
    attendance_perc: rate(n.present + n.aea, n.possible),
    overall_absence_perc: rate(n.authorised + n.unauthorised, n.possible),
    authorised_absence_perc: rate(n.authorised, n.possible),
    unauthorised_absence_perc: rate(n.unauthorised, n.possible),
    pa_perc: rate(n.pa, n.enrolments),
    sa_perc: rate(n.sa, n.enrolments),
  };
  for (const [k, column] of REASON_COLUMNS) row[column] = `${code(k)}`;
  for (const [column, k] of CODE_RATES) row[column] = rate(code(k), n.possible);
  return row;
}
const EMPTY = c(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, {});

/** Rates compared to 9 decimal places; every other cell exactly. */
const comparable = (row: Row) =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, k.endsWith('_perc') && !['z', 'c'].includes(v) ? Number(v).toFixed(9) : v]),
  );
const suppressed = (row: Row) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k in measures(EMPTY) && k !== 'num_schools' ? 'c' : v]));

let server: TestServer;
const PERIOD = 'from=2025-12-15&to=2026-02-16';

/** The CSV's columns that the JSON does not have: DfE's register totals and our distinct counts. */
const CSV_ONLY = ['total_num_schools', 'total_enrolments', 'num_schools_distinct', 'enrolments_distinct'];

/** The CSV export's rows as they are, with DfE's num_schools and enrolments (means of the daily counts). */
async function csvRows(query: string, token?: string): Promise<Row[]> {
  const headers = token ? { authorization: `Bearer ${token}` } : undefined;
  const csv = await fetch(`${server.url}/api/v1/export/attendance.csv?${query}`, { headers });
  expect(csv.status).toBe(200);
  return parse(await csv.text(), { columns: true }) as Row[];
}

/**
 * The CSV export's rows, after checking that the JSON endpoint answers the same columns and numbers, with num_schools
 * and enrolments as the JSON gives them: the distinct counts (the CSV's num_schools_distinct, enrolments_distinct).
 */
async function exportRows(query: string, token?: string): Promise<Row[]> {
  const headers = token ? { authorization: `Bearer ${token}` } : undefined;
  const [csv, json] = await Promise.all([
    fetch(`${server.url}/api/v1/export/attendance.csv?${query}`, { headers }),
    fetch(`${server.url}/api/v1/measures?${query}`, { headers }),
  ]);
  expect([csv.status, json.status]).toEqual([200, 200]);
  const text = await csv.text();
  const body = (await json.json()) as MeasuresResult;
  expect(text.slice(0, text.indexOf('\n')).split(',').sort()).toEqual([...body.columns, ...CSV_ONLY].sort());
  const rows = (parse(text, { columns: true }) as Row[]).map(
    ({ num_schools_distinct, enrolments_distinct, total_num_schools: _, total_enrolments: __, ...row }) => ({
      ...row,
      num_schools: num_schools_distinct,
      enrolments: enrolments_distinct,
    }),
  );
  expect(rows).toEqual(
    body.rows.map((r) => Object.fromEntries(body.columns.map((column) => [column, String(r[column] ?? 'z')]))),
  );
  return rows;
}

/**
 * Compares a query's rows, all of them and every column, with the hand-built ones keyed
 * geography|bucket|phase|breakdown.
 */
function expectRows(actual: Row[], expected: Map<string, Row>, keyOf: (r: Row) => string) {
  expect(actual.map(keyOf).sort()).toEqual([...expected.keys()].sort());
  for (const row of actual) expect(comparable(row)).toEqual(comparable(expected.get(keyOf(row))!));
}

beforeAll(async () => {
  server = await startServer();
  expect(
    (
      await post(
        server,
        '/api/v1/reference/schools',
        readFileSync('tests/fixtures/gias-every-edge.csv'),
        server.token('admin'),
      )
    ).status,
  ).toBe(201);
  const submitter = server.token('submitter');
  expect(
    (await post(server, '/api/v1/submissions', readFileSync('tests/fixtures/register-every-edge.csv'), submitter))
      .status,
  ).toBe(202);
  await settled(server);
  // A later file amends two marks: A2's N becomes M (same absence, another reason); H2's \ becomes N (severe now).
  expect(
    (
      await post(
        server,
        '/api/v1/submissions',
        readFileSync('tests/fixtures/register-every-edge-amendments.csv'),
        submitter,
      )
    ).status,
  ).toBe(202);
  await settled(server);
});
afterAll(() => server?.stop());

const LEVELS = ['national', 'regional', 'la', 'school'] as const;
const FRAMES = Object.keys(TIME) as Frame[];

describe.each(LEVELS)('%s level', (level) => {
  const keyOf = (frame: Frame) => (r: Row) =>
    `${r[GEO_COLUMN[level]]}|${BUCKET_COLUMN[frame] ? r[BUCKET_COLUMN[frame]] : ''}|${r.education_phase}`;

  function expected(frame: Frame, publicView: boolean): Map<string, Row> {
    const rows = new Map<string, Row>();
    for (const geo of GEOGRAPHIES[level]) {
      for (const [phase, set] of Object.entries(geo.phases)) {
        for (const [bucket, counts] of Object.entries(SETS[set!][frame])) {
          const row = {
            ...geo.columns,
            ...TIME[frame][bucket],
            education_phase: phase,
            breakdown_topic: 'Total',
            breakdown: 'Total',
            ...measures(counts),
          };
          rows.set(
            `${geo.id}|${bucket}|${phase}`,
            publicView && HIDDEN_FOR_PUBLIC.has(`${geo.id}|${phase}`) ? suppressed(row) : row,
          );
        }
      }
    }
    return rows;
  }

  it.each(FRAMES)('gives every number of frame=%s as worked out by hand', async (frame) => {
    // A user with pupil-level rights to every school: the fixture's few pupils are suppressed for everyone else.
    const token = server.token('la');
    const rows = await exportRows(`level=${level}&${PERIOD}&frame=${frame}`, token);
    const want = expected(frame, false);
    // Over a period every area has a Total row: those without schools here show 0 and z.
    const others = rows.filter((r) => !want.has(keyOf(frame)(r)));
    expect(others).toHaveLength(frame === 'period' ? { national: 0, regional: 7, la: 150, school: 0 }[level] : 0);
    for (const r of others) want.set(keyOf(frame)(r), { ...r, ...measures(EMPTY) });
    expectRows(rows, want, keyOf(frame));
  });

  if (level === 'la') {
    it.each(FRAMES)('suppresses one-school LAs and phases for the public in frame=%s', async (frame) => {
      const rows = (await exportRows(`level=la&${PERIOD}&frame=${frame}`)).filter((r) =>
        ['202', '201', '805'].includes(r.old_la_code),
      );
      expectRows(rows, expected(frame, true), keyOf(frame));
    });
  }
});

describe("DfE's counts in the CSV", () => {
  it('gives num_schools and enrolments as means of the daily counts, beside the distinct counts and the register', async () => {
    // Hartlepool (805), Secondary, D1-D5: H1 and H2 have possible sessions every day, H3 on D4 and D5 only: 2, 2, 2,
    // 3, 3 enrolments a day (mean 2.4), one school each day; 3 enrolments in the period. GIAS: 1,500 pupils.
    const [hartlepool] = await csvRows(`level=la&code=805&${PERIOD}&phase=Secondary`, server.token('la', ['805']));
    expect(hartlepool).toMatchObject({
      num_schools: '1',
      enrolments: '2.4',
      num_schools_distinct: '1',
      enrolments_distinct: '3',
      total_num_schools: '1',
      total_enrolments: '1500',
    });
    // For the public, its one school hides the pupils, as DfE's files do (num_schools and total_num_schools stay).
    const [hidden] = await csvRows(`level=la&code=805&${PERIOD}&phase=Secondary`);
    expect(hidden).toMatchObject({
      num_schools: '1',
      enrolments: 'c',
      num_schools_distinct: '1',
      enrolments_distinct: 'c',
      total_num_schools: '1',
      total_enrolments: 'c',
    });
    // A cohort's pupils are not in the school list: x.
    const fsm = await csvRows(`level=national&${PERIOD}&breakdown=fsm`, server.token('la'));
    expect(new Set(fsm.map((r) => r.total_enrolments))).toEqual(new Set(['x']));
  });
});

describe('breakdowns', () => {
  const cohorts = (
    topic: string,
    phases: Record<string, Record<string, Counts>>,
    columns: Row,
    time: Row = TIME.period[''],
  ) => {
    const rows = new Map<string, Row>();
    for (const [phase, byCohort] of Object.entries(phases)) {
      for (const [breakdown, counts] of Object.entries(byCohort)) {
        rows.set(`${time.time_identifier}|${phase}|${breakdown}`, {
          ...columns,
          ...time,
          education_phase: phase,
          breakdown_topic: topic,
          breakdown,
          ...measures(counts),
        });
      }
    }
    return rows;
  };
  const keyOf = (r: Row) => `${r.time_identifier}|${r.education_phase}|${r.breakdown}`;
  const FSM_Y = 'FSM eligible';
  const FSM_N = 'Not known to be FSM eligible';

  // Sessions count under the pupil's FSM that day, an enrolment under its latest: H1 is not FSM on D1-D3 (6 possible,
  // 1 absent) and FSM from D4 (4 possible); over the period H1 is an FSM enrolment, persistently absent (1 of 10).
  const NATIONAL_FSM = {
    Primary: {
      [FSM_Y]: c(7, 1, 0, 5, 1, 1, 3, 3, 3, 2, { '/': 1, M: 1, I: 3, U: 1, C1: 1 }),
      [FSM_N]: c(8, 5, 2, 1, 0, 1, 3, 1, 0, 2, { '/': 2, '\\': 2, L: 1, V: 1, P: 1, C: 1 }),
    },
    Secondary: {
      [FSM_Y]: c(18, 11, 0, 5, 2, 1, 4, 3, 2, 2, { '/': 5, '\\': 5, L: 1, E: 2, I: 2, O: 1, R: 1, N: 1 }),
      [FSM_N]: c(15, 6, 3, 5, 1, 0, 4, 3, 2, 2, {
        '/': 4,
        '\\': 2,
        S: 1,
        J1: 1,
        W: 1,
        J: 1,
        G: 1,
        H: 1,
        M: 1,
        B: 1,
        T: 1,
      }),
    },
    Special: {
      [FSM_Y]: c(1, 0, 1, 0, 0, 0, 1, 0, 0, 1, { K: 1 }),
      [FSM_N]: c(1, 0, 0, 1, 0, 0, 1, 1, 1, 1, { C2: 1 }),
    },
    Other: {
      [FSM_Y]: c(2, 1, 0, 0, 1, 0, 1, 1, 1, 1, { '/': 1, O: 1 }),
      [FSM_N]: c(2, 0, 1, 0, 1, 0, 1, 1, 1, 1, { B: 1, N: 1 }),
    },
    Total: {
      [FSM_Y]: c(26, 12, 1, 10, 3, 2, 8, 6, 5, 5, {
        '/': 6,
        '\\': 5,
        L: 1,
        M: 1,
        I: 5,
        U: 1,
        C1: 1,
        E: 2,
        O: 1,
        R: 1,
        N: 1,
        K: 1,
      }),
      [FSM_N]: c(24, 11, 5, 7, 1, 1, 8, 5, 3, 5, {
        '/': 6,
        '\\': 4,
        L: 1,
        V: 1,
        P: 1,
        C: 1,
        S: 1,
        J1: 1,
        W: 1,
        J: 1,
        G: 1,
        H: 1,
        M: 1,
        B: 1,
        T: 1,
        C2: 1,
      }),
    },
  };
  const NATIONAL_SEN = {
    Primary: {
      'No SEN': c(8, 6, 0, 1, 1, 2, 4, 2, 2, 2, { '/': 3, '\\': 2, L: 1, U: 1, C1: 1 }),
      'SEN support': c(4, 0, 0, 4, 0, 0, 1, 1, 1, 1, { M: 1, I: 3 }),
      'EHC plan': c(3, 0, 2, 1, 0, 0, 1, 1, 0, 1, { V: 1, P: 1, C: 1 }),
    },
    Secondary: {
      'No SEN': c(28, 16, 2, 8, 2, 1, 6, 4, 3, 2, {
        '/': 8,
        '\\': 7,
        L: 1,
        S: 1,
        J1: 1,
        W: 1,
        J: 1,
        E: 2,
        M: 1,
        I: 2,
        R: 1,
        O: 1,
        N: 1,
      }),
      'SEN support': c(3, 1, 1, 1, 0, 0, 1, 1, 0, 1, { '/': 1, B: 1, T: 1 }),
      'EHC plan': c(2, 0, 0, 1, 1, 0, 1, 1, 1, 1, { G: 1, H: 1 }),
    },
    Special: { 'EHC plan': S3_D1 },
    Other: { 'SEN support': S4_D1 },
    Total: {
      'No SEN': c(36, 22, 2, 9, 3, 3, 10, 6, 5, 4, {
        '/': 11,
        '\\': 9,
        L: 2,
        U: 1,
        C1: 1,
        S: 1,
        J1: 1,
        W: 1,
        J: 1,
        E: 2,
        M: 1,
        I: 2,
        R: 1,
        O: 1,
        N: 1,
      }),
      'SEN support': c(7, 1, 1, 5, 0, 0, 2, 2, 1, 2, { '/': 1, B: 1, T: 1, M: 1, I: 3 }),
      'EHC plan': c(7, 0, 3, 3, 1, 0, 4, 3, 2, 3, { V: 1, P: 1, C: 1, G: 1, H: 1, K: 1, C2: 1 }),
    },
  };
  // 200006 alone: the North East, Hartlepool and the school itself.
  const HARTLEPOOL_FSM = {
    [FSM_Y]: c(14, 9, 0, 3, 2, 1, 2, 2, 1, 1, { '/': 4, '\\': 4, L: 1, I: 2, R: 1, O: 1, N: 1 }),
    [FSM_N]: c(9, 6, 1, 2, 0, 0, 1, 1, 0, 1, { '/': 4, '\\': 2, M: 1, B: 1, T: 1 }),
  };
  const HARTLEPOOL_SEN = {
    'No SEN': c(20, 14, 0, 4, 2, 1, 2, 2, 1, 1, { '/': 7, '\\': 6, L: 1, M: 1, I: 2, R: 1, O: 1, N: 1 }),
    'SEN support': c(3, 1, 1, 1, 0, 0, 1, 1, 0, 1, { '/': 1, B: 1, T: 1 }),
  };
  const hartlepool = [
    ['regional', 'E12000001', area('Regional', NORTH_EAST)],
    ['la', '805', area('Local authority', HARTLEPOOL)],
    ['school', '200006', GEOGRAPHIES.school[5].columns],
  ] as const;

  it('splits every national number by FSM and by SEN, as worked out by hand', async () => {
    const dfe = server.token('la');
    expectRows(
      await exportRows(`level=national&${PERIOD}&breakdown=fsm`, dfe),
      cohorts('FSM', NATIONAL_FSM, GEOGRAPHIES.national[0].columns),
      keyOf,
    );
    expectRows(
      await exportRows(`level=national&${PERIOD}&breakdown=sen`, dfe),
      cohorts('SEN', NATIONAL_SEN, GEOGRAPHIES.national[0].columns),
      keyOf,
    );
  });

  it.each(hartlepool)(
    'splits the %s figures of Hartlepool All-through by FSM and by SEN',
    async (level, code, columns) => {
      const dfe = server.token('la');
      const bothPhases = <T>(cells: T) => ({ Secondary: cells, Total: cells });
      expectRows(
        await exportRows(`level=${level}&code=${code}&${PERIOD}&breakdown=fsm`, dfe),
        cohorts('FSM', bothPhases(HARTLEPOOL_FSM), columns),
        keyOf,
      );
      expectRows(
        await exportRows(`level=${level}&code=${code}&${PERIOD}&breakdown=sen`, dfe),
        cohorts('SEN', bothPhases(HARTLEPOOL_SEN), columns),
        keyOf,
      );
    },
  );

  it('splits terms by FSM: H1 counts as not FSM in the autumn term and FSM in the spring term', async () => {
    const rows = await exportRows(
      `level=school&code=200006&${PERIOD}&frame=term&breakdown=fsm&phase=Total`,
      server.token('la'),
    );
    const columns = GEOGRAPHIES.school[5].columns;
    const autumn = cohorts(
      'FSM',
      {
        Total: {
          [FSM_Y]: c(4, 1, 0, 2, 1, 0, 1, 1, 1, 1, { '/': 1, I: 2, O: 1 }),
          [FSM_N]: c(4, 4, 0, 0, 0, 0, 1, 0, 0, 1, { '/': 2, '\\': 2 }),
        },
      },
      columns,
      TIME.term['Autumn term'],
    );
    const spring = cohorts(
      'FSM',
      {
        Total: {
          [FSM_Y]: c(8, 6, 0, 1, 1, 1, 2, 1, 1, 1, { '/': 2, '\\': 3, L: 1, R: 1, N: 1 }),
          [FSM_N]: c(3, 1, 1, 1, 0, 0, 1, 1, 0, 1, { '/': 1, B: 1, T: 1 }),
        },
      },
      columns,
      TIME.term['Spring term'],
    );
    expectRows(rows, new Map([...autumn, ...spring]), keyOf);
  });

  it('leaves cohorts of fewer than 10 enrolments out for the public, beside a total it shows', async () => {
    // England: 16 enrolments in 5 schools, shown; its FSM cohorts hold fewer than 10 each: no row names them.
    expect(await exportRows(`level=national&${PERIOD}&breakdown=fsm&phase=Total`)).toEqual([]);
    const [england] = await exportRows(`level=national&${PERIOD}&phase=Total`);
    expect([england.num_schools, england.enrolments, england.possible_sessions]).toEqual(['5', '16', '50']);
  });
});

describe('term selector', () => {
  it('sets the period to a term or half term of the calendar', async () => {
    const national = GEOGRAPHIES.national[0].columns;
    const everyone = server.token('la');
    const spring = await exportRows('level=national&term=2025-26-spring&frame=term&phase=Total', everyone);
    expectRows(
      spring,
      new Map([
        [
          'Spring term',
          {
            ...national,
            ...TIME.term['Spring term'],
            education_phase: 'Total',
            breakdown_topic: 'Total',
            breakdown: 'Total',
            ...measures(TOT_SPRING),
          },
        ],
      ]),
      (r) => r.time_identifier,
    );
    const autumn2 = await exportRows('level=national&term=2025-26-autumn-2&frame=daily&phase=Total', everyone);
    expect(autumn2.map((r) => [r.attendance_date, r.possible_sessions])).toEqual([
      ['2025-12-15', '24'],
      ['2025-12-16', '4'],
    ]);
  });

  it('is described in the OpenAPI document', async () => {
    const openApi = (await (await fetch(`${server.url}/api/docs-json`)).json()) as {
      paths: Record<string, { get: { parameters: { name: string; schema: { enum?: string[] } }[] } }>;
    };
    for (const path of ['/api/v1/measures', '/api/v1/export/attendance.csv']) {
      const parameters = openApi.paths[path].get.parameters;
      expect(parameters.find((p) => p.name === 'frame')?.schema.enum).toEqual(
        expect.arrayContaining(['half_term', 'term']),
      );
      expect(parameters.map((p) => p.name)).toContain('term');
    }
  });

  it('says what is wrong with a term it cannot use', async () => {
    const errors = async (query: string) => {
      const response = await fetch(`${server.url}/api/v1/measures?${query}`);
      expect(response.status).toBe(400);
      return ((await response.json()) as { errors: { field: string; message: string }[] }).errors;
    };
    expect(await errors('term=2030-31-autumn')).toEqual([
      { field: 'term', message: expect.stringContaining('covers 2025/26, 2026/27') },
    ]);
    expect(await errors('term=spring&from=2026-01-05')).toEqual([
      { field: 'term', message: 'term sets from and to itself: leave them out' },
    ]);
    expect(await errors('term=winter')).toEqual([{ field: 'term', message: expect.stringContaining('autumn-1') }]);
  });
});
