// Synthetic pupils and their register marks, calibrated per LA and phase to DfE's real figures: overall absence
// (pupil propensities average to the LA's rate), persistent absence (their spread), reasons (DfE's code mix),
// day-of-week and seasonal patterns. Everything is deterministic for a (seed, school, date).
import { isoWeekday } from '../../server/src/common/dates.js';
import { calibrationFor, type Calibration } from './calibration.js';
import { beta, hashSeed, mulberry32, normal, weighted, type Rng } from './random.js';
import type { SimSchool } from './synthetic-schools.js';

export const REGISTER_HEADER = 'urn,upn,date,session,code,year_group,sex,fsm,sen,eal,ethnicity,cin,cla,lsoa\n';

export interface SimPupil {
  upn: string;
  yearGroup: string;
  /** Absence propensity: the share of possible sessions this pupil misses on an average day. */
  propensity: number;
  dualRegistered: boolean;
  /** The characteristic columns, rendered once: ",sex,fsm,sen,eal,ethnicity,cin,cla,lsoa". */
  tail: string;
}

const ABSENCE_CODES = ['I', 'M', 'R', 'S', 'T', 'H', 'E', 'C', 'C1', 'J1', 'C2', 'G', 'U', 'O'] as const;
const AEA_CODES = ['B', 'J', 'P', 'V', 'W', 'K'] as const;
const ETHNICITY: [string, number][] = [['WHIT', 0.7], ['ASIA', 0.12], ['BLAC', 0.06], ['MIXD', 0.07], ['CHNE', 0.005], ['AOEG', 0.02], ['UNCL', 0.025]];
const MAX_PROPENSITY = 0.95;
const WEEKDAY_FACTOR = [0, 1.08, 0.95, 0.94, 0.97, 1.07];
// Seasonal pattern (January..December), averaging 1 over a school year: low in September, high in winter.
const MONTH_FACTOR = [1.06, 1.02, 1.0, 0.95, 0.95, 1.0, 1.08, 1, 0.84, 0.96, 1.05, 1.12];

const pupilCache = new Map<string, SimPupil[]>();

export function pupilsOf(school: SimSchool, seed = 1): SimPupil[] {
  const key = `${seed}|${school.urn}`;
  const cached = pupilCache.get(key);
  if (cached) return cached;
  const rng = mulberry32(hashSeed(seed, 'pupils', school.urn));
  const cal = calibrationFor(school.laGss, school.phase);
  const kappa = concentrationFor(cal.absence, cal.persistentAbsence);
  // Schools differ around their LA's rate; within a school, disadvantage raises a pupil's absence.
  const schoolMean = Math.min(0.5, cal.absence * Math.exp(0.25 * normal(rng) - 0.03));
  const drafts = Array.from({ length: school.pupils }, () => {
    const fsm = rng() < school.fsmPercent / 100;
    const sen = weighted(rng, school.phase === 'Special' ? [['E', 0.85], ['K', 0.15]] : [['N', 0.82], ['K', 0.14], ['E', 0.04]]);
    const cin = rng() < 0.03;
    const cla = rng() < 0.007;
    const multiplier = (fsm ? 1.5 : 1) * (sen === 'E' ? 1.4 : sen === 'K' ? 1.25 : 1) * (cin ? 1.6 : 1);
    const lsoa = `E01${String(Number(school.lsoa.slice(3)) + Math.floor(rng() * 12)).padStart(6, '0')}`;
    const tail = `,${rng() < 0.5 ? 'F' : 'M'},${fsm ? 'Y' : 'N'},${sen},${rng() < 0.2 ? 'Y' : 'N'},${weighted(rng, ETHNICITY)},${cin ? 'Y' : 'N'},${cla ? 'Y' : 'N'},${lsoa}`;
    return { raw: beta(rng, schoolMean * kappa, (1 - schoolMean) * kappa) * multiplier, tail, yearGroup: yearGroup(rng, school), dual: rng() < 0.004 };
  });
  // Rescale (twice, for the cap) so the school's mean propensity is exactly its target.
  let scale = 1;
  for (let pass = 0; pass < 3; pass++) {
    const mean = drafts.reduce((sum, d) => sum + Math.min(MAX_PROPENSITY, d.raw * scale), 0) / Math.max(1, drafts.length);
    if (mean > 0) scale *= schoolMean / mean;
  }
  const pupils: SimPupil[] = drafts.map((d, i) => ({
    upn: `A${school.urn}${String(i).padStart(6, '0')}`,
    yearGroup: d.yearGroup,
    propensity: Math.min(MAX_PROPENSITY, d.raw * scale),
    dualRegistered: d.dual,
    tail: d.tail,
  }));
  pupilCache.set(key, pupils);
  return pupils;
}

