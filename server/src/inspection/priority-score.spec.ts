import { explain, score, type ComponentValues } from './priority-score.js';

const values = (
  absenceGap: number | null,
  paGap: number | null,
  change: number | null,
  changeOnYear: number | null,
  severe: number | null,
  sinceInspection: number | null,
): ComponentValues => ({
  absenceGap,
  paGap,
  change,
  changeOnYear,
  severe,
  sinceInspection,
});

describe('inspection priority score', () => {
  // Two schools: each component's mean is the midpoint and its sd half the difference, so each z is +1 or -1. A:
  // absence gap +4 (z +1), PA gap 0 (z -1), change +2 (z +1), on last year unknown (0), severe 1 (z -1), 6 years (z +1)
  // score = 0.25 - 0.2 + 0.15 + 0 - 0.15 + 0.15 = 0.2; B is the mirror: -0.2.
  const a = values(4, 0, 2, null, 1, 6);
  const b = values(-2, 6, -2, null, 3, 2);

  it('adds the weighted z-scores of its components, highest first', () => {
    const ranked = score(['B', 'A'], (name) => (name === 'A' ? a : b));
    expect(ranked.map((r) => r.item)).toEqual(['A', 'B']);
    expect(ranked[0].score).toBeCloseTo(0.2, 12);
    expect(ranked[1].score).toBeCloseTo(-0.2, 12);
    expect(ranked[0].parts.map((p) => p.contribution)).toEqual(
      [0.25, -0.2, 0.15, 0, -0.15, 0.15].map((x) => expect.closeTo(x, 12)),
    );
  });

  it('counts an unknown component as average (it adds nothing), and keeps the others', () => {
    const ranked = score(['A', 'C'], (name) => (name === 'A' ? a : values(null, null, null, null, null, null)));
    // Only A has values: every sd falls back to 1 and A sits at the mean of its own values: all zero.
    expect(ranked.every((r) => r.score === 0)).toBe(true);
  });

  it('says why a school ranks where it does: its two largest positive parts, with their values', () => {
    const [top] = score(['A', 'B'], (name) => (name === 'A' ? a : b));
    expect(explain(top.parts)).toBe(
      'overall absence above similar schools (+4.0 pp); rise in absence this half term on the last (+2.0 pp)',
    );
    expect(explain(top.parts, 3)).toContain('years since the last inspection (6.0 years)');
  });

  it('gives a gap below similar schools as no reason, though it is smaller than the average school’s', () => {
    // C's absence gap -0.2 pp is above the mean of -1.1 (so it adds to C's score), but C is below its similar schools.
    const c = values(-0.2, null, null, null, 2, 3);
    const d = values(-2, null, null, null, 2, 3);
    const [top] = score(['C', 'D'], (name) => (name === 'C' ? c : d));
    expect(top.item).toBe('C');
    expect(top.parts[0].contribution).toBeGreaterThan(0);
    expect(explain(top.parts)).toBe('no component above the average school');
  });
});
