import { describe, expect, it } from '@jest/globals';
import { solvable, type SumEquation } from '../../../tests/support/linear-check.js';
import {
  areaKey,
  areaPattern,
  isSensitive,
  schoolPattern,
  withTotals,
  type AreaLevel,
  type CellCounts,
  type SchoolCounts,
} from './pattern.js';
import { MIN_PUPILS } from './protection.js';

// Property: for random registers, nothing sensitive is shown, and no hidden sensitive cell can be solved for from all
// the totals published to the public (areas, with and without a breakdown) or to DfE (the same and every school).

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

interface School {
  urn: number;
  la: string;
  region: string;
  phase: string;
  cohorts: Record<string, number>;
}

const COHORTS = ['A', 'B', 'C'];

function nation(seed: number) {
  const next = random(seed);
  const regions = ['R1', 'R2', 'R3'];
  const regionOf = new Map<string, string>();
  const schools: School[] = [];
  let urn = 100;
  for (const region of regions) {
    for (let l = 0; l < 2 + Math.floor(next() * 3); l++) {
      const la = `${region}${l}`;
      regionOf.set(la, region);
      for (let s = 0; s < Math.floor(next() * 5); s++) {
        const r = next();
        const phase = r < 0.55 ? 'Primary' : r < 0.8 ? 'Secondary' : r < 0.93 ? 'Special' : 'Other';
        const pupils = 1 + Math.floor(next() ** 2 * 60);
        const cohorts: Record<string, number> = {};
        for (let p = 0; p < pupils; p++) {
          const c = COHORTS[Math.floor(next() ** 1.5 * COHORTS.length)];
          cohorts[c] = (cohorts[c] ?? 0) + 1;
        }
        schools.push({ urn: urn++, la, region, phase, cohorts });
      }
    }
  }
  return { regions, regionOf, schools };
}

const total = (s: School) => Object.values(s.cohorts).reduce((a, b) => a + b, 0);

function cellsOf(schools: School[], byCohort: boolean): Record<AreaLevel, CellCounts[]> {
  const out: Record<AreaLevel, Map<string, CellCounts>> = { national: new Map(), regional: new Map(), la: new Map() };
  const add = (level: AreaLevel, geo: string, phase: string, cohort: string, pupils: number) => {
    const k = `${geo}|${phase}|${cohort}`;
    const c = out[level].get(k) ?? { geo, bucket: '', phase, cohort, num_schools: 0, enrolments: 0 };
    c.num_schools += 1;
    c.enrolments += pupils;
    out[level].set(k, c);
  };
  for (const s of schools) {
    const parts = byCohort ? Object.entries(s.cohorts) : [['', total(s)] as [string, number]];
    for (const [cohort, pupils] of parts) {
      add('national', '', s.phase, cohort, pupils);
      add('regional', s.region, s.phase, cohort, pupils);
      add('la', s.la, s.phase, cohort, pupils);
    }
  }
  return { national: [...out.national.values()], regional: [...out.regional.values()], la: [...out.la.values()] };
}

