// Synthetic schools for the 153 real LAs, in proportion to DfE's school and pupil numbers, as a GIAS CSV.
import { stringify } from 'csv-stringify/sync';
import { todayInLondon } from '../../server/src/common/dates.js';
import { LOCAL_AUTHORITIES } from '../../server/src/reference/local-authorities.js';
import { typicalTermCalendar, type TermCalendar } from '../../server/src/calendar/term-calendar.js';
import { calibrationFor, NATIONAL, SIM_PHASES, type SimPhase } from './calibration.js';
import { hashSeed, mulberry32, normal, stochasticRound, weighted, type Rng } from './random.js';
import { liveDateFor, seasonFor, type Season } from './season.js';
import type { SimSchool } from './sim-school.js';
import { countedShare } from './synthetic-pupils.js';

/** Simulated schools per real school at scale 1: more, smaller schools than a plain scale-down, so LAs compare. */
const SCHOOL_DENSITY = 3;
/** How much schools differ around their LA's absence (the standard deviation of a log-normal factor). */
const SCHOOL_SPREAD = 0.25;
/** How much more (on the log-odds) a school's persistent absence differs than its absence (log factor). */
const PERSISTENT_ELASTICITY = 1.5;
const NAMES = [
  'Oak',
  'Riverside',
  'St Mary’s',
  'Hillside',
  'Meadow',
  'Park',
  'Castle',
  'Abbey',
  'Valley',
  'Green Lane',
  'Church',
  'Victoria',
];

/**
 * Schools for every LA and phase DfE reports, in proportion to its school and pupil numbers. `scale` is the share of
 * England's pupils simulated (0.01: about 800 schools, 70,000 pupils). Every LA has at least one primary school. Each
 * LA and phase has DfE's share of the LA's pupils, and its schools' absence averages to DfE's figures for it exactly
 * (weighted by pupils): the draws only decide how the figures spread across the LA's schools.
 */
export function syntheticSchools(
  scale: number,
  seed = 1,
  today = todayInLondon(),
  calendar: TermCalendar = typicalTermCalendar(),
): SimSchool[] {
  const rng = mulberry32(seed);
  const season = seasonFor(liveDateFor(today, calendar), calendar);
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  const schools: SimSchool[] = [];
  // More, smaller schools than a plain scale-down, but never more schools than England has.
  const schoolShare = Math.min(1, scale * SCHOOL_DENSITY);
  for (const la of LOCAL_AUTHORITIES) {
    for (const phase of SIM_PHASES) {
      const cal = calibrationFor(la.gss, phase);
      // An LA with no DfE primary figures (Isles of Scilly) still gets one primary school at the national size.
      const numSchools = cal.numSchools || (phase === 'Primary' ? 1 : 0);
      const enrolments =
        cal.enrolments ||
        (numSchools * calibrationFor(NATIONAL, phase).enrolments) / calibrationFor(NATIONAL, phase).numSchools;
      if (!numSchools || !enrolments) continue;
      // Every LA keeps each phase it has, so all 153 are on the map; counted pupils (years 1-11) stay in proportion
      // to DfE's enrolments, which count only those.
      const count = Math.max(1, stochasticRound(rng, numSchools * schoolShare));
      const group = Array.from({ length: count }, () => makeSchool(rng, 0, la, phase, todayMs, season));
      // Sizes vary, but add up to the LA's counted pupils (years 1-11) for the phase.
      const sizes = group.map(() => 0.6 + 0.8 * rng());
      const sizeSum = sizes.reduce((a, b) => a + b, 0);
      group.forEach((school, i) => {
        const counted = (enrolments * scale * sizes[i]) / sizeSum;
        // A special school is as small as its LA's share of special pupils, so the LA's phase mix stays DfE's.
        school.pupils = Math.max(
          phase === 'Special' ? 4 : 12,
          Math.round(counted / countedShare(phase, school.sixthForm)),
        );
      });
      spreadAcross(group, cal.absence, cal.persistentAbsence, rng);
      schools.push(...group);
    }
  }
  // URNs: unique, 6 digits, with gaps as real ones have, however many schools there are.
  const gap = Math.min(40, Math.floor(899_999 / Math.max(1, schools.length)));
  if (gap < 1) throw new Error(`Too many schools (${schools.length}) for 6-digit URNs: lower the scale`);
  const urns = mulberry32(hashSeed(seed, 'urns'));
  let urn = 100000;
  for (const school of schools) school.urn = urn += 1 + Math.floor(urns() * gap);
  const lsoasOfLa = new Map<string, string[]>();
  for (const school of schools) lsoasOfLa.set(school.laCode, [...(lsoasOfLa.get(school.laCode) ?? []), school.lsoa]);
  for (const school of schools)
    school.homeLsoas = [school.lsoa, ...lsoasOfLa.get(school.laCode)!.filter((l) => l !== school.lsoa)];
  return schools;
}

/**
 * Spreads an LA's absence and persistent absence for a phase across its schools: each school's absence is the LA's
 * times a log-normal factor, and its persistent absence moves with it on the log-odds, both scaled so that their
 * averages weighted by counted pupils are the LA's own.
 */
