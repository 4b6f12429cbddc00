// Pupil-characteristic breakdowns in EES form (breakdown_topic, breakdown), from the school census codes stored
// with each mark. Every value without a label here (not sent, or UNCL) is in the one "Unclassified" cohort.
import { COUNTED_YEAR_GROUPS } from '../submission/register-codes.js';

interface BreakdownSpec {
  /** pupil_daily column (a fixed identifier, never user input). */
  column: string;
  topic: string;
  labels: Record<string, string>;
}

export const BREAKDOWNS = {
  fsm: { column: 'fsm', topic: 'FSM', labels: { Y: 'FSM eligible', N: 'Not known to be FSM eligible' } },
  sen: { column: 'sen', topic: 'SEN', labels: { E: 'EHC plan', K: 'SEN support', N: 'No SEN' } },
  year_group: { column: 'year_group', topic: 'Year group', labels: Object.fromEntries([...COUNTED_YEAR_GROUPS].map((year) => [year, `Year ${year}`])) },
  sex: { column: 'sex', topic: 'Sex', labels: { F: 'Female', M: 'Male' } },
  ethnicity: {
    column: 'ethnicity',
    topic: 'Ethnicity major',
    labels: { WHIT: 'White', MIXD: 'Mixed', ASIA: 'Asian or Asian British', BLAC: 'Black or Black British', CHNE: 'Chinese', AOEG: 'Any other ethnic group' },
  },
  eal: { column: 'eal', topic: 'First language', labels: { Y: 'Known or believed to be other than English', N: 'Known or believed to be English' } },
  cin: { column: 'cin', topic: 'Children in need', labels: { Y: 'Child in need', N: 'Not child in need' } },
  cla: { column: 'cla', topic: 'Looked after', labels: { Y: 'Looked after', N: 'Not looked after' } },
} satisfies Record<string, BreakdownSpec>;

export type Breakdown = keyof typeof BREAKDOWNS;
export const BREAKDOWN_NAMES = Object.keys(BREAKDOWNS) as [Breakdown, ...Breakdown[]];

export function breakdownColumns(breakdown: Breakdown | undefined, value: string): { breakdown_topic: string; breakdown: string } {
  if (!breakdown) return { breakdown_topic: 'Total', breakdown: 'Total' };
  const spec: BreakdownSpec = BREAKDOWNS[breakdown];
  return { breakdown_topic: spec.topic, breakdown: spec.labels[value] ?? 'Unclassified' };
}
