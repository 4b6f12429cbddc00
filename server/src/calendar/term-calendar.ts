// The term calendar behind frame=term and frame=half_term: each academic year's three terms of two half terms, from a
// JSON file (the committed term-calendar.json holds England's typical dates; TERM_CALENDAR points at an LA's own).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { academicYearPeriod, addDays, isoWeekday } from '../common/dates.js';
import { isoDate } from '../contract/requests.js';
import { TERM_SELECTOR, TERMS, type TermName } from '../contract/vocabulary.js';

/** A term (first day of its first half to last day of its second, half-term break included) or a half term. */
export interface TermSpan {
  /** As the file writes it: 2025/26. */
  academicYear: string;
  term: TermName;
  /** 1 or 2 for a half term; absent for a whole term. */
  half?: 1 | 2;
  from: string;
  to: string;
}

export interface TermCalendar {
  terms: TermSpan[];
  halfTerms: TermSpan[];
}

export const DEFAULT_TERM_CALENDAR = 'server/src/calendar/term-calendar.json';

const halfTerm = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((h) => h.from <= h.to, 'from must not be after to');
const halves = z.tuple([halfTerm, halfTerm]);
const calendarFile = z.strictObject({
  about: z.string().optional(),
  years: z.record(
    z.string().regex(/^\d{4}\/\d{2}$/, 'an academic year is written like 2025/26'),
    z.strictObject({ Autumn: halves, Spring: halves, Summer: halves }),
  ),
});

/** Validates a calendar file's content; the error says where and what is wrong. */
export function parseTermCalendar(content: unknown): TermCalendar {
  const parsed = calendarFile.safeParse(content);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const terms: TermSpan[] = [];
  const halfTerms: TermSpan[] = [];
  for (const [academicYear, year] of Object.entries(parsed.data.years).sort(([a], [b]) => a.localeCompare(b))) {
    let previous: TermSpan | undefined;
    for (const term of TERMS) {
      for (const [index, { from, to }] of year[term].entries()) {
        const span: TermSpan = { academicYear, term, half: index === 0 ? 1 : 2, from, to };
        const where = `years.${academicYear}.${term}.${index}`;
        if (academicYearOf(from) !== academicYear || academicYearOf(to) !== academicYear)
          throw new Error(`${where}: ${from} to ${to} is not within ${academicYear} (1 September to 31 August)`);
        if (previous && from <= previous.to)
          throw new Error(`${where}: starts ${from}, before the half term before it ends (${previous.to})`);
        halfTerms.push((previous = span));
      }
      terms.push({ academicYear, term, from: year[term][0].from, to: year[term][1].to });
    }
  }
  return { terms, halfTerms };
}

/** A school day: Monday to Friday inside one of the calendar's half terms. */
export function isSchoolDayIn(calendar: TermCalendar, date: string): boolean {
  return isoWeekday(date) <= 5 && calendar.halfTerms.some((span) => span.from <= date && date <= span.to);
}

/**
 * The school day a date stands for: the date itself if it is a school day, else the latest school day within a year
 * before it (a weekend or a holiday stands for the last school day before it); beyond the calendar's years, the latest
 * weekday.
 */
export function latestSchoolDayIn(calendar: TermCalendar, date: string): string {
  for (let day = date; day > addDays(date, -366); day = addDays(day, -1)) if (isSchoolDayIn(calendar, day)) return day;
  let day = date;
  while (isoWeekday(day) > 5) day = addDays(day, -1);
  return day;
}

/** A school day of England's typical calendar (DEFAULT_TERM_CALENDAR). */
export function isSchoolDay(date: string): boolean {
  return isSchoolDayIn(typicalTermCalendar(), date);
}

/** The school days from `from` to `to`, oldest first. */
export function schoolDays(calendar: TermCalendar, from: string, to: string): string[] {
  const dates: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) if (isSchoolDayIn(calendar, date)) dates.push(date);
  return dates;
}

let typical: TermCalendar | undefined;

/** The committed calendar of England's typical dates (DEFAULT_TERM_CALENDAR), read once. */
export function typicalTermCalendar(): TermCalendar {
  return (typical ??= loadTermCalendar(DEFAULT_TERM_CALENDAR));
}

export function loadTermCalendar(path: string): TermCalendar {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${path} as JSON (${(error as Error).message})`, { cause: error });
  }
  return parseTermCalendar(content);
}

/** The term or half term a `term=` selector names (TERM_SELECTOR), if the calendar has it. */
export function findTerm(calendar: TermCalendar, selector: string, today: string): TermSpan | undefined {
  const [, year, name, half] = TERM_SELECTOR.exec(selector) ?? [];
  const academicYear = year ? year.replace('-', '/') : academicYearOf(today);
  const spans = half ? calendar.halfTerms : calendar.terms;
  return spans.find(
    (s) => s.academicYear === academicYear && s.term.toLowerCase() === name && (!half || s.half === Number(half)),
  );
}

/** 2025/26 for a date in that academic year. */
function academicYearOf(date: string): string {
  const period = academicYearPeriod(date);
  return `${period.slice(0, 4)}/${period.slice(4)}`;
}
