import { pupilWarnings } from './early-warning.js';

const pupil = (possible: number, absent: number, recentPossible: number, recentAbsent: number) => ({
  possible,
  absent,
  recentPossible,
  recentAbsent,
});

describe('pupil early warning', () => {
  it('flags attendance under the threshold over the last four weeks', () => {
    // 40 recent sessions, 2 absent: 95% attendance, under 97 but over 94.
    expect(pupilWarnings(pupil(100, 2, 40, 2), 97)).toEqual(['below_threshold']);
    expect(pupilWarnings(pupil(100, 2, 40, 2), 94)).toEqual([]);
    // Exactly at the threshold is not under it: 40 sessions, 1 absent = 97.5%; 200 sessions, 6 absent = 97%.
    expect(pupilWarnings(pupil(300, 6, 200, 6), 97)).toEqual([]);
  });

  it('flags a pupil not yet persistently absent whose last four weeks would make them so', () => {
    // Period 150 of 9 absent (6%), recent 40 of 4 (10%): on course, and 90% attendance is under 97.
    expect(pupilWarnings(pupil(150, 9, 40, 4), 97)).toEqual(['below_threshold', 'on_course_for_pa']);
    expect(pupilWarnings(pupil(150, 9, 40, 4), 90)).toEqual(['on_course_for_pa']);
    // Already persistently absent (15 of 150 = 10%): not "on course", it has arrived.
    expect(pupilWarnings(pupil(150, 15, 40, 4), 90)).toEqual([]);
    // 3 of 40 recently (7.5%) is not on course.
    expect(pupilWarnings(pupil(150, 9, 40, 3), 90)).toEqual([]);
  });

  it('says nothing without sessions in the last four weeks', () => {
    expect(pupilWarnings(pupil(100, 50, 0, 0), 97)).toEqual([]);
  });
});
