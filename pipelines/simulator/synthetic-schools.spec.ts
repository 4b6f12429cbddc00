import { LOCAL_AUTHORITIES } from '../../server/src/reference/local-authorities.js';
import { phaseOf } from '../../server/src/reference/phase.js';
import { calibrationFor, NATIONAL, SIM_PHASES } from './calibration.js';
import { countedShare } from './synthetic-pupils.js';
import { giasCsv, syntheticSchools } from './synthetic-schools.js';

const GIAS_HEADER =
  'URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),NumberOfPupils,PercentageFSM,Trusts (code),Trusts (name),LSOA (code),MSOA (code),OfstedLastInsp';
const schools = syntheticSchools(0.01, 3, '2026-11-23');

describe('synthetic schools', () => {
  it('cover all 153 LAs, each with a primary school and most with two schools or more', () => {
    const las = new Set(schools.map((s) => s.laCode));
    expect(las.size).toBe(153);
    for (const la of LOCAL_AUTHORITIES)
      expect(schools.some((s) => s.laCode === la.code && s.phase === 'Primary')).toBe(true);
    const single = LOCAL_AUTHORITIES.filter((la) => schools.filter((s) => s.laCode === la.code).length < 2);
    expect(single.length).toBeLessThanOrEqual(3);
    // About 800 schools and 70,000 pupils at 1% of England.
    expect(schools.length).toBeGreaterThan(600);
    expect(schools.length).toBeLessThan(1000);
    const pupils = schools.reduce((sum, s) => sum + s.pupils, 0);
    expect(pupils).toBeGreaterThan(60_000);
    expect(pupils).toBeLessThan(90_000);
  });

  it('are in proportion to DfE school numbers per LA', () => {
    const dfe = (gss: string) => SIM_PHASES.reduce((sum, phase) => sum + calibrationFor(gss, phase).numSchools, 0);
    const simulated = (gss: string) => schools.filter((s) => s.laGss === gss).length;
    // Correlation across LAs between DfE's and the simulated school counts.
    const xs = LOCAL_AUTHORITIES.map((la) => dfe(la.gss));
    const ys = LOCAL_AUTHORITIES.map((la) => simulated(la.gss));
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const [mx, my] = [mean(xs), mean(ys)];
    const cov = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i] - my), 0);
    const r = cov / Math.sqrt(xs.reduce((s, x) => s + (x - mx) ** 2, 0) * ys.reduce((s, y) => s + (y - my) ** 2, 0));
    expect(r).toBeGreaterThan(0.95);
    // Kent (E10000016) has far more schools than Rutland (E06000017).
    expect(simulated('E10000016')).toBeGreaterThanOrEqual(5 * simulated('E06000017'));
  });

  it('write a GIAS file: exact header, unique 6-digit URNs, names with commas quoted, codes in shape', () => {
    const lines = giasCsv(schools).trim().split('\n');
    expect(lines[0]).toBe(GIAS_HEADER);
    expect(lines).toHaveLength(schools.length + 1);
    expect(new Set(schools.map((s) => s.urn)).size).toBe(schools.length);
    const quoted = lines.find((line) => line.includes('"'))!;
    expect(quoted).toMatch(/^\d{6},\d{3},[^,]+,"[^"]+, [^"]+",/);
    const today = new Date('2026-11-23');
    for (const s of schools) {
      expect(String(s.urn)).toMatch(/^\d{6}$/);
      expect(s.lsoa).toMatch(/^E01\d{6}$/);
      expect(s.msoa).toMatch(/^E02\d{6}$/);
      // Pupils live in their LA's school neighbourhoods.
      expect(s.homeLsoas[0]).toBe(s.lsoa);
      expect(s.homeLsoas.every((lsoa) => schools.some((o) => o.lsoa === lsoa && o.laCode === s.laCode))).toBe(true);
      expect(s.fsmPercent).toBeGreaterThanOrEqual(10);
      expect(s.fsmPercent).toBeLessThanOrEqual(45);
      const [d, m, y] = s.ofstedLastInspection.split('-').map(Number);
      const inspected = new Date(Date.UTC(y, m - 1, d));
      expect(inspected.getTime()).toBeLessThanOrEqual(today.getTime());
      expect(today.getTime() - inspected.getTime()).toBeLessThanOrEqual(6 * 365 * 86_400_000);
      // The server reads the same phase from GIAS's fields as the simulator calibrated the school to.
      expect(phaseOf(s.phaseOfEducation, s.type)).toBe(s.phase);
      if (s.phase === 'Special') expect(s.phaseOfEducation).toBe('Not applicable');
      expect(/^(Academy|Free schools)/.test(s.type)).toBe(s.trustCode !== '');
      if (s.trustCode) expect(s.trustCode).toMatch(/^\d{4}$/);
    }
    // Some trusts span LAs.
    const trustLas = new Map<string, Set<string>>();
    for (const s of schools.filter((x) => x.trustCode))
      trustLas.set(s.trustCode, (trustLas.get(s.trustCode) ?? new Set()).add(s.laCode));
    expect([...trustLas.values()].some((las) => las.size > 1)).toBe(true);
  });

  it('scale up to all of England: as many schools and pupils as DfE counts, URNs still 6 digits', () => {
    const england = syntheticSchools(1, 3, '2026-11-23');
    const dfeSchools = SIM_PHASES.reduce((sum, phase) => sum + calibrationFor(NATIONAL, phase).numSchools, 0);
    expect(england.length / dfeSchools).toBeGreaterThan(0.97);
    expect(england.length / dfeSchools).toBeLessThan(1.05);
    const counted = england.reduce((sum, s) => sum + s.pupils * countedShare(s.phase, s.sixthForm), 0);
    const dfePupils = SIM_PHASES.reduce((sum, phase) => sum + calibrationFor(NATIONAL, phase).enrolments, 0);
    expect(counted / dfePupils).toBeGreaterThan(0.95);
    expect(counted / dfePupils).toBeLessThan(1.05);
    expect(england.every((s) => s.urn >= 100000 && s.urn <= 999999)).toBe(true);
    expect(new Set(england.map((s) => s.urn)).size).toBe(england.length);
  });

  it('are deterministic for a seed', () => {
    expect(giasCsv(syntheticSchools(0.01, 3, '2026-11-23'))).toBe(giasCsv(schools));
    expect(giasCsv(syntheticSchools(0.01, 4, '2026-11-23'))).not.toBe(giasCsv(schools));
  });
});
