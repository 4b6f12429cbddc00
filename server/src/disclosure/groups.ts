// A group of schools chosen for one answer (similar schools, a programme's comparators) is no cell of the published
// tables: its pooled figures are checked on their own (docs/measures.md#comparator-groups).
import { MIN_PUPILS } from './protection.js';
import { combine, COUNT_COLUMNS, type EesRow, RATE_COLUMNS } from '../contract/ees.js';

/** A group holding a school its viewer may not see needs this many schools with figures (and MIN_PUPILS pupils). */
export const MIN_GROUP_SCHOOLS = 5;

/**
 * The pooled figures of a group for a viewer who may not see each of its schools: `c` below MIN_GROUP_SCHOOLS
 * schools with figures or MIN_PUPILS enrolments; otherwise its rates to one decimal place and no counts, so that two
 * overlapping groups (a trust's two schools' similar schools, say) cannot be subtracted to give one school's counts.
 * Those thresholds are met by the schools the viewer does not see in full (`known`: a trust's or an LA's own schools
 * in the group): a viewer who knows the counts of all but one school would otherwise take them from the group's rate
 * and read that one school's, week after week. `rows` are the schools' own figures, unsuppressed; `rows` of the
 * answer: the schools with figures.
 */
export function outsidersGroup(
  rows: EesRow[],
  known: (row: EesRow) => boolean = () => false,
): { row: EesRow; rows: number } {
  const { row, rows: used } = combine(rows);
  const unknown = combine(rows.filter((r) => !known(r)));
  const hide = unknown.rows < MIN_GROUP_SCHOOLS || Number(unknown.row.enrolments) < MIN_PUPILS;
  for (const column of COUNT_COLUMNS) if (column !== 'num_schools') row[column] = 'c';
  for (const column of RATE_COLUMNS)
    row[column] = hide
      ? 'c'
      : typeof row[column] === 'number'
        ? Math.round((row[column] as number) * 10) / 10
        : row[column];
  row.num_schools = used;
  return { row, rows: used };
}
