// Compares simulated figures with DfE's published 2025/26 figures (the calibration and season files' facts): LA by LA
// and phase by phase for the year to date, and England's weeks against the shape of DfE's fortnightly releases.
//
//   node dist/pipelines/simulator/compare-dfe.js --url http://127.0.0.1:3000   (a running demo, as its API reports)
//   node dist/pipelines/simulator/compare-dfe.js --simulate [--scale 0.01] [--seed 1] [--today YYYY-MM-DD]
//   node dist/pipelines/simulator/compare-dfe.js --expected [...]
//
// --url reads a running server's measures (AUTH_MODE=dev: it takes a DfE token); --simulate generates the simulator's
// registers for the whole history in memory and counts them as the measures do; --expected counts the pupils' planned
// absences (what the unit spec checks). Prints a Markdown report.
import { parseArgs } from 'node:util';
import { todayInLondon } from '../../server/src/common/dates.js';
import { NATIONAL, type SimPhase } from './calibration.js';
import { distances, expectedFigures, paRate, rate, registerFigures, type Figures, type Tally } from './figures.js';
import { DFE_SEASON, liveDateFor } from './season.js';
import { historyDates } from './simulator.js';
import { syntheticSchools } from './synthetic-schools.js';

const PHASES: (SimPhase | 'Total')[] = ['Total', 'Primary', 'Secondary', 'Special'];

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    simulate: { type: 'boolean' },
    expected: { type: 'boolean' },
    scale: { type: 'string', default: '0.01' },
    seed: { type: 'string', default: '1' },
    today: { type: 'string' },
  },
});

