// School phase as DfE's attendance statistics count it, from GIAS fields (documented in docs/measures.md).
import type { Phase } from '../contract/vocabulary.js';

const SPECIAL_TYPES = new Set([
  'community special school',
  'foundation special school',
  'academy special converter',
  'academy special sponsor led',
  'free schools special',
  'non-maintained special school',
]);
const PRIMARY = new Set(['primary', 'middle deemed primary']);
const SECONDARY = new Set(['secondary', 'middle deemed secondary', 'all-through']);

export function phaseOf(phaseOfEducation: string, typeOfEstablishment: string): Phase {
  if (SPECIAL_TYPES.has(typeOfEstablishment.trim().toLowerCase())) return 'Special';
  const phase = phaseOfEducation.trim().toLowerCase();
  if (PRIMARY.has(phase)) return 'Primary';
  if (SECONDARY.has(phase)) return 'Secondary';
  return 'Other';
}
