import { unusualAbsence } from './unusual-absence.js';

const day = (absent: number, possible = 100) => ({ possible, absent });

describe('unusual absence for a school', () => {
  // History 4, 6, 4, 6 (%): mean 5, sd 1, margin max(3, 5) = 5: unusual from 10%.
  const history = [day(4), day(6), day(4), day(6)];

  it('is today at or above the expectation plus the margin (3 sd, at least 5 points)', () => {
    expect(unusualAbsence(day(10), history)).toEqual({ today: 10, expected: 5, margin: 5 });
    expect(unusualAbsence(day(9), history)).toBeNull();
  });

  it('widens the margin for a school whose absence swings: 3 standard deviations', () => {
    // 0, 10, 0, 10: mean 5, sd 5, margin 15: 19% is not unusual, 20% is.
    const swinging = [day(0), day(10), day(0), day(10)];
    expect(unusualAbsence(day(19), swinging)).toBeNull();
    expect(unusualAbsence(day(20), swinging)).toEqual({ today: 20, expected: 5, margin: 15 });
  });

  it('does not judge on too little: a small register today, or fewer than three past weekdays of size', () => {
    expect(unusualAbsence(day(10, 19), history)).toBeNull();
    expect(unusualAbsence(day(50), [day(4), day(6), day(1, 10)])).toBeNull();
  });
});
