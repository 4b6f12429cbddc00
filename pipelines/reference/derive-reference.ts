// Derives the small committed reference files from ../shared/data (facts: codes, names, neighbours, DfE figures).
// Run by hand when the shared data changes: npm run derive-reference
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

const shared = process.argv[2] ?? '../shared/data';
const out = (path: string, value: unknown) => writeFileSync(path, JSON.stringify(value, null, 1) + '\n');

type LaCsv = Record<
  'old_la_code' | 'new_la_code' | 'la_name' | 'region_code' | 'region_name' | 'geo_neighbours' | 'stat_neighbours',
  string
>;
const las = (parse(readFileSync(join(shared, 'geo/local-authorities.csv')), { columns: true }) as LaCsv[]).map((r) => ({
  code: r.old_la_code,
  gss: r.new_la_code,
  name: r.la_name,
  regionCode: r.region_code,
  regionName: r.region_name,
  geoNeighbours: r.geo_neighbours ? r.geo_neighbours.split(';') : [],
  statNeighbours: r.stat_neighbours ? r.stat_neighbours.split(';') : [],
}));
out('server/src/reference/local-authorities.json', las);

// Calibration for the simulator: DfE 2025/26 year-to-date figures per LA and phase.
const num = (v: string) => (v === 'c' || v === 'z' || v === 'x' || v === '' ? null : Number(v));
const ees = parse(readFileSync(join(shared, 'dfe/EES_ytd_data.csv')), { columns: true }) as Record<string, string>[];
const reasons = Object.keys(ees[0]).filter((k) => k.startsWith('reason_') && !k.startsWith('reason_present'));
// DfE's file may still carry superseded GSS codes (Barnsley and Sheffield changed in 2025): map them to today's.
const aliases = new Map(
  (parse(readFileSync(join(shared, 'geo/la-code-aliases.csv')), { columns: true }) as Record<string, string>[]).map(
    (r) => [r.superseded_code, r.current_new_la_code],
  ),
);
const calibration = ees
  .filter((r) => r.geographic_level === 'Local authority' || r.geographic_level === 'National')
  .map((r) => ({
    laGss: r.geographic_level === 'National' ? 'E92000001' : (aliases.get(r.new_la_code) ?? r.new_la_code),
    phase: r.education_phase,
    numSchools: num(r.num_schools),
    enrolments: num(r.enrolments),
    possibleSessions: num(r.possible_sessions),
    overallAbsencePerc: num(r.overall_absence_perc),
    authorisedAbsencePerc: num(r.authorised_absence_perc),
    unauthorisedAbsencePerc: num(r.unauthorised_absence_perc),
    paPerc: num(r.pa_perc),
    reasons: Object.fromEntries(reasons.map((k) => [k, num(r[k])])),
  }));
out('pipelines/simulator/calibration.json', calibration);

// The year's shape for the simulator: England's overall absence between DfE's fortnightly 2025/26 releases (each
// release's sessions and absences less the one before's), by the ISO weeks each release added.
const releases = parse(readFileSync(join(shared, 'dfe/england-ytd-releases-2025-26.csv')), { columns: true }) as Record<
  string,
  string
>[];
const weekOf = (label: string) => Number(label.split(' Week ')[1]);
const season = {
  source:
    "DfE 'Pupil attendance in schools' 2025/26, England, all phases: overall absence between fortnightly releases " +
    '(dfe-analytical-services/attendance-data-dashboard, data/EES_ytd_data.csv at each release commit; OGL v3.0)',
  yearToDatePerc: Number(releases[releases.length - 1].ytd_overall_absence_perc),
  windows: releases.map((r, i) => ({
    releaseUpTo: r.release_up_to,
    commit: r.commit,
    // The first release counts from the start of term (ISO week 36).
    fromWeek: i === 0 ? 36 : (weekOf(releases[i - 1].release_up_to) % 52) + 1,
    toWeek: weekOf(r.release_up_to),
    possibleSessions: Number(r.since_previous_possible_sessions),
    overallAbsencePerc: Number(r.since_previous_overall_absence_perc),
  })),
};
out('pipelines/simulator/season.json', season);
console.log(`${las.length} LAs, ${calibration.length} calibration rows, ${season.windows.length} release windows`);
