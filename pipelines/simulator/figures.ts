// The simulated schools' year-to-date figures per LA and phase, counted as DfE counts them (pupils in years 1-11,
// rates over possible sessions, persistent absence per enrolment at 10% or more), and England's by ISO week: from the
// pupils' planned absences (expected, fast) or from the registers themselves (what the API would be sent).
import { eesWeek } from '../../server/src/common/dates.js';
import { COUNTED_YEAR_GROUPS, REGISTER_CODES } from '../../server/src/contract/vocabulary.js';
import { DFE_FIGURES, NATIONAL, type CalibrationRow, type SimPhase } from './calibration.js';
import { schoolDay } from './registers.js';
import type { SimSchool } from './sim-school.js';
import { closedOn, dayOfYear, pupilsOf } from './synthetic-pupils.js';

export interface Tally {
  possible: number;
  absent: number;
  enrolments: number;
  persistent: number;
}

export interface Figures {
  /** By `${laGss}|${phase}`, phase Total included. */
  las: Map<string, Tally>;
  /** England's sessions by ISO week (`2026-W37`). */
  weeks: Map<string, { possible: number; absent: number }>;
}

export const rate = (t: { possible: number; absent: number }) => (t.possible ? (100 * t.absent) / t.possible : NaN);
export const paRate = (t: Tally) => (t.enrolments ? (100 * t.persistent) / t.enrolments : NaN);

const tallyOf = (map: Map<string, Tally>, key: string) => {
  let t = map.get(key);
  if (!t) map.set(key, (t = { possible: 0, absent: 0, enrolments: 0, persistent: 0 }));
  return t;
};

function addPupil(figures: Figures, school: SimSchool, possible: number, absent: number): void {
  if (!possible) return;
  for (const key of [school.laGss, NATIONAL].flatMap((la) => [`${la}|${school.phase}`, `${la}|Total`])) {
    const t = tallyOf(figures.las, key);
    t.possible += possible;
    t.absent += absent;
    t.enrolments++;
    if (absent * 10 >= possible) t.persistent++;
  }
}

const weekKeys = new Map<string, string>();
/** ISO week as `2026-W37`, of the week's Monday's year (as EES labels weeks). */
export function weekKey(date: string): string {
  let key = weekKeys.get(date);
  if (!key) {
    const { timePeriod, week } = eesWeek(date);
    weekKeys.set(date, (key = `${timePeriod}-W${String(week).padStart(2, '0')}`));
  }
  return key;
}

function addWeek(figures: Figures, date: string, possible: number, absent: number): void {
  const key = weekKey(date);
  const w = figures.weeks.get(key) ?? { possible: 0, absent: 0 };
  w.possible += possible;
  w.absent += absent;
  figures.weeks.set(key, w);
}

/** The figures the pupils' planned absences give over their season's year to date (every school day posted). */
export function expectedFigures(schools: readonly SimSchool[], seed = 1): Figures {
  const figures: Figures = { las: new Map(), weeks: new Map() };
  for (const school of schools) {
    const dates = school.season.dates.filter((d) => !closedOn(school, d, seed));
    const days = dates.map(dayOfYear);
    for (const pupil of pupilsOf(school, seed)) {
      if (!COUNTED_YEAR_GROUPS.has(pupil.yearGroup) || pupil.dualRegistered) continue;
      let possible = 0;
      let absent = 0;
      dates.forEach((date, i) => {
        if (days[i] < pupil.joinDay) return;
        const missed = pupil.absences.get(date);
        const sessions = missed === 'day' ? 2 : missed ? 1 : 0;
        possible += 2;
        absent += sessions;
        addWeek(figures, date, 2, sessions);
      });
      addPupil(figures, school, possible, absent);
    }
  }
  return figures;
}

/** The figures of the registers the simulator would post for these dates (both sessions, final codes). */
export function registerFigures(schools: readonly SimSchool[], dates: readonly string[], seed = 1): Figures {
  const figures: Figures = { las: new Map(), weeks: new Map() };
  const category = (code: string) => REGISTER_CODES.get(code)!.category;
  for (const school of schools) {
    const pupils = pupilsOf(school, seed);
    const possible = new Int32Array(pupils.length);
    const absent = new Int32Array(pupils.length);
    for (const date of dates) {
      const day = schoolDay(school, date, seed);
      let dayPossible = 0;
      let dayAbsent = 0;
      for (let i = 0; i < pupils.length; i++) {
        if (!COUNTED_YEAR_GROUPS.has(pupils[i].yearGroup)) continue;
        for (const code of [day.am[i], day.pm[i]]) {
          const c = category(code);
          if (c === 'not_possible') continue;
          possible[i]++;
          dayPossible++;
          if (c === 'authorised' || c === 'unauthorised') {
            absent[i]++;
            dayAbsent++;
          }
        }
      }
      addWeek(figures, date, dayPossible, dayAbsent);
    }
    pupils.forEach((_, i) => addPupil(figures, school, possible[i], absent[i]));
  }
  return figures;
}

export interface Distance {
  laGss: string;
  phase: SimPhase | 'Total';
  simulated: number;
  dfe: number;
  simulatedPa: number;
  dfePa: number;
  /** The simulated pupils persistent absence is counted over. */
  enrolments: number;
}

/** Each LA and phase's simulated figures beside DfE's (where DfE publishes them). */
export function distances(figures: Figures, calibrationRows: readonly CalibrationRow[] = DFE_FIGURES): Distance[] {
  const out: Distance[] = [];
  for (const row of calibrationRows) {
    const t = figures.las.get(`${row.laGss}|${row.phase}`);
    if (!t?.possible || row.laGss === NATIONAL || row.overallAbsencePerc === null || row.paPerc === null) continue;
    out.push({
      laGss: row.laGss,
      phase: row.phase,
      simulated: rate(t),
      dfe: row.overallAbsencePerc,
      simulatedPa: paRate(t),
      dfePa: row.paPerc,
      enrolments: t.enrolments,
    });
  }
  return out;
}
