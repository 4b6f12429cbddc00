// Property: for random registers with random amendments, arriving in random order, every number of the export
// equals a naive recomputation from the raw marks, written here from DOMAIN.md and docs/measures.md without the
// server's code: at every level, phase, time frame (terms from an LA's own calendar) and breakdown.
import { readFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { mulberry32, type Rng } from '../../pipelines/simulator/random.js';
import { REASON_COLUMNS } from '../support/dfe-columns.js';
import { post, settled, startServer, type TestServer } from '../support/server.js';

// DOMAIN.md's register code table.
const GROUPS: Record<string, string[]> = {
  present: ['/', '\\', 'L'],
  aea: ['K', 'V', 'P', 'W', 'B', 'J'],
  authorised: ['I', 'M', 'R', 'S', 'T', 'E', 'C', 'C1', 'J1', 'C2', 'H'],
  unauthorised: ['G', 'U', 'O', 'N'],
  none: ['D', 'Q', 'Y', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', '#', 'Z', 'X', 'F'],
};
const groupOf = (code: string) => Object.keys(GROUPS).find((g) => GROUPS[g].includes(code))!;
const ALL_CODES = Object.values(GROUPS).flat();
const YEAR_GROUPS = ['N1', 'N2', 'R', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14'];
// From tests/fixtures/gias-every-edge.csv; 200004 is a pupil referral unit (Other: outside Total).
const SCHOOLS: Record<number, { region: string; la: string; phase: string }> = {
  200001: { region: 'E12000007', la: '202', phase: 'Primary' },
  200002: { region: 'E12000007', la: '202', phase: 'Secondary' },
  200003: { region: 'E12000007', la: '202', phase: 'Special' },
  200004: { region: 'E12000007', la: '202', phase: 'Other' },
  200005: { region: 'E12000007', la: '201', phase: 'Primary' },
  200006: { region: 'E12000001', la: '805', phase: 'Secondary' },
};
// Thursday and Friday of week 51, a Christmas holiday Friday (ISO week 1), Monday 5 January (still a holiday in this
// LA's calendar, not in the default one) and Tuesday 6, the February half-term break and the Monday after.
const DATES = ['2025-12-18', '2025-12-19', '2026-01-02', '2026-01-05', '2026-01-06', '2026-02-16', '2026-02-23'];
const CALENDAR = 'tests/fixtures/term-calendar-la.json';

// School census characteristics and their EES labels (docs/measures.md); a value without a label is "Unclassified".
const LABELS: Record<string, Record<string, string>> = {
  sex: { F: 'Female', M: 'Male' },
  fsm: { Y: 'FSM eligible', N: 'Not known to be FSM eligible' },
  sen: { E: 'EHC plan', K: 'SEN support', N: 'No SEN' },
  eal: { Y: 'Known or believed to be other than English', N: 'Known or believed to be English' },
  ethnicity: {
    WHIT: 'White',
    MIXD: 'Mixed',
    ASIA: 'Asian or Asian British',
    BLAC: 'Black or Black British',
    CHNE: 'Chinese',
    AOEG: 'Any other ethnic group',
  },
  cin: { Y: 'Child in need', N: 'Not child in need' },
  cla: { Y: 'Looked after', N: 'Not looked after' },
};
// What a register row says of the pupil: year group (required) and the census characteristics (optional).
const CHARACTERISTICS = ['year_group', ...Object.keys(LABELS)];
const valuesOf = (name: string) =>
  name === 'year_group' ? YEAR_GROUPS : [...Object.keys(LABELS[name]), '', ...(name === 'ethnicity' ? ['UNCL'] : [])];

interface Mark {
  urn: number;
  upn: string;
  date: string;
  session: string;
  code: string;
  census: Record<string, string>;
}
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const key = (m: Mark) => `${m.urn}|${m.upn}|${m.date}|${m.session}`;
const csv = (marks: Mark[]) =>
  `urn,upn,date,session,code,${CHARACTERISTICS.join(',')}\n` +
  marks
    .map((m) => [m.urn, m.upn, m.date, m.session, m.code, ...CHARACTERISTICS.map((c) => m.census[c])].join(','))
    .join('\n') +
  '\n';

/**
 * Random submissions: whole registers, then amendments of random marks, shuffled days; year groups and characteristics
 * change now and then.
 */
function randomSubmissions(rng: Rng): Mark[][] {
  const pupils = Object.keys(SCHOOLS).flatMap((urn) =>
    Array.from({ length: 4 + Math.floor(rng() * 8) }, (_, i) => ({
      urn: Number(urn),
      upn: `U${urn}${i}`,
      census: Object.fromEntries(CHARACTERISTICS.map((c) => [c, pick(rng, valuesOf(c))])),
    })),
  );
  // Each pupil's year group and characteristics day by day: now and then one changes from the day before.
  const censusOn = new Map<string, Record<string, string>[]>();
  let census = pupils.map((p) => p.census);
  for (const date of DATES) {
    census = census.map((before) =>
      Object.fromEntries(CHARACTERISTICS.map((c) => [c, rng() < 0.15 ? pick(rng, valuesOf(c)) : before[c]])),
    );
    censusOn.set(date, census);
  }
  const days = [...DATES].sort(() => rng() - 0.5);
  const submissions: Mark[][] = [];
  const sent: Mark[] = [];
  for (const date of days) {
    const register = pupils.flatMap((p, i) =>
      (['AM', 'PM'] as const)
        .filter(() => rng() < 0.9)
        .map((session) => ({ ...p, census: censusOn.get(date)![i], date, session, code: pick(rng, ALL_CODES) })),
    );
    submissions.push(register);
    sent.push(...register);
    if (sent.length && rng() < 0.8)
      submissions.push(
        Array.from({ length: 1 + Math.floor(rng() * 6) }, () => ({
          ...pick(rng, sent),
          code: pick(rng, ALL_CODES),
        })).filter((m, i, all) => all.findIndex((o) => key(o) === key(m)) === i),
      );
  }
  return submissions;
}

type Level = 'national' | 'regional' | 'la' | 'school';
type Frame = 'period' | 'daily' | 'weekly' | 'weekday' | 'half_term' | 'term';
const LEVELS: Level[] = ['national', 'regional', 'la', 'school'];
const FRAMES: Frame[] = ['period', 'daily', 'weekly', 'weekday', 'half_term', 'term'];
const BREAKDOWNS = [undefined, ...CHARACTERISTICS];
const GEO_COLUMN: Record<Level, string> = {
  national: 'country_code',
  regional: 'region_code',
  la: 'old_la_code',
  school: 'school_urn',
};
const BUCKET_COLUMN: Record<Frame, string | undefined> = {
  period: undefined,
  daily: 'attendance_date',
  weekly: 'week_commencing',
  weekday: 'day_of_week',
  half_term: 'half_term',
  term: 'time_identifier',
};

// The LA's calendar file: a half term from its first to its last day, a term from its first half's first day to its
// second half's last (the break between them included). Holidays outside them are in no term row.
const calendar = JSON.parse(readFileSync(CALENDAR, 'utf8')) as {
  years: Record<string, Record<string, { from: string; to: string }[]>>;
};
const TERMS = Object.values(calendar.years).flatMap((year) =>
  Object.entries(year).map(([term, [first, second]]) => ({ term, first, second })),
);
const HALF_TERMS = TERMS.flatMap(({ term, first, second }) => [
  { label: `${term} 1`, ...first },
  { label: `${term} 2`, ...second },
]);
const WHOLE_TERMS = TERMS.map(({ term, first, second }) => ({
  label: `${term} term`,
  from: first.from,
  to: second.to,
}));

function bucketOf(frame: Frame, date: string): string | undefined {
  const day = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  const monday = new Date(Date.parse(`${date}T00:00:00Z`) - day * 86_400_000).toISOString().slice(0, 10);
  const within = (spans: { label: string; from: string; to: string }[]) =>
    spans.find((s) => s.from <= date && date <= s.to)?.label;
  return {
    period: '',
    daily: date,
    weekly: monday,
    weekday: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][day],
    half_term: within(HALF_TERMS),
    term: within(WHOLE_TERMS),
  }[frame];
}

function geoOf(level: Level, urn: number): string {
  return { national: 'E92000001', regional: SCHOOLS[urn].region, la: SCHOOLS[urn].la, school: String(urn) }[level];
}

function cohortOf(breakdown: string | undefined, m: Mark): string {
  if (!breakdown) return 'Total';
  if (breakdown === 'year_group') return `Year ${m.census.year_group}`;
  return LABELS[breakdown][m.census[breakdown]] ?? 'Unclassified';
}

interface Totals {
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
  /** DfE's num_schools and enrolments: the means of the daily counts over the days with any. */
  meanSchools: number;
  meanEnrolments: number;
  reasons: Record<string, number>;
}
const zero = (): Totals => ({
  possible: 0,
  present: 0,
  aea: 0,
  authorised: 0,
  unauthorised: 0,
  late: 0,
  enrolments: 0,
  pa: 0,
  sa: 0,
  schools: 0,
  meanSchools: 0,
  meanEnrolments: 0,
  reasons: {},
});

/**
 * The naive recomputation: the last mark wins; DfE's method over years 1-11; Total = Primary + Secondary + Special.
 * Sessions count under the pupil's characteristic that day, an enrolment (and its school, in num_schools) under those
 * of its last day with a possible session in the bucket.
 */
function naive(marks: Iterable<Mark>, level: Level, frame: Frame, breakdown?: string): Record<string, Totals> {
  const groups = new Map<string, Totals & { urns: Set<number> }>();
  // Each cell's days: the enrolments (school and pupil) and schools with a possible session that day.
  const days = new Map<string, Map<string, { pupils: Set<string>; urns: Set<number> }>>();
  const group = (k: string) => groups.get(k) ?? groups.set(k, { ...zero(), urns: new Set() }).get(k)!;
  const phasesOf = (urn: number) => (SCHOOLS[urn].phase === 'Other' ? ['Other'] : [SCHOOLS[urn].phase, 'Total']);
  const enrolments = new Map<
    string,
    { where: string; urn: number; possible: number; absent: number; date: string; cohort: string }
  >();
  for (const m of marks) {
    const bucket = bucketOf(frame, m.date);
    if (!/^([1-9]|10|11)$/.test(m.census.year_group) || bucket === undefined) continue;
    const where = `${geoOf(level, m.urn)}|${bucket}`;
    const e = enrolments.get(`${where}|${m.urn}|${m.upn}`) ?? {
      where,
      urn: m.urn,
      possible: 0,
      absent: 0,
      date: '',
      cohort: '',
    };
    enrolments.set(`${where}|${m.urn}|${m.upn}`, e);
    const category = groupOf(m.code) as 'present' | 'aea' | 'authorised' | 'unauthorised' | 'none';
    if (category === 'none') continue;
    if (m.date >= e.date) Object.assign(e, { date: m.date, cohort: cohortOf(breakdown, m) });
    e.possible++;
    if (category === 'authorised' || category === 'unauthorised') e.absent++;
    for (const phase of phasesOf(m.urn)) {
      const cell = `${where}|${phase}|${cohortOf(breakdown, m)}`;
      const t = group(cell);
      const byDay = days.get(cell) ?? days.set(cell, new Map()).get(cell)!;
      const day = byDay.get(m.date) ?? byDay.set(m.date, { pupils: new Set(), urns: new Set() }).get(m.date)!;
      day.pupils.add(`${m.urn}|${m.upn}`);
      day.urns.add(m.urn);
      t.possible++;
      t[category]++;
      if (m.code === 'L' || m.code === 'U') t.late++;
      t.reasons[m.code] = (t.reasons[m.code] ?? 0) + 1;
    }
  }
  for (const e of enrolments.values()) {
    if (e.possible === 0) continue;
    for (const phase of phasesOf(e.urn)) {
      const t = group(`${e.where}|${phase}|${e.cohort}`);
      t.enrolments++;
      t.urns.add(e.urn);
      if (e.absent / e.possible >= 0.1) t.pa++;
      if (e.absent / e.possible >= 0.5) t.sa++;
    }
  }
  const mean = (cell: string, count: (day: { pupils: Set<string>; urns: Set<number> }) => number) => {
    const each = [...(days.get(cell)?.values() ?? [])];
    return each.length ? each.reduce((sum, day) => sum + count(day), 0) / each.length : 0;
  };
  return Object.fromEntries(
    [...groups].map(([k, { urns, ...t }]) => [
      k,
      {
        ...t,
        schools: urns.size,
        meanSchools: mean(k, (day) => day.urns.size),
        meanEnrolments: mean(k, (day) => day.pupils.size),
        reasons: withoutZeros(t.reasons),
      },
    ]),
  );
}

const withoutZeros = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));

