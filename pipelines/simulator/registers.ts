// Simulated register marks for one school and date, calibrated per LA and phase to DfE's real figures: each pupil's
// absences over the year to date (synthetic-pupils.ts) set who is absent, DfE's own code mix for the LA and phase sets
// the reasons, shifted with the season (illness in winter, holidays at the ends of terms). Everything is
// deterministic for a (seed, school, date, live cycle).
import { eesWeek } from '../../server/src/common/dates.js';
import { calibrationFor, type Calibration } from './calibration.js';
import { hashSeed, mulberry32, type Rng } from './random.js';
import { windowOfWeek, DFE_SEASON } from './season.js';
import { closedOn, dayOfYear, pupilsOf } from './synthetic-pupils.js';
import type { SimSchool } from './sim-school.js';

export const REGISTER_HEADER = 'urn,upn,date,session,code,year_group,sex,fsm,sen,eal,ethnicity,cin,cla,lsoa\n';

export type Session = 'AM' | 'PM';
const ABSENCE_CODES = ['I', 'M', 'R', 'S', 'T', 'H', 'E', 'C', 'C1', 'J1', 'C2', 'G', 'U', 'O'] as const;
const AEA_CODES = ['B', 'J', 'P', 'V', 'W', 'K'] as const;
const ABSENT: ReadonlySet<string> = new Set(ABSENCE_CODES);
/** Share of a live day's absences first sent as N ("no reason yet") and amended later. */
const PENDING_SHARE = 0.6;
/**
 * Share of present pupils first sent as N too: they arrived after the register was taken and are marked late (L) or
 * present later, so a day's absence rate first reads about a point high and settles, as DfE describes for its own.
 */
const LATE_ARRIVAL_SHARE = 0.012;
const PRESENT: ReadonlySet<string> = new Set(['/', '\\', 'L']);

/** Cumulative weights, for drawing a code in one comparison loop without allocating. */
interface Table {
  codes: string[];
  cumulative: number[];
  total: number;
}

function table(codes: readonly string[], rates: Record<string, number>): Table {
  let total = 0;
  const cumulative = codes.map((c) => (total += rates[c] ?? 0));
  return { codes: [...codes], cumulative, total };
}

function draw(rng: Rng, t: Table): string {
  const r = rng() * t.total;
  for (let i = 0; i < t.codes.length; i++) if (r < t.cumulative[i]) return t.codes[i];
  return t.codes[t.codes.length - 1];
}

interface Mix {
  absence: Table;
  /** Afternoon-only absence: not late after registers closed (U is a morning code here). */
  absencePm: Table;
  aea: Table;
  aeaRate: number;
  lateRate: number;
}

const mixCache = new WeakMap<Calibration, Map<string, Mix>>();

/**
 * The LA and phase's mix of codes, its reasons shifted with the season: illness with England's weekly absence (the
 * winter's rise is mostly illness), holidays (G, H) at the ends and starts of half terms.
 */
function mixFor(cal: Calibration, school: SimSchool, date: string): Mix {
  const illness = windowOfWeek(eesWeek(date).week).overallAbsencePerc / DFE_SEASON.yearToDatePerc;
  const holiday = school.season.holiday(date);
  const key = `${illness}|${holiday}`;
  const mixes = mixCache.get(cal) ?? new Map<string, Mix>();
  mixCache.set(cal, mixes);
  let mix = mixes.get(key);
  if (!mix) {
    const rates = { ...cal.codeRates };
    rates.I = (rates.I ?? 0) * illness ** 2;
    rates.G = (rates.G ?? 0) * holiday;
    rates.H = (rates.H ?? 0) * holiday;
    const aea = table(AEA_CODES, cal.codeRates);
    mix = {
      absence: table(ABSENCE_CODES, rates),
      absencePm: table(
        ABSENCE_CODES.filter((c) => c !== 'U'),
        rates,
      ),
      aea,
      aeaRate: aea.total,
      lateRate: (cal.codeRates.L ?? 0) / (1 - cal.absence),
    };
    mixes.set(key, mix);
  }
  return mix;
}

/** One school's marks for one date: final codes, and which absences a live register first sends as N. */
export interface SchoolDay {
  school: SimSchool;
  date: string;
  am: string[];
  pm: string[];
  /** Indexes of pupils whose AM / PM absence is sent as N first and amended later (live day only). */
  pendingAm: Set<number>;
  pendingPm: Set<number>;
}

/**
 * A complete day's register; with `liveCycle`, some absences (and some pupils who arrived late) are pending: sent as
 * N until amended.
 */
