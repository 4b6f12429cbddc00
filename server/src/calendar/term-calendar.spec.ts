import {
  DEFAULT_TERM_CALENDAR,
  findTerm,
  latestSchoolDayIn,
  loadTermCalendar,
  parseTermCalendar,
} from './term-calendar.js';

const calendar = loadTermCalendar(DEFAULT_TERM_CALENDAR);
const year = (autumn2From = '2025-11-03') => ({
  years: {
    '2025/26': {
      Autumn: [
        { from: '2025-09-03', to: '2025-10-24' },
        { from: autumn2From, to: '2025-12-19' },
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

describe('term calendar', () => {
  it('holds England typical 2025/26 and 2026/27 terms, each from the first day of its first half to the last of its second', () => {
    expect(calendar.halfTerms).toHaveLength(12);
    expect(calendar.terms.map((t) => `${t.academicYear} ${t.term} ${t.from} ${t.to}`)).toEqual([
      '2025/26 Autumn 2025-09-03 2025-12-19',
      '2025/26 Spring 2026-01-05 2026-03-27',
      '2025/26 Summer 2026-04-13 2026-07-22',
      '2026/27 Autumn 2026-09-03 2026-12-18',
      '2026/27 Spring 2027-01-04 2027-03-25',
      '2026/27 Summer 2027-04-12 2027-07-21',
    ]);
    expect(calendar.halfTerms[1]).toEqual({
      academicYear: '2025/26',
      term: 'Autumn',
      half: 2,
      from: '2025-11-03',
      to: '2025-12-19',
    });
  });

  it('finds a term by name in the current academic year, or in a named one', () => {
    expect(findTerm(calendar, 'spring', '2026-11-23')).toMatchObject({
      academicYear: '2026/27',
      from: '2027-01-04',
      to: '2027-03-25',
    });
    expect(findTerm(calendar, 'autumn-2', '2026-03-01')).toMatchObject({
      academicYear: '2025/26',
      half: 2,
      from: '2025-11-03',
    });
    expect(findTerm(calendar, '2025-26-summer-1', '2026-11-23')).toMatchObject({
      from: '2026-04-13',
      to: '2026-05-22',
    });
    expect(findTerm(calendar, '2030-31-autumn', '2026-11-23')).toBeUndefined();
  });

  it('takes a weekend or a holiday for the last school day before it, and a school day for itself', () => {
    expect(latestSchoolDayIn(calendar, '2026-12-04')).toBe('2026-12-04'); // a Friday in term
    expect(latestSchoolDayIn(calendar, '2026-12-06')).toBe('2026-12-04'); // the Sunday after it
    expect(latestSchoolDayIn(calendar, '2026-10-28')).toBe('2026-10-23'); // October half term
    expect(latestSchoolDayIn(calendar, '2026-09-01')).toBe('2026-07-22'); // before the year's first day: the summer's last
  });

  it('says what is wrong with a calendar file', () => {
    expect(parseTermCalendar(year()).terms).toHaveLength(3);
    expect(() => parseTermCalendar(year('2025-10-20'))).toThrow(
      'years.2025/26.Autumn.1: starts 2025-10-20, before the half term before it ends (2025-10-24)',
    );
    expect(() => parseTermCalendar(year('2025-11-31'))).toThrow(
      /years\.2025\/26\.Autumn\.1\.from: must be a real date/,
    );
    expect(() => parseTermCalendar({ years: { '2026/27': year().years['2025/26'] } })).toThrow(
      /2025-09-03 to 2025-10-24 is not within 2026\/27/,
    );
    expect(() => parseTermCalendar({ years: { '2025/26': { Autumn: [] } } })).toThrow(/Autumn/);
    expect(() => loadTermCalendar('no/such/calendar.json')).toThrow(/cannot read no\/such\/calendar.json as JSON/);
  });
});
