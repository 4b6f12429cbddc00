import { comparatorsOf, matchedPairs, type SchoolProfile } from './comparators.js';

const school = (urn: number, fsmPerc: number, senPerc: number, pupils: number, phase = 'Primary'): SchoolProfile => ({
  urn,
  phase,
  fsmPerc,
  senPerc,
  pupils,
});

describe('comparator schools', () => {
  // Four primaries: FSM 10, 20, 30, 40 (mean 25, sd sqrt(125) = 11.18); SEN all 10 (sd 0 -> 1, no effect);
  // pupils all 100 (log equal). Distances from urn 1 (FSM 10): 10/11.18 = 0.894, 1.789, 2.683.
  const profiles = [
    school(1, 10, 10, 100),
    school(2, 20, 10, 100),
    school(3, 30, 10, 100),
    school(4, 40, 10, 100),
    school(9, 10, 10, 100, 'Secondary'),
  ];

  it('are the nearest schools of the same phase, nearest first, with standardised distances', () => {
    const got = comparatorsOf(1, profiles, 2);
    expect(got.map((c) => c.urn)).toEqual([2, 3]);
    expect(got[0].distance).toBeCloseTo(10 / Math.sqrt(125), 9);
    expect(got[1].distance).toBeCloseTo(20 / Math.sqrt(125), 9);
  });

  it('weigh each measure by its spread, so a large difference in a widely spread measure counts less', () => {
    // FSM spread is wide (0..60), SEN narrow (10..12): 2 points of SEN outweigh 10 points of FSM.
    const mixed = [
      school(1, 30, 10, 100),
      school(2, 40, 10, 100),
      school(3, 30, 12, 100),
      school(4, 0, 11, 100),
      school(5, 60, 11, 100),
    ];
    expect(comparatorsOf(1, mixed, 1).map((c) => c.urn)).toEqual([2]);
    // FSM mean 32, squared deviations 4 + 64 + 4 + 1024 + 784 = 1880, sd sqrt(376) = 19.39: 10 points is 0.516. SEN
    // mean 10.8, squared deviations 0.64 + 0.64 + 1.44 + 0.04 + 0.04 = 2.8, sd sqrt(0.56) = 0.748: 2 points is 2.67.
    expect(comparatorsOf(1, mixed, 1)[0].distance).toBeCloseTo(10 / Math.sqrt(376), 9);
    // Urn 4 (30 points of FSM and 1 of SEN: hypot(1.547, 1.336) = 2.04) is nearer than urn 3 (2.67).
    expect(comparatorsOf(1, mixed, 3).slice(1)).toEqual([
      { urn: 4, distance: expect.closeTo(Math.hypot(30 / Math.sqrt(376), 1 / Math.sqrt(0.56)), 9) },
      { urn: 5, distance: expect.closeTo(Math.hypot(30 / Math.sqrt(376), 1 / Math.sqrt(0.56)), 9) },
    ]);
  });

  it('never include the school itself or another phase, and are empty for an unknown school', () => {
    expect(comparatorsOf(1, profiles).map((c) => c.urn)).toEqual([2, 3, 4]);
    expect(comparatorsOf(42, profiles)).toEqual([]);
  });
});

describe('matched pairs for a programme', () => {
  // Programme schools 1 (FSM 10) and 2 (FSM 12) both lie nearest to 3 (FSM 11); 4 (FSM 40) and 5 (FSM 0) are the
  // others. Absence before is 5 everywhere. Closest pair first: 1-3 and 2-3 tie at 1 / sd, 1 (lower URN) takes 3, and 2
  // gets the next nearest unused school, 5 (12 points) rather than 4 (28).
  const primaries = [
    school(1, 10, 0, 100),
    school(2, 12, 0, 100),
    school(3, 11, 0, 100),
    school(4, 40, 0, 100),
    school(5, 0, 0, 100),
  ];
  const before = new Map(primaries.map((p) => [p.urn, 5]));

  it('takes the closest pairs first and uses each comparator once, never a programme school', () => {
    const pairs = matchedPairs([1, 2], primaries, before);
    expect([...pairs].map(([urn, c]) => [urn, c.urn])).toEqual([
      [1, 3],
      [2, 5],
    ]);
  });

  it('matches on absence before the start too, and leaves a school without figures unmatched', () => {
    const unlike = new Map([...before, [3, 30]]);
    // 3 was absent 30% before (2.5 spreads away): 1 takes 5, so 2 takes 4 (28 points of FSM: 2.09 spreads).
    expect([...matchedPairs([1, 2], primaries, unlike)].map(([urn, c]) => [urn, c.urn])).toEqual([
      [1, 5],
      [2, 4],
    ]);
    expect(matchedPairs([1, 42], primaries, before).has(42)).toBe(false);
    expect(matchedPairs([1], [...primaries, school(9, 10, 0, 100, 'Secondary')], before).get(1)?.urn).toBe(3);
  });
});
