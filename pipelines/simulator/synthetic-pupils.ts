// Synthetic pupils per school, as the school census codes them, each with an absence propensity calibrated to the
// school's LA and phase: the propensities average to DfE's overall absence rate and spread (a Beta distribution) so
// that persistent absence matches too. Deterministic for a (seed, school).
import { calibrationFor } from './calibration.js';
import { beta, hashSeed, mulberry32, normal, weighted, type Rng } from './random.js';
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

export function pupilsOf(school: SimSchool, seed = 1): SimPupil[] {
  const key = `${seed}|${school.urn}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const rng = mulberry32(hashSeed(seed, 'pupils', school.urn));
  const cal = calibrationFor(school.laGss, school.phase);
  const kappa = concentrationFor(cal.absence, cal.persistentAbsence);
  const london = school.regionCode === LONDON;
  // Schools differ around their LA's rate (a mean-preserving lognormal); within a school, disadvantage raises absence.
  const spread = 0.25;
  const schoolMean = Math.min(0.5, cal.absence * Math.exp(spread * normal(rng) - (spread * spread) / 2));
  const drafts = Array.from({ length: school.pupils }, (_, i) => {
    const fsm = rng() < school.fsmPercent / 100;
    const sen = weighted(rng, school.phase === 'Special' ? SEN_SPECIAL : SEN_MAINSTREAM);
    const cin = rng() < 0.03;
    // Looked-after children are nearly all children in need as well.
    const cla = cin ? rng() < 0.2 : rng() < 0.001;
    const multiplier = (fsm ? 1.5 : 1) * (sen === 'E' ? 1.4 : sen === 'K' ? 1.25 : 1) * (cin ? 1.6 : 1);
    const pupil: Omit<SimPupil, 'propensity' | 'tail'> = {
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
    };
    if (pupil.yearGroup.startsWith('N')) pupil.partTime = rng() < 0.5;
    else if (SIXTH_FORM.has(pupil.yearGroup)) pupil.notRequiredRate = 0.1;
    return { pupil, raw: beta(rng, schoolMean * kappa, (1 - schoolMean) * kappa) * multiplier };
  });
  // Rescale (a few passes, for the cap) so the school's mean propensity is exactly its target.
  let scale = 1;
  for (let pass = 0; pass < 3; pass++) {
    const mean =
      drafts.reduce((sum, d) => sum + Math.min(MAX_PROPENSITY, d.raw * scale), 0) / Math.max(1, drafts.length);
    if (mean > 0) scale *= schoolMean / mean;
  }
  const pupils: SimPupil[] = drafts.map(({ pupil: p, raw }) => ({
    ...p,
    propensity: Math.min(MAX_PROPENSITY, raw * scale),
    tail: `,${p.sex},${p.fsm},${p.sen},${p.eal},${p.ethnicity},${p.cin},${p.cla},${p.lsoa}`,
  }));
  cache.set(key, pupils);
  return pupils;
}

const kappaCache = new Map<string, number>();
/** Share of DfE's persistent absence that the propensities themselves carry (tuned over an autumn term, see spec). */
const PERSISTENT_SHARE = 1;

/**
 * The Beta concentration (a + b) that spreads pupils' propensities around the mean absence so that the share of
 * pupils at 10% or more matches persistent absence. Attendance is skewed: most pupils miss little and a long tail
 * misses a lot, so this takes the most dispersed Beta that reaches the target (the tail above 10% rises from `mean`
 * as the concentration grows from 0, then falls again; the falling branch would bunch pupils around the mean).
 */
export function concentrationFor(mean: number, persistent: number): number {
  const key = `${mean.toFixed(4)}|${persistent.toFixed(4)}`;
  const hit = kappaCache.get(key);
  if (hit) return hit;
  const target = persistent * PERSISTENT_SHARE;
  const tail = (k: number) => betaTail(mean * k, (1 - mean) * k, 0.1);
  // Walk up the rising branch on a log grid, then bisect the step that crosses the target.
  let lo = 0.05;
  let tailLo = tail(lo);
  let kappa = lo;
  for (let k = lo * 1.25; tailLo < target && k <= 500; k *= 1.25) {
    const t = tail(k);
    if (t < tailLo) break; // past the peak without reaching the target: the most dispersed fit there is
    if (t >= target) {
      let hi = k;
      for (let i = 0; i < 20; i++) {
        const mid = Math.sqrt(lo * hi);
        if (tail(mid) >= target) hi = mid;
        else lo = mid;
      }
      kappa = hi;
      break;
    }
    [lo, tailLo, kappa] = [k, t, k];
  }
  kappaCache.set(key, kappa);
  return kappa;
}

/** P(X >= x) for X ~ Beta(a, b): 1 - I_x(a, b), the regularized incomplete beta function. */
function betaTail(a: number, b: number, x: number): number {
  return 1 - incompleteBeta(a, b, x);
}

/** I_x(a, b) by its continued fraction (Numerical Recipes' betacf), using the symmetry where that converges faster. */
function incompleteBeta(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * continuedFraction(a, b, x)) / a;
  return 1 - (front * continuedFraction(b, a, 1 - x)) / b;
}

function continuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    c = 1 + aa / c;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = Math.abs(c) < tiny ? tiny : c;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    c = 1 + aa / c;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = Math.abs(c) < tiny ? tiny : c;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-12) break;
  }
  return h;
}

/** ln Γ(z), Lanczos approximation (g = 7). */
function lgamma(z: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lgamma(1 - z);
  z -= 1;
  let x = c[0];
  for (let i = 1; i < 9; i++) x += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}