function yearGroup(rng: Rng, school: SimSchool): string {
  if (school.phase === 'Primary') return rng() < 0.03 ? 'N2' : ['R', '1', '2', '3', '4', '5', '6'][Math.floor(rng() * 7)];
  if (school.phase === 'Secondary') return school.sixthForm && rng() < 0.15 ? (rng() < 0.5 ? '12' : '13') : String(7 + Math.floor(rng() * 5));
  return String(1 + Math.floor(rng() * 14));
}

/** One school's marks for one date: final codes, and which absences a live register first sends as N. */
export interface SchoolDay {
  school: SimSchool;
  date: string;
  am: string[];
  pm: string[];
  /** Indexes of pupils whose AM / PM absence is sent as N first and amended later (live day only). */
  pendingAm: Set<number>;
  pendingPm: Set<number>;
}

export function schoolDay(school: SimSchool, date: string, seed = 1, liveCycle?: number): SchoolDay {
  const rng = mulberry32(hashSeed(seed, 'day', school.urn, date));
  const cal = calibrationFor(school.laGss, school.phase);
  const pupils = pupilsOf(school, seed);
  const dayFactor = WEEKDAY_FACTOR[isoWeekday(date)] * MONTH_FACTOR[Number(date.slice(5, 7)) - 1];
  const closed = rng() < 0.002;
  const absenceWeights = ABSENCE_CODES.map((c) => [c, cal.codeRates[c] ?? 0] as const);
  const aeaWeights = AEA_CODES.map((c) => [c, cal.codeRates[c] ?? 0] as const);
  const aeaRate = aeaWeights.reduce((sum, [, w]) => sum + w, 0);
  const lateRate = (cal.codeRates.L ?? 0) / (1 - cal.absence);
  const present = (session: 'AM' | 'PM') => {
    const r = rng();
    if (r < aeaRate) return weighted(rng, aeaWeights);
    if (r < aeaRate + lateRate) return 'L';
    return session === 'AM' ? '/' : '\\';
  };
  const am: string[] = [];
  const pm: string[] = [];
  for (const pupil of pupils) {
    if (closed || pupil.dualRegistered) {
      const code = closed ? '#' : 'D';
      am.push(code);
      pm.push(code);
      continue;
    }
    const p = Math.min(0.98, pupil.propensity * dayFactor);
    // Absence mostly lasts the whole day: PM follows an AM absence 85% of the time, keeping the PM rate at p.
    const amCode = rng() < p ? weighted(rng, absenceWeights) : present('AM');
    const amAbsent = !['/', 'L', ...AEA_CODES].includes(amCode);
    let pmCode: string;
    if (amAbsent) pmCode = rng() < 0.85 ? (amCode === 'U' ? 'O' : amCode) : present('PM');
    else pmCode = rng() < (0.15 * p) / (1 - p) ? weighted(rng, absenceWeights.filter(([c]) => c !== 'U')) : present('PM');
    am.push(amCode);
    pm.push(pmCode);
  }
  const pendingAm = new Set<number>();
  const pendingPm = new Set<number>();
  if (liveCycle !== undefined) {
    const live = mulberry32(hashSeed(seed, 'live', school.urn, date, liveCycle));
    const isAbsence = (code: string) => (ABSENCE_CODES as readonly string[]).includes(code);
    am.forEach((code, i) => isAbsence(code) && live() < 0.6 && pendingAm.add(i));
    pm.forEach((code, i) => isAbsence(code) && live() < 0.6 && pendingPm.add(i));
  }
  return { school, date, am, pm, pendingAm, pendingPm };
}

