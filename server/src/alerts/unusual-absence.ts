// Early warning for a school: is today's absence far above what the school's own recent history predicts for this
// weekday (the same weekday over the last six weeks, which also carries the season)?

export interface DayCounts {
  possible: number;
  absent: number;
}

export interface Expectation {
  /** Today's overall absence, and what the history predicts, in percent. */
  today: number;
  expected: number;
  /** Percentage points above the prediction that count as unusual: 3 standard deviations, at least 5. */
  margin: number;
}

/** Fewer possible sessions than this, today or on a past day, say too little to judge by. */
export const MIN_SESSIONS = 20;
/** Past same-weekdays needed before a school is judged against its history. */
export const MIN_HISTORY = 3;
const MIN_MARGIN_PP = 5;

/** The expectation when today is unusually high; null when it is not, or when there is too little to judge by. */
export function unusualAbsence(today: DayCounts, history: DayCounts[]): Expectation | null {
  const past = history.filter((d) => d.possible >= MIN_SESSIONS).map((d) => (d.absent / d.possible) * 100);
  if (today.possible < MIN_SESSIONS || past.length < MIN_HISTORY) return null;
  const expected = past.reduce((a, b) => a + b, 0) / past.length;
  const sd = Math.sqrt(past.reduce((a, b) => a + (b - expected) ** 2, 0) / past.length);
  const margin = Math.max(3 * sd, MIN_MARGIN_PP);
  const rate = (today.absent / today.possible) * 100;
  return rate >= expected + margin ? { today: rate, expected, margin } : null;
}
