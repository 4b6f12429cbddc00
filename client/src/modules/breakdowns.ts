// The breakdowns a page offers, in the vocabulary's order and names, and the one a URL asks for (FSM by default).
import { BREAKDOWN_NAMES, BREAKDOWNS, type Breakdown } from '@contract/vocabulary.ts';

export const BREAKDOWN_CHOICES: readonly [Breakdown, string][] = BREAKDOWN_NAMES.map((b) => [b, BREAKDOWNS[b].name]);

export function breakdownOf(value: unknown): Breakdown {
  return BREAKDOWN_NAMES.find((b) => b === value) ?? 'fsm';
}
