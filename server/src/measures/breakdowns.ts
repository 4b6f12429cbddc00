// Pupil-characteristic breakdowns in EES form (breakdown_topic, breakdown), from the school census codes stored
// with each mark. A value the census did not send is "Unclassified".

interface BreakdownSpec {
  /** pupil_daily column (a fixed identifier, never user input). */
  column: string;
  topic: string;
  label(value: string): string | undefined;
}

const labels = (map: Record<string, string>) => (value: string) => map[value];

export const BREAKDOWNS = {
  fsm: { column: 'fsm', topic: 'FSM', label: labels({ Y: 'FSM eligible', N: 'Not known to be FSM eligible' }) },
  sen: { column: 'sen', topic: 'SEN', label: labels({ E: 'EHC plan', K: 'SEN support', N: 'No SEN' }) },
  year_group: { column: 'year_group', topic: 'Year group', label: (value: string) => (value ? `Year ${value}` : undefined) },
  sex: { column: 'sex', topic: 'Sex', label: labels({ F: 'Female', M: 'Male' }) },
  ethnicity: {
    column: 'ethnicity',
    topic: 'Ethnicity major',
    label: labels({ WHIT: 'White', MIXD: 'Mixed', ASIA: 'Asian or Asian British', BLAC: 'Black or Black British', CHNE: 'Chinese', AOEG: 'Any other ethnic group' }),
  },
  eal: { column: 'eal', topic: 'First language', label: labels({ Y: 'Known or believed to be other than English', N: 'Known or believed to be English' }) },
  cin: { column: 'cin', topic: 'Children in need', label: labels({ Y: 'Child in need', N: 'Not child in need' }) },
  cla: { column: 'cla', topic: 'Looked after', label: labels({ Y: 'Looked after', N: 'Not looked after' }) },
} satisfies Record<string, BreakdownSpec>;

export type Breakdown = keyof typeof BREAKDOWNS;
export const BREAKDOWN_NAMES = Object.keys(BREAKDOWNS) as [Breakdown, ...Breakdown[]];

export function breakdownColumns(breakdown: Breakdown | undefined, value: string): { breakdown_topic: string; breakdown: string } {
  if (!breakdown) return { breakdown_topic: 'Total', breakdown: 'Total' };
  const spec: BreakdownSpec = BREAKDOWNS[breakdown];
  return { breakdown_topic: spec.topic, breakdown: spec.label(value) ?? 'Unclassified' };
}
