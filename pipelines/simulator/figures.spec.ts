import { DFE_FIGURES, NATIONAL } from './calibration.js';
import { distances, expectedFigures, paRate, rate, registerFigures } from './figures.js';
import { DFE_SEASON, windowOfWeek } from './season.js';
import { historyDates } from './simulator.js';
import { syntheticSchools } from './synthetic-schools.js';

// The demo's schools (1% of England) as of a day late in the autumn term: what `npm start` would post as history.
const TODAY = '2026-12-04';
const schools = syntheticSchools(0.01, 1, TODAY);
const expected = expectedFigures(schools);

describe("the simulator's expected figures", () => {
  it("are each LA's DfE year to date, phase by phase and in total (overall and persistent absence)", () => {
    const all = distances(expected);
    const published = DFE_FIGURES.filter((r) => r.laGss !== NATIONAL && r.phase === 'Total' && r.paPerc !== null);
    expect(all.filter((d) => d.phase === 'Total')).toHaveLength(published.length);
    const far = (limit: number, paLimit: number, phases: string[]) =>
      all
        .filter((d) => phases.includes(d.phase))
        .filter((d) => Math.abs(d.simulated - d.dfe) > limit || Math.abs(d.simulatedPa - d.dfePa) > paLimit)
        .map(
          (d) =>
            `${d.laGss} ${d.phase}: ${d.simulated.toFixed(2)} vs ${d.dfe}, PA ${d.simulatedPa.toFixed(1)} vs ${d.dfePa}`,
        );
    expect(far(0.5, 1.5, ['Total', 'Primary', 'Secondary'])).toEqual([]);
    // A special school at 1% of England has a handful of pupils: its rate is close, its persistent share is coarse.
    expect(far(0.5, 100, ['Special'])).toEqual([]);
    const england = expected.las.get(`${NATIONAL}|Total`)!;
    const dfe = DFE_FIGURES.find((r) => r.laGss === NATIONAL && r.phase === 'Total')!;
    expect(Math.abs(rate(england) - dfe.overallAbsencePerc!)).toBeLessThan(0.1);
    expect(Math.abs(paRate(england) - dfe.paPerc!)).toBeLessThan(0.5);
  });

  it("follow the shape of DfE's year week by week: low in early September, up to December", () => {
    const weeks = [...expected.weeks].map(([key, t]) => ({ week: Number(key.slice(6)), rate: rate(t) }));
    const ratio = (week: number) =>
      weeks.find((w) => w.week === week)!.rate / rate(expected.las.get(`${NATIONAL}|Total`)!);
    const dfe = (week: number) => windowOfWeek(week).overallAbsencePerc / DFE_SEASON.yearToDatePerc;
    // Each week against the year to date, as DfE's releases have it (the day-of-week mix aside: within 5%).
    for (const { week } of weeks.filter((w) => w.week >= 37))
      expect(Math.abs(ratio(week) / (dfe(week) / meanOfDfe()) - 1)).toBeLessThan(0.05);
    expect(ratio(37)).toBeLessThan(ratio(41));
    expect(ratio(49)).toBeGreaterThan(ratio(45));
  });

  it('are what the registers carry once posted', () => {
    const sample = schools.filter((_, i) => i % 10 === 0);
    const dates = historyDates(TODAY);
    const posted = registerFigures(sample, dates);
    const planned = expectedFigures(sample);
    for (const [key, t] of planned.las) {
      expect(posted.las.get(key)).toEqual(t);
    }
  });
});

/** DfE's weekly rates over the weeks simulated, relative to the year to date (the simulated level's reference). */
function meanOfDfe(): number {
  const weeks = [...expected.weeks].map(([key, t]) => ({ week: Number(key.slice(6)), sessions: t.possible }));
  const total = weeks.reduce((s, w) => s + w.sessions, 0);
  return (
    weeks.reduce((s, w) => s + (windowOfWeek(w.week).overallAbsencePerc / DFE_SEASON.yearToDatePerc) * w.sessions, 0) /
    total
  );
}
