// Synthetic pupils per school, as the school census codes them, each with an absence propensity and the sessions they
// miss over the year to date. Pupils are ranked by a log-normal draw (spread evenly over its quantiles, so a small
// school has the whole spread); the school's share of persistent absentees is its top, and one scale makes the
// school's absence exact. Each pupil then misses their expected number of sessions over the year to date, on days
// drawn with the season's weights. A small LA's figures are DfE's at any scale, not a draw away from them.
// Deterministic for a (seed, school, live date).
import { isoWeekday } from '../../server/src/common/dates.js';
import { COUNTED_YEAR_GROUPS } from '../../server/src/contract/vocabulary.js';
import { hashSeed, mulberry32, stochasticRound, weighted, type Rng } from './random.js';
import type { SimSchool } from './sim-school.js';

export interface SimPupil {
  /** UPN-like: 13 letters and digits, unique across the simulated schools. */
  upn: string;
  yearGroup: string;
  sex: 'F' | 'M';
  fsm: 'Y' | 'N';
  sen: 'N' | 'K' | 'E';
  eal: 'Y' | 'N';
  ethnicity: string;
  cin: 'Y' | 'N';
  cla: 'Y' | 'N';
  lsoa: string;
  /** Absence propensity: the share of possible sessions this pupil misses on an average day. */
  propensity: number;
  /** The pupil's absences over the season's year to date (date -> AM, PM or the whole day). */
  absences: Map<string, 'AM' | 'PM' | 'day'>;
  dualRegistered: boolean;
  /** Days after 1 September before which the pupil is not yet on roll (Z): 0 for pupils there from the start. */
  joinDay: number;
  /** Morning-only nursery place: not required to attend in the afternoon (X). */
  partTime: boolean;
  /**
   * Chance that a session is one a pupil past compulsory age is not required to attend (X): sixth-form study periods.
   */
  notRequiredRate: number;
  /** The characteristic columns, rendered once for the register CSV: ",sex,fsm,sen,eal,ethnicity,cin,cla,lsoa". */
  tail: string;
}

const MAX_PROPENSITY = 0.95;
/** The spread (log-normal) of pupils' propensities, which ranks them; the persistent absentees are its top. */
const PROPENSITY_SPREAD = 0.8;
/** Share of a pupil's days of absence that are half days (a morning or an afternoon). */
const HALF_DAY_SHARE = 0.12;
const LONDON = 'E12000007';
// School census major ethnic groups, pupils aged 5-15 (DfE "Schools, pupils and their characteristics", rounded).
const ETHNICITY_ENGLAND: [string, number][] = [
  ['WHIT', 0.68],
  ['ASIA', 0.12],
  ['BLAC', 0.055],
  ['MIXD', 0.075],
  ['CHNE', 0.005],
  ['AOEG', 0.025],
  ['UNCL', 0.04],
];
const ETHNICITY_LONDON: [string, number][] = [
  ['WHIT', 0.38],
  ['ASIA', 0.2],
  ['BLAC', 0.17],
  ['MIXD', 0.12],
  ['CHNE', 0.01],
  ['AOEG', 0.08],
  ['UNCL', 0.04],
];
const SEN_MAINSTREAM: [SimPupil['sen'], number][] = [
  ['N', 0.82],
  ['K', 0.14],
  ['E', 0.04],
];
const SEN_SPECIAL: [SimPupil['sen'], number][] = [
  ['E', 0.85],
  ['K', 0.15],
];
const PRIMARY_YEARS = ['R', '1', '2', '3', '4', '5', '6'];
const SIXTH_FORM: ReadonlySet<string> = new Set(['12', '13', '14']);
/** Share of pupils who join during the year (not yet on roll, Z, before their first day). */
const JOINER_SHARE = 0.03;

/** Most pupils live in the school's own neighbourhood, the rest elsewhere in its LA. */
function homeOf(school: SimSchool, r: number): string {
  const others = school.homeLsoas.length - 1;
  return r < 0.6 || !others ? school.lsoa : school.homeLsoas[1 + Math.floor(((r - 0.6) / 0.4) * others)];
}

/** Share of a school's pupils in year groups 1-11, the ones DfE's measures count (see yearGroupOf). */
export function countedShare(phase: SimSchool['phase'], sixthForm: boolean): number {
  if (phase === 'Primary') return 0.97 * (6 / 7);
  if (phase === 'Secondary') return sixthForm ? 0.85 : 1;
  return 11 / 14;
}