export function schoolDay(school: SimSchool, date: string, seed = 1, liveCycle?: number): SchoolDay {
  const rng = mulberry32(hashSeed(seed, 'day', school.urn, date));
  const mix = mixFor(calibrationFor(school.laGss, school.phase), school, date);
  const pupils = pupilsOf(school, seed);
  const { season } = school;
  // Within the year to date each pupil's absences are fixed (synthetic-pupils.ts); beyond it, drawn day by day.
  const planned = season.dates.length > 0 && season.dates[0] <= date && date < season.asOf;
  const factor = season.factor(date);
  const closed = closedOn(school, date, seed);
  const present = (session: Session): string => {
    const r = rng();
    if (r < mix.aeaRate) return draw(rng, mix.aea);
    if (r < mix.aeaRate + mix.lateRate) return 'L';
    return session === 'AM' ? '/' : '\\';
  };
  const day = dayOfYear(date);
  const am: string[] = new Array(pupils.length);
  const pm: string[] = new Array(pupils.length);
  for (let i = 0; i < pupils.length; i++) {
    const pupil = pupils[i];
    // Not possible sessions: the school closed, a pupil whose other school keeps the register, one not yet on roll.
    if (closed || pupil.dualRegistered || day < pupil.joinDay) {
      am[i] = pm[i] = closed ? '#' : pupil.dualRegistered ? 'D' : 'Z';
      continue;
    }
    let absent: 'AM' | 'PM' | 'day' | undefined;
    if (planned) absent = pupil.absences.get(date);
    else if (rng() < Math.min(0.98, pupil.propensity * factor))
      absent = rng() < 0.85 ? 'day' : rng() < 0.5 ? 'AM' : 'PM';
    let amCode = absent === 'day' || absent === 'AM' ? draw(rng, mix.absence) : present('AM');
    let pmCode =
      absent === 'day' ? (amCode === 'U' ? 'O' : amCode) : absent === 'PM' ? draw(rng, mix.absencePm) : present('PM');
    // Below and above compulsory school age a pupil need not attend every session: a morning-only nursery place,
    // sixth-form study periods.
    if (pupil.partTime) pmCode = 'X';
    else if (pupil.notRequiredRate > 0) {
      if (rng() < pupil.notRequiredRate) amCode = 'X';
      if (rng() < pupil.notRequiredRate) pmCode = 'X';
    }
    am[i] = amCode;
    pm[i] = pmCode;
  }
  const pendingAm = new Set<number>();
  const pendingPm = new Set<number>();
  if (liveCycle !== undefined) {
    const live = mulberry32(hashSeed(seed, 'live', school.urn, date, liveCycle));
    for (let i = 0; i < pupils.length; i++) {
      // Late after registers closed (U) is known when the register is taken; the rest may wait for a reason.
      if (ABSENT.has(am[i]) && am[i] !== 'U' && live() < PENDING_SHARE) pendingAm.add(i);
      else if (PRESENT.has(am[i]) && live() < LATE_ARRIVAL_SHARE) pendingAm.add(i);
      if (ABSENT.has(pm[i]) && live() < PENDING_SHARE) pendingPm.add(i);
      else if (PRESENT.has(pm[i]) && live() < LATE_ARRIVAL_SHARE / 2) pendingPm.add(i);
    }
  }
  return { school, date, am, pm, pendingAm, pendingPm };
}

/** CSV rows (no header) for one session; pending absences are sent as N ("no reason yet"). */
export function sessionRows(day: SchoolDay, session: Session, seed = 1): string {
  const pupils = pupilsOf(day.school, seed);
  const codes = session === 'AM' ? day.am : day.pm;
  const pending = session === 'AM' ? day.pendingAm : day.pendingPm;
  const prefix = `${day.school.urn},`;
  const middle = `,${day.date},${session},`;
  let out = '';
  for (let i = 0; i < pupils.length; i++) {
    out += `${prefix}${pupils[i].upn}${middle}${pending.has(i) ? 'N' : codes[i]},${pupils[i].yearGroup}${pupils[i].tail}\n`;
  }
  return out;
}

/**
 * Resolves pending N marks of the given sessions, each with probability `share`, as a register amended later in the
 * day: they leave the pending sets, so the session's rows now carry their reasons. Returns the pupils resolved.
 */
export function resolvePending(day: SchoolDay, session: Session, share: number, rng: Rng): number[] {
  const pending = session === 'AM' ? day.pendingAm : day.pendingPm;
  const resolved: number[] = [];
  for (const i of pending) if (rng() < share) resolved.push(i);
  for (const i of resolved) pending.delete(i);
  return resolved;
}

/** CSV rows (no header) that replace pending N marks with their reasons (see resolvePending). */
export function amendmentRows(day: SchoolDay, sessions: readonly Session[], share: number, rng: Rng, seed = 1): string {
  const pupils = pupilsOf(day.school, seed);
  let out = '';
  for (const session of sessions) {
    const codes = session === 'AM' ? day.am : day.pm;
    for (const i of resolvePending(day, session, share, rng)) {
      out += `${day.school.urn},${pupils[i].upn},${day.date},${session},${codes[i]},${pupils[i].yearGroup}${pupils[i].tail}\n`;
    }
  }
  return out;
}

/** One school's register submission: the header, then one row per pupil for each session given. */
export function registerCsv(day: SchoolDay, sessions: readonly Session[], seed = 1): string {
  let out = REGISTER_HEADER;
  for (const session of sessions) out += sessionRows(day, session, seed);
  return out;
}

/** CSV rows (no header) for a complete school day, both sessions, as history is posted. */
export function dayRows(school: SimSchool, date: string, seed = 1): string {
  const day = schoolDay(school, date, seed);
  return sessionRows(day, 'AM', seed) + sessionRows(day, 'PM', seed);
}
