// The JSON shapes the API answers with, shared by the server and the Vue client (types only, no runtime code).
import type { Level } from './live/live-events.js';

/**
 * period: one row for from-to; daily, weekly (week commencing Monday); weekday: the Monday..Friday pattern over the
 * period; half_term, term: one row per half term or term of the term calendar.
 */
export type Frame = 'period' | 'daily' | 'weekly' | 'weekday' | 'half_term' | 'term';
export type PhaseName = 'Primary' | 'Secondary' | 'Special' | 'Other' | 'Total';

/** An EES cell: a count, an unrounded rate (null with no possible sessions), a name or code, or a symbol such as "c". */
export type Cell = number | string | null;
/** One row of EES columns (time_period, new_la_code, la_name, overall_absence_perc, ...). */
export type EesRow = Record<string, Cell>;

export interface MeasuresResult {
  level: Level;
  from: string;
  to: string;
  frame: Frame;
  columns: string[];
  rows: EesRow[];
}

export interface Status {
  today: string;
  latestDate: string | null;
  academicYearStart: string;
  schoolsInRegister: number;
  schoolsSubmitted: { date: string | null; count: number };
  authMode: 'dev' | 'jwt';
  /** Roll-up jobs not finished yet: the figures catch up when this is 0. */
  pendingRollups: number;
}

export interface LocalAuthority {
  /** 3-digit DfE code (old_la_code), as GIAS and scopes use it. */
  code: string;
  /** GSS code (new_la_code), as the boundaries use it. */
  gss: string;
  name: string;
  regionCode: string;
  regionName: string;
  geoNeighbours: string[];
  statNeighbours: string[];
}