function yearGroupOf(rng: Rng, school: SimSchool): string {
  if (school.phase === 'Primary') return rng() < 0.03 ? 'N2' : PRIMARY_YEARS[Math.floor(rng() * 7)];
  if (school.phase === 'Secondary')
    return school.sixthForm && rng() < 0.15 ? (rng() < 0.5 ? '12' : '13') : String(7 + Math.floor(rng() * 5));
  return String(1 + Math.floor(rng() * 14));
}

const cache = new Map<string, SimPupil[]>();

type Draft = Omit<SimPupil, 'propensity' | 'tail' | 'absences'> & { z: number; multiplier: number };

export function pupilsOf(school: SimSchool, seed = 1): SimPupil[] {
  const key = `${seed}|${school.urn}|${school.season.asOf}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const drafts = draftsOf(school, seed);
  // The school's open days of the year to date, once: a day it is closed (#) is no pupil's possible session.
  const dates = school.season.dates.filter((d) => !closedOn(school, d, seed));
  const year: YearToDate = { dates, days: dates.map(dayOfYear), factors: dates.map((d) => school.season.factor(d)) };
  const propensities = calibrate(school, drafts, year);
  const rng = mulberry32(hashSeed(seed, 'absences', school.urn, school.season.asOf));
  const pupils: SimPupil[] = drafts.map(({ z: _z, multiplier: _m, ...p }, i) => ({
    ...p,
    propensity: propensities[i],
    absences: absencesOf(p, propensities[i], year, rng),
    tail: `,${p.sex},${p.fsm},${p.sen},${p.eal},${p.ethnicity},${p.cin},${p.cla},${p.lsoa}`,
  }));
  cache.set(key, pupils);
  return pupils;
}

/** A school's open days of the year to date, their days from 1 September, and the season's factors on them. */
interface YearToDate {
  dates: string[];
  days: number[];
  factors: number[];
}

/** The first of the year's days on which a pupil who joins on `joinDay` is on roll (dates.length if none). */
const firstOnRoll = (year: YearToDate, joinDay: number) => {
  const i = year.days.findIndex((day) => day >= joinDay);
  return i < 0 ? year.days.length : i;
};

function draftsOf(school: SimSchool, seed: number): Draft[] {
  const rng = mulberry32(hashSeed(seed, 'pupils', school.urn));
  const london = school.regionCode === LONDON;
  // Each pupil takes one quantile of the spread, in random order: a school of any size has all of it.
  const order = Array.from({ length: school.pupils }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.map((rank, i) => {
    const fsm = rng() < school.fsmPercent / 100;
    const sen = weighted(rng, school.phase === 'Special' ? SEN_SPECIAL : SEN_MAINSTREAM);
    const cin = rng() < 0.03;
    // Looked-after children are nearly all children in need as well.
    const cla = cin ? rng() < 0.2 : rng() < 0.001;
    const draft: Draft = {
      upn: `A${String(school.urn).padStart(6, '0')}${String(i).padStart(6, '0')}`,
      yearGroup: yearGroupOf(rng, school),
      sex: rng() < 0.49 ? 'F' : 'M',
      fsm: fsm ? 'Y' : 'N',
      sen,
      eal: rng() < (london ? 0.45 : 0.18) ? 'Y' : 'N',
      ethnicity: weighted(rng, london ? ETHNICITY_LONDON : ETHNICITY_ENGLAND),
      cin: cin ? 'Y' : 'N',
      cla: cla ? 'Y' : 'N',
      lsoa: homeOf(school, rng()),
      dualRegistered: rng() < 0.004,
      // A few pupils arrive during the autumn term and winter (moves, admissions appeals), not yet on roll before.
      joinDay: rng() < JOINER_SHARE ? 5 + Math.floor(rng() * 150) : 0,
      partTime: false,
      notRequiredRate: 0,
      z: inverseNormal((rank + 0.5) / school.pupils),
      // Within a school, disadvantage raises absence.
      multiplier: (fsm ? 1.5 : 1) * (sen === 'E' ? 1.4 : sen === 'K' ? 1.25 : 1) * (cin ? 1.6 : 1),
    };
    if (draft.yearGroup.startsWith('N')) draft.partTime = rng() < 0.5;
    else if (SIXTH_FORM.has(draft.yearGroup)) draft.notRequiredRate = 0.1;
    return draft;
  });
}

/** Days from 1 September (of the date's academic year) to the date. */
export function dayOfYear(date: string): number {
  const year = Number(date.slice(0, 4)) - (Number(date.slice(5, 7)) < 9 ? 1 : 0);
  return (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${year}-09-01T00:00:00Z`)) / 86_400_000;
}