/**
 * The export's rows with any session or enrolment (a row of zeros says the same as no row), keyed as naive() keys them.
 */
function actual(rows: Record<string, string>[], level: Level, frame: Frame): Record<string, Totals> {
  const n = (row: Record<string, string>, c: string) => Number(row[c]);
  return Object.fromEntries(
    rows
      .filter((row) => n(row, 'possible_sessions') > 0 || n(row, 'enrolments_distinct') > 0)
      .map((row) => [
        `${row[GEO_COLUMN[level]]}|${BUCKET_COLUMN[frame] ? row[BUCKET_COLUMN[frame]] : ''}|${row.education_phase}|${row.breakdown}`,
        {
          possible: n(row, 'possible_sessions'),
          present: n(row, 'present_sessions'),
          aea: n(row, 'approved_educational_activity'),
          authorised: n(row, 'authorised_absence'),
          unauthorised: n(row, 'unauthorised_absence'),
          late: n(row, 'late_sessions'),
          enrolments: n(row, 'enrolments_distinct'),
          pa: n(row, 'persistent_absentees'),
          sa: n(row, 'severe_absentees'),
          schools: n(row, 'num_schools_distinct'),
          meanSchools: n(row, 'num_schools'),
          meanEnrolments: n(row, 'enrolments'),
          reasons: withoutZeros(Object.fromEntries(REASON_COLUMNS.map(([code, column]) => [code, n(row, column)]))),
        },
      ]),
  );
}

