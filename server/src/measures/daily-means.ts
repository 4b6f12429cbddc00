// DfE's num_schools and enrolments: the means of a cell's daily counts over the days of its bucket (docs/measures.md).
import { isoWeekday, mondayOf } from '../common/dates.js';
import type { Frame } from '../contract/vocabulary.js';
import { PUBLISHED_PHASES } from '../contract/vocabulary.js';
import type { EnrolmentCounts } from '../rollup/measures.repository.js';

export interface DailyMean {
  num_schools: number;
  enrolments: number;
}

/** The bucket of a frame that holds the day, as the repository writes it; undefined for a day outside every term. */
export function bucketOf(
  frame: Frame,
  day: string,
  terms?: readonly { from: string; to: string }[],
): string | undefined {
  if (frame === 'period') return '';
  if (frame === 'daily') return day;
  if (frame === 'weekly') return mondayOf(day);
  if (frame === 'weekday') return String(isoWeekday(day));
  return terms?.find((t) => t.from <= day && day <= t.to)?.from;
}

/**
 * Each cell's mean daily schools and enrolments over the days of its bucket on which it had any, keyed as the
 * measures' groups are (geo|bucket|phase|cohort); Total is the sum of Primary, Secondary and Special, day by day. As
 * DfE's files: a cell with data on 183 of 184 days is averaged over its 183.
 */
export function dailyMeans(
  days: readonly EnrolmentCounts[],
  frame: Frame,
  terms?: readonly { from: string; to: string }[],
): Map<string, DailyMean> {
  const byDay = new Map<string, { cell: string; num_schools: number; enrolments: number }>();
  const add = (cell: string, day: string, row: EnrolmentCounts) => {
    const k = `${cell}|${day}`;
    const d = byDay.get(k) ?? { cell, num_schools: 0, enrolments: 0 };
    d.num_schools += row.num_schools;
    d.enrolments += row.enrolments;
    byDay.set(k, d);
  };
  for (const row of days) {
    const bucket = bucketOf(frame, row.bucket, terms);
    if (bucket === undefined || row.enrolments <= 0) continue;
    add(`${row.geo}|${bucket}|${row.phase}|${row.cohort}`, row.bucket, row);
    if ((PUBLISHED_PHASES as readonly string[]).includes(row.phase))
      add(`${row.geo}|${bucket}|Total|${row.cohort}`, row.bucket, row);
  }
  const sums = new Map<string, DailyMean & { days: number }>();
  for (const d of byDay.values()) {
    const s = sums.get(d.cell) ?? { num_schools: 0, enrolments: 0, days: 0 };
    s.num_schools += d.num_schools;
    s.enrolments += d.enrolments;
    s.days += 1;
    sums.set(d.cell, s);
  }
  return new Map(
    [...sums].map(([cell, s]) => [cell, { num_schools: s.num_schools / s.days, enrolments: s.enrolments / s.days }]),
  );
}
