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

const featuresOf = (p: SchoolProfile): number[] => [p.fsmPerc, p.senPerc, Math.log(Math.max(1, p.pupils))];

/** Standard deviation of each feature over the rows (a deviation of 0 counts as 1: no spread, no weight lost). */
function spreads(rows: number[][]): number[] {
  return rows[0].map((_, f) => {
    const mean = rows.reduce((sum, r) => sum + r[f], 0) / rows.length;
    return Math.sqrt(rows.reduce((sum, r) => sum + (r[f] - mean) ** 2, 0) / rows.length) || 1;
  });
}

const distance = (a: number[], b: number[], sd: number[]) => Math.hypot(...a.map((v, f) => (v - b[f]) / sd[f]));

/** The `size` schools of the same phase nearest to `urn` (ties by URN), nearest first. */
export function comparatorsOf(urn: number, profiles: SchoolProfile[], size = COMPARATOR_SIZE): Comparator[] {
  const target = profiles.find((p) => p.urn === urn);
  if (!target) return [];
  const peers = profiles.filter((p) => p.phase === target.phase);
  const sd = spreads(peers.map(featuresOf));
  const t = featuresOf(target);
  return peers
    .filter((p) => p.urn !== urn)
    .map((p) => ({ urn: p.urn, distance: distance(featuresOf(p), t, sd) }))
    .sort((x, y) => x.distance - y.distance || x.urn - y.urn)
    .slice(0, size);
}

/**
 * One comparator for each of `urns` (programme evaluation): a school of the same phase outside `urns`, matched on the
 * three measures above and on its overall absence before the programme started (`before`, percent), each scaled by its
 * spread across the phase's schools. Pairs are taken closest first, and a school is matched at most once. A school
 * without a profile or a figure before the start is left unmatched.
 */
export function matchedPairs(
  urns: number[],
  profiles: SchoolProfile[],
  before: Map<number, number>,
): Map<number, Comparator> {
  const inProgramme = new Set(urns);
  const features = (p: SchoolProfile) => [...featuresOf(p), before.get(p.urn)!];
  const usable = profiles.filter((p) => before.has(p.urn));
  const candidates: { urn: number; comparator: number; distance: number }[] = [];
  for (const phase of new Set(usable.filter((p) => inProgramme.has(p.urn)).map((p) => p.phase))) {
    const peers = usable.filter((p) => p.phase === phase);
    const sd = spreads(peers.map(features));
    for (const target of peers.filter((p) => inProgramme.has(p.urn))) {
      const t = features(target);
      for (const p of peers)
        if (!inProgramme.has(p.urn))
          candidates.push({ urn: target.urn, comparator: p.urn, distance: distance(features(p), t, sd) });
    }
  }
  candidates.sort((x, y) => x.distance - y.distance || x.urn - y.urn || x.comparator - y.comparator);
  const pairs = new Map<number, Comparator>();
  const used = new Set<number>();
  for (const c of candidates) {
    if (pairs.has(c.urn) || used.has(c.comparator)) continue;
    pairs.set(c.urn, { urn: c.comparator, distance: c.distance });
    used.add(c.comparator);
  }
  return pairs;
}
