import { phaseOf } from './phase.js';

describe('phaseOf', () => {
  it.each([
    ['Primary', 'Community school', 'Primary'],
    ['Middle deemed primary', 'Foundation school', 'Primary'],
    ['Secondary', 'Academy converter', 'Secondary'],
    ['Middle deemed secondary', 'Voluntary aided school', 'Secondary'],
    ['All-through', 'Free schools', 'Secondary'],
    ['Not applicable', 'Community special school', 'Special'],
    ['Secondary', 'Academy special converter', 'Special'],
    ['Not applicable', 'Non-maintained special school', 'Special'],
    ['Not applicable', 'Pupil referral unit', 'Other'],
    ['Nursery', 'Local authority nursery school', 'Other'],
    ['16 plus', 'Academy 16-19 converter', 'Other'],
  ])('%s %s is %s', (phase, type, expected) => {
    expect(phaseOf(phase, type)).toBe(expected);
  });
});