/**
 * The propensities. Pupils are ranked by a log-normal draw (with the disadvantage multipliers) and the school's share
 * of persistent absentees is its top-ranked counted pupils: their expected sessions missed over the year to date are
 * kept a session above 10% (so rounding cannot take them under), everyone else's three under: a pupil away all of
 * the live day (two sessions more absent, two more possible) then stays under 10% (two under did not: a demo's year to
 * date, with its live day, read 0.5 pp above the plan's persistent absence, six LAs by 1.5-2 pp). One scale on the draws, found by bisection, makes the school's absence exact.
 */
function calibrate(school: SimSchool, drafts: readonly Draft[], year: YearToDate): number[] {
  const raw = drafts.map((d) => Math.exp(PROPENSITY_SPREAD * d.z) * d.multiplier);
  const suffix = [...year.factors];
  for (let i = suffix.length - 2; i >= 0; i--) suffix[i] += suffix[i + 1];
  const counted = drafts
    .map((d, i) => {
      const first = firstOnRoll(year, d.joinDay);
      const days = year.days.length - first;
      // The sessions the pupil must miss to be persistently absent: 10% of their possible sessions.
      return { i, days, weight: days ? suffix[first] : 0, threshold: Math.ceil(0.2 * days - 1e-9), persistent: false };
    })
    .filter((c) => c.days > 0 && COUNTED_YEAR_GROUPS.has(drafts[c.i].yearGroup) && !drafts[c.i].dualRegistered);
  const ranked = [...counted].sort((a, b) => raw[b.i] - raw[a.i]);
  const persistentCount = Math.round(school.persistentAbsence * counted.length);
  ranked.slice(0, persistentCount).forEach((c) => (c.persistent = true));
  const sessions = (c: (typeof counted)[number], scale: number) => {
    const expected = 2 * scale * raw[c.i] * c.weight;
    return c.persistent
      ? Math.min(2 * c.days, Math.max(c.threshold + 1, expected))
      : Math.min(Math.max(0, c.threshold - 3), expected);
  };
  const possible = 2 * counted.reduce((sum, c) => sum + c.days, 0);
  const target = school.absence * possible;
  let [lo, hi] = [1e-6, 100];
  for (let i = 0; i < 60 && counted.length; i++) {
    const mid = Math.sqrt(lo * hi);
    if (counted.reduce((sum, c) => sum + sessions(c, mid), 0) < target) lo = mid;
    else hi = mid;
  }
  const scale = Math.sqrt(lo * hi);
  const propensities = raw.map((r) => Math.min(MAX_PROPENSITY, r * scale));
  for (const c of counted) propensities[c.i] = sessions(c, scale) / (2 * c.weight);
  return propensities;
}

/** A school closes for a whole day now and then (#): a planned closure, a boiler, a polling station. */
const CLOSURE_RATE = 0.002;
export function closedOn(school: SimSchool, date: string, seed: number): boolean {
  return mulberry32(hashSeed(seed, 'closed', school.urn, date))() < CLOSURE_RATE;
}

/**
 * The pupil's absences over the year to date: the expected number of sessions (their propensity times the season's
 * factor, summed over the school days they are on roll), on days drawn in proportion to that day's chance (Efraimidis
 * and Spirakis's weighted sampling), mostly whole days, the half days more often Friday afternoons.
 */
function absencesOf(
  pupil: Omit<Draft, 'z' | 'multiplier'>,
  propensity: number,
  year: YearToDate,
  rng: Rng,
): Map<string, 'AM' | 'PM' | 'day'> {
  const absences = new Map<string, 'AM' | 'PM' | 'day'>();
  if (pupil.dualRegistered) return absences;
  const first = firstOnRoll(year, pupil.joinDay);
  const days = year.dates.slice(first);
  const chances = year.factors.slice(first).map((f) => Math.min(1, propensity * f));
  const sessions = Math.min(2 * days.length, stochasticRound(rng, 2 * chances.reduce((a, b) => a + b, 0)));
  let half = sessions % 2;
  let whole = (sessions - half) / 2;
  for (let i = whole; i > 0; i--)
    if (whole + half < days.length && rng() < HALF_DAY_SHARE) [whole, half] = [whole - 1, half + 2];
  const keyed = days
    .map((date, i) => ({ date, key: chances[i] > 0 ? Math.log(rng()) / chances[i] : -Infinity }))
    .sort((a, b) => b.key - a.key)
    .slice(0, whole + half);
  keyed.forEach(({ date }, i) => {
    const friday = isoWeekday(date) === 5;
    absences.set(date, i < whole ? 'day' : rng() < (friday ? 0.7 : 0.45) ? 'PM' : 'AM');
  });
  return absences;
}

/** The standard normal quantile (Acklam's rational approximation, relative error under 1.2e-9). */
export function inverseNormal(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - low) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}