/** CSV rows (no header) for one session; pending absences are sent as N ("no reason yet"). */
export function sessionRows(day: SchoolDay, session: 'AM' | 'PM', seed = 1): string {
  const pupils = pupilsOf(day.school, seed);
  const codes = session === 'AM' ? day.am : day.pm;
  const pending = session === 'AM' ? day.pendingAm : day.pendingPm;
  let out = '';
  for (let i = 0; i < pupils.length; i++) {
    out += `${day.school.urn},${pupils[i].upn},${day.date},${session},${pending.has(i) ? 'N' : codes[i]},${pupils[i].yearGroup}${pupils[i].tail}\n`;
  }
  return out;
}

/** CSV rows (no header) that replace pending N marks with their reasons: the register amended later in the day. */
export function amendmentRows(day: SchoolDay, share: number, seed = 1, rng: Rng = Math.random): string {
  const pupils = pupilsOf(day.school, seed);
  let out = '';
  for (const [session, pending, codes] of [['AM', day.pendingAm, day.am], ['PM', day.pendingPm, day.pm]] as const) {
    for (const i of [...pending]) {
      if (rng() >= share) continue;
      pending.delete(i);
      out += `${day.school.urn},${pupils[i].upn},${day.date},${session},${codes[i]},${pupils[i].yearGroup}${pupils[i].tail}\n`;
    }
  }
  return out;
}

const kappaCache = new Map<string, number>();

/**
 * The Beta concentration that spreads pupils' propensities around the mean absence so that the share of pupils
 * above 10% matches persistent absence. Session noise over a term pushes some pupils across the line, so the target
 * is set a little below DfE's rate (checked end to end in the spec).
 */
export function concentrationFor(mean: number, persistent: number): number {
  const key = `${mean.toFixed(4)}|${persistent.toFixed(4)}`;
  const hit = kappaCache.get(key);
  if (hit) return hit;
  const target = persistent * 0.5;
  let lo = Math.log(0.2);
  let hi = Math.log(500);
  for (let i = 0; i < 25; i++) {
    const mid = (lo + hi) / 2;
    const k = Math.exp(mid);
    // The tail above 10% shrinks as the concentration grows (for a mean under 10%).
    if (betaTail(mean * k, (1 - mean) * k, 0.1) > target === mean < 0.1) lo = mid;
    else hi = mid;
  }
  const kappa = Math.exp((lo + hi) / 2);
  kappaCache.set(key, kappa);
  return kappa;
}

/** P(X >= x) for X ~ Beta(a, b), by Simpson's rule on the density over [x, 1]. */
function betaTail(a: number, b: number, x: number): number {
  const lnB = lgamma(a) + lgamma(b) - lgamma(a + b);
  const steps = 400;
  const h = (1 - x) / steps;
  const f = (t: number) => (t <= 0 || t >= 1 ? 0 : Math.exp((a - 1) * Math.log(t) + (b - 1) * Math.log(1 - t) - lnB));
  let sum = f(x) + f(1 - 1e-9);
  for (let i = 1; i < steps; i++) sum += f(x + i * h) * (i % 2 ? 4 : 2);
  return (sum * h) / 3;
}

function lgamma(z: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lgamma(1 - z);
  z -= 1;
  let x = c[0];
  for (let i = 1; i < g + 2; i++) x += c[i] / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}

export type { Calibration };