/** Every published sum, over cells named as the pattern names them. */
function equations(regions: string[], regionOf: Map<string, string>, schools: School[] | undefined): SumEquation[] {
  const eqs: SumEquation[] = [];
  const las = [...regionOf.keys()];
  const columns: [string, string][] = [
    ...['Primary', 'Secondary', 'Special', 'Other', 'Total'].map((p) => [p, ''] as [string, string]),
    ...COHORTS.map((c) => ['Total', c] as [string, string]),
  ];
  for (const [phase, cohort] of columns) {
    eqs.push({
      total: areaKey('national', '', '', phase, cohort),
      parts: regions.map((r) => areaKey('regional', r, '', phase, cohort)),
    });
    for (const r of regions)
      eqs.push({
        total: areaKey('regional', r, '', phase, cohort),
        parts: las.filter((la) => regionOf.get(la) === r).map((la) => areaKey('la', la, '', phase, cohort)),
      });
  }
  const rows: [AreaLevel, string][] = [
    ['national', ''],
    ...regions.map((r) => ['regional', r] as [AreaLevel, string]),
    ...las.map((la) => ['la', la] as [AreaLevel, string]),
  ];
  for (const [level, geo] of rows) {
    eqs.push({
      total: areaKey(level, geo, '', 'Total', ''),
      parts: ['Primary', 'Secondary', 'Special'].map((p) => areaKey(level, geo, '', p, '')),
    });
    eqs.push({
      total: areaKey(level, geo, '', 'Total', ''),
      parts: COHORTS.map((c) => areaKey(level, geo, '', 'Total', c)),
    });
  }
  for (const la of schools ? las : []) {
    const own = schools!.filter((s) => s.la === la);
    for (const phase of ['Primary', 'Secondary', 'Special', 'Other'])
      eqs.push({
        total: areaKey('la', la, '', phase, ''),
        parts: own.filter((s) => s.phase === phase).map((s) => `${s.urn}|`),
      });
    eqs.push({
      total: areaKey('la', la, '', 'Total', ''),
      parts: own.filter((s) => s.phase !== 'Other').map((s) => `${s.urn}|`),
    });
  }
  return eqs;
}

