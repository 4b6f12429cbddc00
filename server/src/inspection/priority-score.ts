// Ofsted's inspection priority: an explainable score per school. Each component is a figure a planner can check;
// it is standardised across all schools (z-score: how many standard deviations above the average school) and
// weighted; the score is the sum of the weighted parts, and each row keeps its parts so the page can say why.

export const COMPONENTS = [
  { key: 'absenceGap', weight: 0.25, label: 'overall absence above similar schools', unit: 'pp' },
  { key: 'paGap', weight: 0.2, label: 'persistent absence above similar schools', unit: 'pp' },
  { key: 'change', weight: 0.15, label: 'rise in absence this half term on the last', unit: 'pp' },
  { key: 'changeOnYear', weight: 0.1, label: 'rise in absence on the same weeks last year', unit: 'pp' },
  { key: 'severe', weight: 0.15, label: 'pupils severely absent', unit: '%' },
  { key: 'sinceInspection', weight: 0.15, label: 'years since the last inspection', unit: 'years' },
] as const;

export type ComponentKey = (typeof COMPONENTS)[number]['key'];
/** A school's component values; null where unknown (it then adds nothing: the average). */
export type ComponentValues = Record<ComponentKey, number | null>;

export interface ScorePart {
  key: ComponentKey;
  value: number | null;
  /** weight x z-score: what this component adds to the score. */
  contribution: number;
}

export interface Scored<T> {
  item: T;
  score: number;
  parts: ScorePart[];
}

/** Scores every item from its component values, highest score (look first) first. */
export function score<T>(items: T[], valuesOf: (item: T) => ComponentValues): Scored<T>[] {
  const values = items.map(valuesOf);
  const stats = COMPONENTS.map(({ key }) => {
    const known = values.map((v) => v[key]).filter((v): v is number => v !== null);
    const mean = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 0;
    const sd = known.length ? Math.sqrt(known.reduce((a, b) => a + (b - mean) ** 2, 0) / known.length) : 0;
    return { mean, sd: sd || 1 };
  });
  return items
    .map((item, i) => {
      const parts = COMPONENTS.map(({ key, weight }, c) => {
        const value = values[i][key];
        return { key, value, contribution: value === null ? 0 : (weight * (value - stats[c].mean)) / stats[c].sd };
      });
      return { item, score: parts.reduce((sum, p) => sum + p.contribution, 0), parts };
    })
    .sort((a, b) => b.score - a.score);
}

/**
 * "overall absence above similar schools (+3.1 pp); years since the last inspection (5.2 years)": the top reasons. A
 * gap or a change is a reason only where it is one: a gap below similar schools (-0.2 pp) that is merely smaller than
 * the average school's is not "above similar schools".
 */
export function explain(parts: ScorePart[], count = 2): string {
  const unitOf = (key: ComponentKey) => COMPONENTS.find((c) => c.key === key)!.unit;
  return (
    parts
      .filter((p) => p.contribution > 0 && p.value !== null && (unitOf(p.key) !== 'pp' || p.value > 0))
      .sort((a, b) => b.contribution - a.contribution)
      .slice(0, count)
      .map((p) => {
        const c = COMPONENTS.find((x) => x.key === p.key)!;
        const v = p.value!;
        const text =
          c.unit === 'pp'
            ? `${v > 0 ? '+' : ''}${v.toFixed(1)} pp`
            : c.unit === '%'
              ? `${v.toFixed(1)}%`
              : `${v.toFixed(1)} years`;
        return `${c.label} (${text})`;
      })
      .join('; ') || 'no component above the average school'
  );
}
