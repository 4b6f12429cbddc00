/** A roll-up job: recompute exactly these (school, date) slices, then report which areas changed. */
export interface RollupJob {
  slices: [urn: number, date: string][];
}

/** What a finished roll-up changed: the live gateway turns this into pushes to rooms. */
export interface RollupResult {
  changed: { urn: number; date: string; laCode: string; regionCode: string }[];
}

export const ROLLUP_QUEUE = 'rollup';