describe('the disclosure pattern', () => {
  it('shows no sensitive cell and lets none be solved for from every total published to the public and to DfE', () => {
    let hiddenCells = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { regions, regionOf, schools } = nation(seed);
      const geography = { regions, regionOf };
      const plain = cellsOf(schools, false);
      const byCohort = cellsOf(schools, true);
      const totals = areaPattern(plain, geography);
      const cohorts = areaPattern(byCohort, geography, COHORTS, totals);
      const size = new Map<string, number>();
      const sensitive = new Set<string>();
      for (const [counts, breakdown] of [
        [plain, false],
        [byCohort, true],
      ] as const) {
        for (const level of ['national', 'regional', 'la'] as const) {
          for (const c of withTotals(counts[level])) {
            if (breakdown && c.phase !== 'Total') continue;
            const k = areaKey(level, c.geo, '', c.phase, c.cohort);
            size.set(k, c.enrolments);
            if (isSensitive(c)) sensitive.add(k);
          }
        }
      }
      const hidden = new Set([...totals.hidden, ...cohorts.hidden]);
      for (const k of sensitive) expect(hidden.has(k)).toBe(true);
      const publicEquations = equations(regions, regionOf, undefined);
      expect(solvable(publicEquations, hidden).filter((k) => sensitive.has(k))).toEqual([]);

      const schoolCounts: SchoolCounts[] = schools.map((s) => ({
        urn: s.urn,
        laCode: s.la,
        bucket: '',
        phase: s.phase,
        enrolments: total(s),
      }));
      const schoolsHidden = schoolPattern(schoolCounts, totals);
      for (const s of schoolCounts) if (s.enrolments < MIN_PUPILS) expect(schoolsHidden.has(`${s.urn}|`)).toBe(true);
      // DfE sees every school (not by cohort) as well: the small ones and the small areas must stay unsolvable.
      const dfeSensitive = new Set([
        ...[...sensitive].filter((k) => (size.get(k) ?? 0) < MIN_PUPILS),
        ...schoolCounts.filter((s) => s.enrolments < MIN_PUPILS).map((s) => `${s.urn}|`),
      ]);
      const dfeHidden = new Set([...hidden, ...schoolsHidden]);
      expect(solvable(equations(regions, regionOf, schools), dfeHidden).filter((k) => dfeSensitive.has(k))).toEqual([]);
      hiddenCells += hidden.size;
    }
    expect(hiddenCells).toBeGreaterThan(0);
  });

  it('hides a lone small school with the smallest other school of its LA and phase, not the LA', () => {
    const geography = {
      regions: ['R'],
      regionOf: new Map([
        ['A', 'R'],
        ['B', 'R'],
      ]),
    };
    const schools: School[] = [
      { urn: 1, la: 'A', region: 'R', phase: 'Primary', cohorts: { A: 4 } },
      { urn: 2, la: 'A', region: 'R', phase: 'Primary', cohorts: { A: 30 } },
      { urn: 3, la: 'A', region: 'R', phase: 'Primary', cohorts: { A: 50 } },
      { urn: 4, la: 'B', region: 'R', phase: 'Primary', cohorts: { A: 40 } },
      { urn: 5, la: 'B', region: 'R', phase: 'Primary', cohorts: { A: 45 } },
    ];
    const totals = areaPattern(cellsOf(schools, false), geography);
    expect(totals.hidden.size).toBe(0);
    const hidden = schoolPattern(
      schools.map((s) => ({ urn: s.urn, laCode: s.la, bucket: '', phase: s.phase, enrolments: total(s) })),
      totals,
    );
    expect([...hidden].sort()).toEqual(['1|', '2|']);
  });

  it('hides the same cells of two days whose cells are the same (each day named in its own pattern)', () => {
    const geography = {
      regions: ['R'],
      regionOf: new Map([
        ['A', 'R'],
        ['B', 'R'],
      ]),
    };
    const day = (bucket: string) => [
      { geo: 'A', bucket, phase: 'Primary', cohort: '', num_schools: 1, enrolments: 30 },
      { geo: 'B', bucket, phase: 'Primary', cohort: '', num_schools: 3, enrolments: 90 },
    ];
    const counts = (bucket: string) => ({ national: [], regional: [], la: day(bucket) });
    const first = areaPattern(counts('2025-12-15'), geography);
    const second = areaPattern(counts('2025-12-16'), geography);
    expect([...second.hidden].sort()).toEqual(
      [...first.hidden].map((k) => k.replace('2025-12-15', '2025-12-16')).sort(),
    );
    expect([...second.hidden].some((k) => k.includes('2025-12-16'))).toBe(true);
  });

  it('hides the whole bucket, rather than fail, where counts read a moment apart do not add up', () => {
    const geography = {
      regions: ['R'],
      regionOf: new Map([
        ['A', 'R'],
        ['B', 'R'],
      ]),
    };
    const row = (geo: string, phase: string, cohort: string, num_schools: number, enrolments: number) => ({
      geo,
      bucket: 'd',
      phase,
      cohort,
      num_schools,
      enrolments,
    });
    // A's one special school came in after England and its region were counted: no box can hold its cell.
    const plain = {
      national: [row('', 'Primary', '', 6, 70)],
      regional: [row('R', 'Primary', '', 6, 70)],
      la: [row('A', 'Primary', '', 3, 30), row('A', 'Special', '', 1, 5), row('B', 'Primary', '', 3, 40)],
    };
    const totals = areaPattern(plain, geography);
    const every = [
      ...['N|d|Primary|', 'N|d|Total|', 'R:R|d|Primary|', 'R:R|d|Total|'],
      ...['L:A|d|Primary|', 'L:A|d|Special|', 'L:A|d|Total|', 'L:B|d|Primary|', 'L:B|d|Total|'],
    ];
    expect([...totals.hidden].sort()).toEqual(every.sort());

    // A breakdown whose totals' box reaches rows it has no cohorts for (read a moment apart) is hidden whole too.
    const consistent = {
      national: [row('', 'Primary', '', 7, 95)],
      regional: [row('R', 'Primary', '', 7, 95)],
      la: [row('A', 'Primary', '', 1, 5), row('B', 'Primary', '', 6, 90)],
    };
    const boxed = areaPattern(consistent, geography);
    expect(boxed.hidden.has('L:A|d|Total|')).toBe(true);
    const cohorts = {
      national: [row('', 'Primary', 'A', 2, 40)],
      regional: [row('R', 'Primary', 'A', 2, 40)],
      la: [row('B', 'Primary', 'A', 2, 40)],
    };
    const byCohort = areaPattern(cohorts, geography, COHORTS, boxed);
    expect([...byCohort.hidden].sort()).toEqual(['L:B|d|Total|A', 'N|d|Total|A', 'R:R|d|Total|A']);
  });
});