function spreadAcross(group: SimSchool[], absence: number, persistent: number, rng: Rng): void {
  const weights = group.map((s) => s.pupils * countedShare(s.phase, s.sixthForm));
  const total = weights.reduce((a, b) => a + b, 0);
  const mean = (values: number[]) => values.reduce((sum, v, i) => sum + v * weights[i], 0) / total;
  const factors = group.map(() => Math.exp(SCHOOL_SPREAD * normal(rng)));
  const norm = mean(factors);
  const rates = factors.map((f) => Math.min(0.5, (absence * f) / norm));
  const fix = absence / mean(rates);
  group.forEach((school, i) => (school.absence = rates[i] * fix));
  // The log-odds shift that brings the pupil-weighted persistent absence to the LA's (bisection: it rises with it).
  const logit = (p: number) => Math.log(p / (1 - p));
  const of = (shift: number) =>
    factors.map((f) => 1 / (1 + Math.exp(-(logit(persistent) + PERSISTENT_ELASTICITY * Math.log(f / norm) + shift))));
  let [lo, hi] = [-5, 5];
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (mean(of(mid)) < persistent) lo = mid;
    else hi = mid;
  }
  of((lo + hi) / 2).forEach((pa, i) => (group[i].persistentAbsence = pa));
}

function makeSchool(
  rng: Rng,
  urn: number,
  la: (typeof LOCAL_AUTHORITIES)[number],
  phase: SimPhase,
  todayMs: number,
  season: Season,
): SimSchool {
  const academy = rng() < (phase === 'Primary' ? 0.4 : 0.8);
  const type =
    phase === 'Special'
      ? academy
        ? weighted(rng, [
            ['Academy special converter', 0.55],
            ['Academy special sponsor led', 0.15],
            ['Free schools special', 0.3],
          ])
        : weighted(rng, [
            ['Community special school', 0.8],
            ['Foundation special school', 0.12],
            ['Non-maintained special school', 0.08],
          ])
      : academy
        ? weighted(rng, [
            ['Academy converter', 0.7],
            ['Academy sponsor led', 0.2],
            ['Free schools', 0.1],
          ])
        : weighted(rng, [
            ['Community school', 0.6],
            ['Voluntary aided school', 0.25],
            ['Foundation school', 0.15],
          ]);
  const phaseOfEducation =
    phase === 'Special'
      ? 'Not applicable'
      : phase === 'Primary'
        ? 'Primary'
        : weighted(rng, [
            ['Secondary', 0.92],
            ['All-through', 0.05],
            ['Middle deemed secondary', 0.03],
          ]);
  const trust = academy ? 1 + Math.floor(rng() * 4) : 0;
  const regionNumber = la.regionCode.slice(-2);
  // Codes in ONS's shape only: the simulated school is nowhere real, so its GIAS row names no LSOA or MSOA (a name
  // such as "Camden 012" would be made up) and the dashboard shows the codes, as it does wherever GIAS names nothing.
  const lsoa = 1000 + Math.floor(rng() * 30000);
  // Inspected within the last six years (and not in the future).
  const inspected = new Date(todayMs - Math.floor(rng() * 6 * 365) * 86_400_000);
  const name = `${NAMES[Math.floor(rng() * NAMES.length)]} ${phase === 'Primary' ? 'Primary School' : phase === 'Secondary' ? (academy ? 'Academy' : 'High School') : 'Special School'}, ${la.name}`;
  return {
    urn,
    laCode: la.code,
    laGss: la.gss,
    laName: la.name,
    regionCode: la.regionCode,
    name,
    phase,
    phaseOfEducation,
    type,
    pupils: 0,
    fsmPercent: Math.round((10 + 35 * rng() ** 1.5) * 10) / 10,
    sixthForm: phase === 'Secondary' && rng() < 0.6,
    // GIAS trust codes are plain numbers (group UIDs).
    trustCode: trust ? String(2000 + Number(regionNumber) * 10 + trust) : '',
    trustName: trust ? `${la.regionName} Learning Trust ${trust}` : '',
    lsoa: `E01${String(lsoa).padStart(6, '0')}`,
    msoa: `E02${String(Math.floor(lsoa / 5)).padStart(6, '0')}`,
    homeLsoas: [],
    ofstedLastInspection: `${String(inspected.getUTCDate()).padStart(2, '0')}-${String(inspected.getUTCMonth() + 1).padStart(2, '0')}-${inspected.getUTCFullYear()}`,
    absence: 0,
    persistentAbsence: 0,
    season,
  };
}

const GIAS_HEADER = [
  'URN',
  'LA (code)',
  'LA (name)',
  'EstablishmentName',
  'TypeOfEstablishment (name)',
  'EstablishmentStatus (name)',
  'PhaseOfEducation (name)',
  'NumberOfPupils',
  'PercentageFSM',
  'Trusts (code)',
  'Trusts (name)',
  'LSOA (code)',
  'MSOA (code)',
  'OfstedLastInsp',
];

export function giasCsv(schools: readonly SimSchool[]): string {
  return stringify(
    schools.map((s) => [
      s.urn,
      s.laCode,
      s.laName,
      s.name,
      s.type,
      'Open',
      s.phaseOfEducation,
      s.pupils,
      s.fsmPercent,
      s.trustCode,
      s.trustName,
      s.lsoa,
      s.msoa,
      s.ofstedLastInspection,
    ]),
    { header: true, columns: GIAS_HEADER },
  );
}
