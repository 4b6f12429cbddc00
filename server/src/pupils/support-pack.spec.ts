import { parseTermCalendar } from '../calendar/term-calendar.js';
import {
  absenceCodes,
  attendanceBand,
  bandCounts,
  cohortSummary,
  lastMeetingDefault,
  reasonText,
  standOutDays,
  type CountedPupil,
} from './support-pack.js';

describe('support pack', () => {
  it('bands attendance at the edges the measures use', () => {
    // 19 of 20 attended: exactly 95%, the top band; 1 in 11 missed (90.9% attendance): at risk of persistence.
    expect(attendanceBand(20, 1)).toBe('expected');
    expect(attendanceBand(100, 0)).toBe('expected');
    expect(attendanceBand(11, 1)).toBe('pa_risk');
    expect(attendanceBand(100, 6)).toBe('pa_risk');
    // Exactly 90%: persistently absent (10% missed), as the persistent flag says; exactly 50%: severe.
    expect(attendanceBand(10, 1)).toBe('persistent');
    expect(attendanceBand(100, 49)).toBe('persistent');
    expect(attendanceBand(10, 5)).toBe('severe');
    expect(attendanceBand(2, 2)).toBe('severe');
    expect(attendanceBand(0, 0)).toBeNull();
  });

  it("lists a pupil's absence codes, most first, ties in the register's order, presence left out", () => {
    expect(absenceCodes({ '/': 30, '\\': 30, O: 6, I: 6, L: 2, N: 1, G: 0, D: 4 })).toEqual([
      { code: 'I', sessions: 6 },
      { code: 'O', sessions: 6 },
      { code: 'N', sessions: 1 },
    ]);
  });

  it('finds the days of the week missed at least twice as often as the others, from 3 sessions', () => {
    // Mondays 10 of 10 missed, Tuesdays 2 of 10: Monday stands out (100% against 2 of 40, 5%), Tuesday too few.
    expect(standOutDays([10, 10, 10, 10, 10, 0, 0], [10, 2, 0, 0, 0, 0, 0])).toEqual([
      { day: 'Monday', possible: 10, absent: 10 },
    ]);
    // 3 of 10 on Wednesdays against none otherwise: stands out. 6 of 10 on each of Monday to Wednesday and 4 of 10
    // on Thursday and Friday: 60% is not twice 50%.
    expect(standOutDays([10, 10, 10, 10, 10, 0, 0], [0, 0, 3, 0, 0, 0, 0]).map((d) => d.day)).toEqual(['Wednesday']);
    expect(standOutDays([10, 10, 10, 10, 10, 0, 0], [6, 6, 6, 4, 4, 0, 0])).toEqual([]);
    // Sessions on Sundays alone (a school open one day a week, or registers of one day): nothing to stand out from.
    expect(standOutDays([0, 0, 0, 0, 0, 0, 4], [0, 0, 0, 0, 0, 0, 4])).toEqual([]);
    // Exactly twice: 4 of 10 on Fridays, 8 of 40 (20%) on the other days.
    expect(standOutDays([10, 10, 10, 10, 10, 0, 0], [2, 2, 2, 2, 4, 0, 0]).map((d) => d.day)).toEqual(['Friday']);
  });

  it('says why in words: the codes, the days and the last four weeks against the four before', () => {
    expect(
      reasonText({
        possible: 50,
        absent: 12,
        codes: [
          { code: 'I', sessions: 6 },
          { code: 'O', sessions: 6 },
        ],
        days: [{ day: 'Monday', possible: 10, absent: 10 }],
        recentPossible: 20,
        recentAbsent: 6,
        recentCodes: [{ code: 'O', sessions: 6 }],
        previousAbsencePerc: 20,
      }),
    ).toBe(
      '12 of 50 sessions missed: 6 illness (I), 6 unauthorised other (O); more on Mondays (10 of 10 missed). ' +
        'Last four weeks: 6 of 20 missed (30.0%): 6 unauthorised other (O); up from 20.0% in the four weeks before.',
    );
    const quiet = { codes: [], days: [], recentCodes: [], recentPossible: 20, recentAbsent: 0 };
    expect(reasonText({ ...quiet, possible: 40, absent: 0, previousAbsencePerc: 10 })).toBe(
      'No sessions missed (40 possible).',
    );
    const fay = { ...quiet, possible: 40, absent: 2, codes: [{ code: 'M', sessions: 2 }] };
    expect(reasonText({ ...fay, previousAbsencePerc: 10 })).toBe(
      '2 of 40 sessions missed: 2 medical or dental appointment (M). ' +
        'Last four weeks: 0 of 20 missed (0.0%); down from 10.0% in the four weeks before.',
    );
    expect(reasonText({ ...fay, recentAbsent: 0, previousAbsencePerc: 0 })).toMatch(/the same as 0\.0% in the four/);
    expect(reasonText({ ...fay, previousAbsencePerc: null })).toMatch(
      /\(0\.0%\); no sessions in the four weeks before\.$/,
    );
    expect(reasonText({ ...fay, recentPossible: 0, previousAbsencePerc: null })).toMatch(
      /\(M\)\. No sessions in the last four weeks\.$/,
    );
  });

  it('counts pupils per band now and then, and per cohort of each characteristic', () => {
    const pupil = (band: CountedPupil['band'], bandThen: CountedPupil['bandThen'], atRisk: boolean, fsm: string) => ({
      band,
      bandThen,
      atRisk,
      characteristics: { fsm, sen: 'N', year_group: '5', sex: 'F', ethnicity: '', eal: 'N', cin: 'N', cla: 'N' },
    });
    const pupils = [
      pupil('severe', 'persistent', true, 'Y'),
      pupil('expected', null, false, 'N'),
      pupil('pa_risk', 'expected', true, 'N'),
      pupil('expected', 'expected', false, ''),
    ];
    expect(bandCounts(pupils)).toEqual({
      now: { expected: 2, pa_risk: 1, persistent: 0, severe: 1 },
      then: { expected: 2, pa_risk: 0, persistent: 1, severe: 0 },
    });
    const fsm = cohortSummary(pupils).filter((c) => c.breakdown === 'fsm');
    expect(fsm).toEqual([
      {
        breakdown: 'fsm',
        breakdownName: 'Free school meals',
        value: 'FSM eligible',
        pupils: 1,
        bands: { expected: 0, pa_risk: 0, persistent: 0, severe: 1 },
        atRisk: 1,
      },
      {
        breakdown: 'fsm',
        breakdownName: 'Free school meals',
        value: 'Not known to be FSM eligible',
        pupils: 2,
        bands: { expected: 1, pa_risk: 1, persistent: 0, severe: 0 },
        atRisk: 1,
      },
      {
        breakdown: 'fsm',
        breakdownName: 'Free school meals',
        value: 'Unclassified',
        pupils: 1,
        bands: { expected: 1, pa_risk: 0, persistent: 0, severe: 0 },
        atRisk: 0,
      },
    ]);
    // One cohort per value met: every pupil is Unclassified by ethnicity, none in the cohorts not met.
    expect(
      cohortSummary(pupils)
        .filter((c) => c.breakdown === 'ethnicity')
        .map((c) => [c.value, c.pupils]),
    ).toEqual([['Unclassified', 4]]);
  });

  it('takes the last meeting to be the start of this term, or of this half term in the autumn', () => {
    const calendar = parseTermCalendar({
      years: {
        '2025/26': {
          Autumn: [
            { from: '2025-09-03', to: '2025-10-24' },
            { from: '2025-11-03', to: '2025-12-19' },
          ],
          Spring: [
            { from: '2026-01-05', to: '2026-02-13' },
            { from: '2026-02-23', to: '2026-03-27' },
          ],
          Summer: [
            { from: '2026-04-13', to: '2026-05-22' },
            { from: '2026-06-01', to: '2026-07-22' },
          ],
        },
      },
    });
    expect(lastMeetingDefault(calendar, '2025-11-28')).toBe('2025-11-03');
    expect(lastMeetingDefault(calendar, '2025-10-01')).toBe('2025-09-03');
    // The Christmas holiday is still the autumn term's second half; spring's half-term break is in its term.
    expect(lastMeetingDefault(calendar, '2025-12-30')).toBe('2025-11-03');
    expect(lastMeetingDefault(calendar, '2026-02-17')).toBe('2026-01-05');
    expect(lastMeetingDefault(calendar, '2026-03-10')).toBe('2026-01-05');
    expect(lastMeetingDefault(calendar, '2026-08-20')).toBe('2026-04-13');
    expect(lastMeetingDefault(calendar, '2025-09-01')).toBeUndefined();
  });
});
