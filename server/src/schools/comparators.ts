// Similar schools: for each school, the schools of the same phase nearest to it by the share of its pupils eligible for
// free school meals, the share with special educational needs (EHC plan or SEN support) and its size (log of pupils),
// each standardised across the phase's schools so no one measure dominates. The method is stated on the school page.

export interface SchoolProfile {
  urn: number;
  phase: string;
  /** Compulsory-age pupils on roll in the period. */
  pupils: number;
  /** Percent of them FSM eligible / with SEN (EHC plan or SEN support). */
  fsmPerc: number;
  senPerc: number;
}

export interface Comparator {
  urn: number;
  /** Standardised distance: 0 is identical; about 1 is one standard deviation away on one measure. */
  distance: number;
}

export const COMPARATOR_SIZE = 10;

type Features = [number, number, number];

const featuresOf = (p: SchoolProfile): Features => [p.fsmPerc, p.senPerc, Math.log(Math.max(1, p.pupils))];

/** Mean and standard deviation of each feature over the schools (a deviation of 0 counts as 1: no spread, no weight lost). */
function scales(profiles: SchoolProfile[]): { mean: Features; sd: Features } {
  const mean: Features = [0, 0, 0];
  const sd: Features = [0, 0, 0];
  const rows = profiles.map(featuresOf);
  for (let f = 0; f < 3; f++) {
    mean[f] = rows.reduce((sum, r) => sum + r[f], 0) / rows.length;
    sd[f] = Math.sqrt(rows.reduce((sum, r) => sum + (r[f] - mean[f]) ** 2, 0) / rows.length) || 1;
  }
  return { mean, sd };
}

/** The `size` schools of the same phase nearest to `urn` (ties by URN), nearest first. */
export function comparatorsOf(urn: number, profiles: SchoolProfile[], size = COMPARATOR_SIZE): Comparator[] {
  const target = profiles.find((p) => p.urn === urn);
  if (!target) return [];
  const peers = profiles.filter((p) => p.phase === target.phase);
  const { sd } = scales(peers);
  const [t0, t1, t2] = featuresOf(target);
  return peers
    .filter((p) => p.urn !== urn)
    .map((p) => {
      const [a, b, c] = featuresOf(p);
      return { urn: p.urn, distance: Math.hypot((a - t0) / sd[0], (b - t1) / sd[1], (c - t2) / sd[2]) };
    })
    .sort((x, y) => x.distance - y.distance || x.urn - y.urn)
    .slice(0, size);
}
