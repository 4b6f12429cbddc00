// Shapes of the server's JSON answers, as the client reads them (mirrors server/src/status and server/src/measures).

export type Phase = 'Primary' | 'Secondary' | 'Special' | 'Other' | 'Total';
export type Frame = 'period' | 'weekly' | 'daily';

export interface Status {
  today: string;
  latestDate: string | null;
  academicYearStart: string;
  schoolsInRegister: number;
  schoolsSubmitted: { date: string | null; count: number };
  authMode: 'dev' | 'jwt';
  pendingRollups: number;
}

/** An EES cell: a count or an unrounded rate, null when there were no possible sessions, or a symbol such as "c". */
export type Cell = number | string | null;

/** One row of EES columns (time_period, new_la_code, la_name, overall_absence_perc, ...). */
export type MeasuresRow = Record<string, Cell>;

export interface MeasuresResult {
  level: string;
  from: string;
  to: string;
  frame: Frame;
  columns: string[];
  rows: MeasuresRow[];
}

export interface LocalAuthority {
  code: string;
  gss: string;
  name: string;
  regionCode: string;
  regionName: string;
  geoNeighbours: string[];
  statNeighbours: string[];
}

export interface BoundaryCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: { code: string; name: string }; geometry: unknown }[];
}
