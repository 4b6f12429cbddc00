/** A roll-up job: recompute exactly these (school, date) slices, then report which areas changed. */
export interface RollupJob {
  slices: [urn: number, date: string][];
}

/**
 * The (school, date) slices whose daily roll-ups a job has recomputed: the live service turns them into pushes to
 * rooms.
 */
export interface RollupResult {
  changed: { urn: number; date: string }[];
}

export const ROLLUP_QUEUE = 'rollup';
