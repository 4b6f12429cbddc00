// Size in the inspection score. A school's rate is its pupils' absence averaged: with 12 pupils, one pupil off for a
// fortnight moves it by points; with 1,200 it hardly moves. Left alone, small (often special) schools fill the top of
// the list on chance. So each rate is pulled toward its phase's national rate, the more the fewer pupils the school
// has, by as much as the schools' own figures show chance to matter (empirical Bayes):
//
//   observed rate = true rate + chance, where chance has variance `chance / pupils` (pupils, not sessions: a pupil's
//   sessions are not independent, a week off is ten sessions at once), and true rates vary around the phase's
//   national rate with variance `between`.
//
// Across a phase's schools the squared distance of each rate from the national rate is on average
// `between + chance / pupils`: a straight line in 1 / pupils, fitted by least squares. The best estimate of a school's
// true rate is then (pupils x its rate + k x national) / (pupils + k), k = chance / between: as if k pupils at the
// national rate joined its own. k is the number of pupils at which the school's own figure and the national one
// count equally.

/** A school's rate (percent) and the pupils it is taken over. */
export interface Observed {
  rate: number;
  pupils: number;
}

/** How far one phase's rates are pulled toward its national rate. */
export interface Allowance {
  /** The phase's national rate (its schools' counts pooled), the rates are pulled toward. */
  national: number;
  /**
   * k: the pupils at which a school's own rate and the national rate count equally. 0: no pull (too few schools, or
   * no sign that small schools scatter more); null: the scatter is all chance, every school is taken at the national.
   */
  pupils: number | null;
  /** The fitted variances, in squared percentage points: real differences between schools, and chance per pupil. */
  between: number;
  chance: number;
  /** Schools the fit was made over. */
  schools: number;
}

/** Fewer schools than this in a phase cannot tell chance from real differences: their rates are taken as they are. */
export const MIN_SCHOOLS = 5;

/** Fits `(rate - national)^2 = between + chance / pupils` over a phase's schools (least squares). */
export function fitAllowance(observed: Observed[], national: number): Allowance {
  const used = observed.filter((o) => o.pupils > 0 && Number.isFinite(o.rate));
  const none = { national, pupils: 0, between: 0, chance: 0, schools: used.length };
  if (used.length < MIN_SCHOOLS) return none;
  const x = used.map((o) => 1 / o.pupils);
  const d = used.map((o) => (o.rate - national) ** 2);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const [mx, md] = [mean(x), mean(d)];
  const sxx = x.reduce((sum, xi) => sum + (xi - mx) ** 2, 0);
  // All one size: nothing shows how much size matters.
  if (sxx < 1e-15) return none;
  const chance = x.reduce((sum, xi, i) => sum + (xi - mx) * (d[i] - md), 0) / sxx;
  const between = md - chance * mx;
  if (chance <= 0) return { ...none, between, chance };
  if (between <= 0) return { national, pupils: null, between, chance, schools: used.length };
  return { national, pupils: chance / between, between, chance, schools: used.length };
}

/** The share of the school's own rate in its adjusted rate: pupils / (pupils + k); 1 is all its own. */
export function ownWeight(pupils: number, allowance: Allowance): number {
  if (allowance.pupils === null) return 0;
  return pupils / (pupils + allowance.pupils);
}

/** The school's rate pulled toward its phase's national rate: (pupils x rate + k x national) / (pupils + k). */
export function adjusted(observed: Observed, allowance: Allowance): number {
  const w = ownWeight(observed.pupils, allowance);
  return w * observed.rate + (1 - w) * allowance.national;
}
