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
console.log(`${las.length} LAs, ${calibration.length} calibration rows`);