const started = Date.now();
const [figures, how] = values.url ? await fromApi(values.url) : fromSimulator();
console.log(`# Simulated against DfE 2025/26\n\n${how} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
report(figures);

function fromSimulator(): [Figures, string] {
  const today = values.today ?? todayInLondon();
  const seed = Number(values.seed);
  const schools = syntheticSchools(Number(values.scale), seed, today);
  const dates = historyDates(liveDateFor(today));
  const pupils = schools.reduce((sum, s) => sum + s.pupils, 0);
  const what = `${schools.length} schools, ${pupils} pupils (scale ${values.scale}, seed ${seed}), ${dates.length} school days to ${dates[0]}`;
  if (values.expected) return [expectedFigures(schools, seed), `Expected (planned absences): ${what}`];
  return [registerFigures(schools, dates, seed), `Registers generated in memory: ${what}`];
}

async function fromApi(url: string): Promise<[Figures, string]> {
  const { token } = (await (
    await fetch(`${url}/api/v1/auth/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'dfe', scope: '*' }),
    })
  ).json()) as { token: string };
  const get = async (query: string) => {
    const response = await fetch(`${url}/api/v1/measures?${query}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET measures?${query}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { rows: Record<string, string | number | null>[] }).rows;
  };
  const figures: Figures = { las: new Map(), weeks: new Map() };
  const tally = (r: Record<string, string | number | null>): Tally => ({
    possible: Number(r.possible_sessions),
    absent: Number(r.overall_absence),
    enrolments: Number(r.enrolments),
    persistent: Number(r.persistent_absentees),
  });
  // An area's answer has a row for each phase and the Total, whatever the phase asked.
  for (const phase of PHASES) {
    const query = phase === 'Total' ? '' : `&phase=${phase}`;
    const rows = [...(await get(`level=la${query}`)), ...(await get(`level=national${query}`))];
    for (const r of rows.filter((row) => row.education_phase === phase))
      figures.las.set(`${r.geographic_level === 'National' ? NATIONAL : r.new_la_code}|${phase}`, tally(r));
  }
  for (const r of await get('level=national&frame=weekly'))
    figures.weeks.set(`${r.time_period}-W${String(r.time_identifier).replace('Week ', '').padStart(2, '0')}`, {
      possible: Number(r.possible_sessions),
      absent: Number(r.overall_absence),
    });
  return [figures, `The API's measures at ${url} (year to date, as the dashboard shows them)`];
}

function report(f: Figures): void {
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const england = f.las.get(`${NATIONAL}|Total`)!;
  console.log(
    `England: overall absence ${rate(england).toFixed(2)}% (DfE 6.88%), persistent absence ${paRate(england).toFixed(2)}% (DfE 18.78%)\n`,
  );
  console.log(
    '| phase | LAs | overall absence within 0.5 pp | mean distance | worst | persistent absence within 1.5 pp | mean distance | worst |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const all = distances(f);
  for (const phase of PHASES) {
    const rows = all.filter((d) => d.phase === phase);
    const gaps = rows.map((d) => Math.abs(d.simulated - d.dfe));
    const paGaps = rows.map((d) => Math.abs(d.simulatedPa - d.dfePa));
    if (!rows.length) {
      console.log(`| ${phase} | 0 (every LA's figure suppressed for this phase) | | | | | | |`);
      continue;
    }
    console.log(
      `| ${phase} | ${rows.length} | ${gaps.filter((g) => g <= 0.5).length} | ${mean(gaps).toFixed(2)} | ${Math.max(...gaps).toFixed(2)} | ` +
        `${paGaps.filter((g) => g <= 1.5).length} | ${mean(paGaps).toFixed(2)} | ${Math.max(...paGaps).toFixed(2)} |`,
    );
  }
  const worst = all
    .filter((d) => d.phase === 'Total')
    .sort((a, b) => Math.abs(b.simulated - b.dfe) - Math.abs(a.simulated - a.dfe))
    .slice(0, 5);
  const paOutside = all.filter((d) => d.phase === 'Total' && Math.abs(d.simulatedPa - d.dfePa) > 1.5);
  if (paOutside.length)
    console.log(
      `\nPersistent absence more than 1.5 pp from DfE's (Total): ${paOutside.map((d) => `${d.laGss} ${d.simulatedPa.toFixed(1)}% against ${d.dfePa.toFixed(1)}% (${d.enrolments} pupils)`).join('; ')}`,
    );
  console.log(
    `\nFurthest (Total): ${worst.map((d) => `${d.laGss} ${d.simulated.toFixed(2)}% against ${d.dfe.toFixed(2)}% (PA ${d.simulatedPa.toFixed(1)}% against ${d.dfePa.toFixed(1)}%)`).join('; ')}\n`,
  );

  // England's weeks, summed over the weeks of each of DfE's release windows, against DfE's rate for that window; the
  // shape compared as each window's rate over the mean of the windows both have.
  const windows = DFE_SEASON.windows
    .map((w) => {
      const weeks = [...f.weeks].filter(([key]) => {
        const week = Number(key.slice(6));
        return w.fromWeek <= w.toWeek ? w.fromWeek <= week && week <= w.toWeek : week >= w.fromWeek || week <= w.toWeek;
      });
      const sum = weeks.reduce((t, [, x]) => ({ possible: t.possible + x.possible, absent: t.absent + x.absent }), {
        possible: 0,
        absent: 0,
      });
      return { w, simulated: rate(sum), sessions: sum.possible };
    })
    .filter((x) => x.sessions > 0);
  if (!windows.length) return;
  const dfeMean = mean(windows.map((x) => x.w.overallAbsencePerc));
  const simMean = mean(windows.map((x) => x.simulated));
  console.log('| DfE release (weeks) | DfE 2025/26 | simulated | DfE / its mean | simulated / its mean |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const { w, simulated } of windows)
    console.log(
      `| ${w.releaseUpTo} (${w.fromWeek}-${w.toWeek}) | ${w.overallAbsencePerc.toFixed(2)}% | ${simulated.toFixed(2)}% | ${(w.overallAbsencePerc / dfeMean).toFixed(3)} | ${(simulated / simMean).toFixed(3)} |`,
    );
  const xs = windows.map((x) => x.w.overallAbsencePerc);
  const ys = windows.map((x) => x.simulated);
  const [mx, my] = [mean(xs), mean(ys)];
  const r =
    xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) /
    Math.sqrt(xs.reduce((s, x) => s + (x - mx) ** 2, 0) * ys.reduce((s, y) => s + (y - my) ** 2, 0));
  const shapeGap = Math.max(...windows.map((x) => Math.abs(x.simulated / simMean - x.w.overallAbsencePerc / dfeMean)));
  console.log(
    `\nWeekly shape: correlation ${r.toFixed(3)} over ${windows.length} release windows; largest difference of a window's rate relative to the mean ${shapeGap.toFixed(3)}`,
  );
}