// Each seed on a fresh server: its dates belong to it only.
let server: TestServer;
beforeEach(async () => {
  server = await startServer({ TERM_CALENDAR: CALENDAR });
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
});
afterEach(() => server?.stop());

// Two minutes a seed: about 35 s alone, but each export also reads the daily counts (DfE's means), and under the whole
// suite's load (npm test, two workers) a seed has taken over the default minute.
jest.setTimeout(120_000);
it.each([1, 2, 3])('export equals a naive recomputation from the marks (seed %i)', async (seed) => {
  const rng = mulberry32(seed * 7919);
  const truth = new Map<string, Mark>();
  for (const submission of randomSubmissions(rng)) {
    const response = await post(server, '/api/v1/submissions', csv(submission), server.token('submitter'));
    expect(response.status).toBe(202);
    for (const m of submission) truth.set(key(m), m);
  }
  await settled(server);
  const token = server.token('la'); // an LA user of every LA: pupil-level rights everywhere, so no cell is hidden
  // Every level and frame, each without a breakdown and with a third of the breakdowns: the three seeds cover them all.
  const queries = LEVELS.flatMap((level, l) =>
    FRAMES.flatMap((frame, f) =>
      BREAKDOWNS.filter((breakdown, b) => !breakdown || (l + f + b) % 3 === seed % 3).map((breakdown) => ({
        level,
        frame,
        breakdown,
      })),
    ),
  );
  const answers = await Promise.all(
    queries.map(async ({ level, frame, breakdown }) => {
      const url = `${server.url}/api/v1/export/attendance.csv?level=${level}&frame=${frame}&from=${DATES[0]}&to=${DATES.at(-1)}${breakdown ? `&breakdown=${breakdown}` : ''}`;
      return parse(await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).text(), {
        columns: true,
      }) as Record<string, string>[];
    }),
  );
  for (const [i, { level, frame, breakdown }] of queries.entries()) {
    expect({ level, frame, breakdown, rows: actual(answers[i], level, frame) }).toEqual({
      level,
      frame,
      breakdown,
      rows: naive(truth.values(), level, frame, breakdown),
    });
  }
  // The whole academic year (every mark is in 2025/26) reads enrolments from the year roll-up, and by weekday from the
  // year's weekday rows: the same figures.
  for (const { level, frame, breakdown } of queries.filter((q) => q.frame === 'period' || q.frame === 'weekday')) {
    const url = `${server.url}/api/v1/export/attendance.csv?level=${level}&frame=${frame}&from=2025-09-01&to=2026-08-31${breakdown ? `&breakdown=${breakdown}` : ''}`;
    const rows = parse(await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).text(), {
      columns: true,
    }) as Record<string, string>[];
    expect({ level, frame, breakdown, year: true, rows: actual(rows, level, frame) }).toEqual({
      level,
      frame,
      breakdown,
      year: true,
      rows: naive(truth.values(), level, frame, breakdown),
    });
  }
  // Weekly ranges that cut weeks: whole weeks are read from the weekly roll-up, the part-weeks at either end per pupil.
  const cuts = [
    ['2025-12-19', '2026-01-06', 'fsm'],
    ['2026-01-05', '2026-01-06', undefined],
    ['2026-02-17', '2026-02-23', 'sen'],
    ['2025-12-22', '2026-01-04', undefined],
  ] as const;
  for (const [from, to, breakdown] of cuts) {
    const url = `${server.url}/api/v1/export/attendance.csv?level=la&frame=weekly&from=${from}&to=${to}${breakdown ? `&breakdown=${breakdown}` : ''}`;
    const rows = parse(await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).text(), {
      columns: true,
    }) as Record<string, string>[];
    const inRange = [...truth.values()].filter((m) => m.date >= from && m.date <= to);
    expect({ from, to, breakdown, rows: actual(rows, 'la', 'weekly') }).toEqual({
      from,
      to,
      breakdown,
      rows: naive(inRange, 'la', 'weekly', breakdown),
    });
  }
  // Terms and half terms held whole are read from their roll-up rows, cut ones per pupil: a half term and a term asked
  // as a period, and autumn to spring (the autumn term cut by nothing, the days between terms in none) by each.
  const spans = [
    ['2026-01-06', '2026-02-13', 'period', 'fsm'],
    ['2026-01-06', '2026-03-27', 'period', undefined],
    ['2025-09-04', '2026-03-27', 'term', 'sen'],
    ['2025-12-01', '2026-03-27', 'half_term', undefined],
  ] as const;
  for (const [from, to, frame, breakdown] of spans) {
    const url = `${server.url}/api/v1/export/attendance.csv?level=regional&frame=${frame}&from=${from}&to=${to}${breakdown ? `&breakdown=${breakdown}` : ''}`;
    const rows = parse(await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).text(), {
      columns: true,
    }) as Record<string, string>[];
    const inRange = [...truth.values()].filter((m) => m.date >= from && m.date <= to);
    expect({ from, to, frame, breakdown, rows: actual(rows, 'regional', frame) }).toEqual({
      from,
      to,
      frame,
      breakdown,
      rows: naive(inRange, 'regional', frame, breakdown),
    });
  }
});
