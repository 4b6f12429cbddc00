// What the API accepts: each endpoint's path parameters and query (or body) as one zod schema, described for the
// OpenAPI document (server/src/common/api-docs.ts makes its parameters from these). The client types its requests
// with them (type imports only).
import { z } from 'zod';
import { FIRST_DATE, isIsoDate, LAST_DATE, todayInLondon } from '../common/dates.js';
import {
  AUDIT_ACTIONS,
  BREAKDOWN_NAMES,
  FRAMES,
  LEVELS,
  PHASE_NAMES,
  RECENT_INSPECTION_MONTHS,
  ROLES,
  SCHOOL_PHASES,
  TERM_SELECTOR,
} from './vocabulary.js';

/**
 * A date parameter: a real date the service can hold. Out of that range (from=9999-12-31) a query's date arithmetic
 * reached ClickHouse as a value it cannot parse, and the answer was a 500.
 */
export const isoDate = z.string().superRefine((value, ctx) => {
  if (!isIsoDate(value)) ctx.addIssue({ code: 'custom', message: 'must be a real date written YYYY-MM-DD' });
  else if (value < FIRST_DATE || value > LAST_DATE) {
    ctx.addIssue({ code: 'custom', message: `must be a date from ${FIRST_DATE} to ${LAST_DATE}` });
  }
});

export const laCode = z.string().regex(/^\d{3}$/, "must be a 3-digit LA code (DfE's old_la_code)");
const urn = z.coerce.number().int().positive('must be a URN');

const from = isoDate.optional().describe('YYYY-MM-DD; default 1 September of the academic year of `to`');
const to = isoDate.optional().describe('YYYY-MM-DD; default today (Europe/London)');
/** A period's from and to, in order. */
const inOrder: [(q: { from?: string; to?: string }) => boolean, { message: string; path: string[] }] = [
  (q) => !q.from || !q.to || q.from <= q.to,
  { message: 'from must not be after to', path: ['from'] },
];

export const measuresQuery = z
  .object({
    level: z.enum(LEVELS).default('national'),
    from,
    to,
    term: z
      .string()
      .regex(
        TERM_SELECTOR,
        'names a term (autumn, spring, summer) or half term (autumn-1 ... summer-2), optionally after its academic year: 2025-26-spring',
      )
      .optional()
      .describe(
        'instead of from and to, a term or half term of the term calendar: `spring`, `autumn-1` (this academic year) or `2025-26-spring`, `2025-26-autumn-1`',
      ),
    frame: z
      .enum(FRAMES)
      .default('period')
      .describe(
        'period: one row (time_identifier "Academic year"); daily (attendance_date) and weekly (week_commencing, Monday): time_period the calendar year of the Monday, time_identifier "Week N" (ISO week); ' +
          'weekday: the day-of-week pattern over the period (day_of_week); term: one row per term of the term calendar (time_identifier "Autumn term", "Spring term", "Summer term"); ' +
          'half_term: one row per half term (that time_identifier, and half_term "Autumn 1" ... "Summer 2"). Term frames leave out days outside their terms (holidays); the other frames count every day',
      ),
    phase: z.enum(PHASE_NAMES).optional(),
    breakdown: z
      .enum(BREAKDOWN_NAMES)
      .optional()
      .describe(
        'split pupils by one characteristic (EES breakdown_topic, breakdown); cells under 10 enrolments are c without a token',
      ),
    code: z
      .string()
      .regex(/^[A-Za-z0-9]{1,12}$/, 'must be a region GSS code, a 3-digit LA code or a URN')
      .optional()
      .describe('region GSS code, 3-digit LA code or URN, for one area or school'),
    la: laCode.optional().describe('with level=school: the schools of this LA (3-digit code)'),
  })
  .refine((q) => !q.la || q.level === 'school', {
    message: 'la selects schools: use it with level=school',
    path: ['la'],
  })
  .refine(...inOrder)
  .refine((q) => !q.term || (!q.from && !q.to), {
    message: 'term sets from and to itself: leave them out',
    path: ['term'],
  });

// The LA strategic lead's workspace: /api/v1/las/:code/...
const la = laCode.describe('3-digit DfE LA code (old_la_code), e.g. 202 for Camden');
export const laPeriodQuery = z.object({ code: la, from, to }).refine(...inOrder);
export const laComparisonQuery = z
  .object({ code: la, from, to, phase: z.enum(PHASE_NAMES).default('Total') })
  .refine(...inOrder);
export const laCohortsQuery = z
  .object({ code: la, from, to, breakdown: z.enum(BREAKDOWN_NAMES).default('fsm') })
  .refine(...inOrder);
export const laTargetsQuery = z.object({ code: la });
export const referenceSchoolsQuery = z.object({ la });
export const coverageQuery = z.object({
  date: isoDate.optional().describe('YYYY-MM-DD; default the latest school day'),
});
export const laTargetBody = z.object({
  cohort: z.enum(['cin', 'cla']),
  attendance: z.number().min(0, 'must be a percentage from 0 to 100').max(100, 'must be a percentage from 0 to 100'),
});

export const inspectionQuery = z.object({
  region: z
    .string()
    .regex(/^E12\d{6}$/, 'must be a region GSS code such as E12000007')
    .optional()
    .describe('region GSS code'),
  la: laCode.optional().describe('3-digit LA code'),
  phase: z.enum(SCHOOL_PHASES).optional(),
  recentlyInspected: z
    .enum(['after', 'include'])
    .default('after')
    .describe(
      `after (default): schools inspected in the last ${RECENT_INSPECTION_MONTHS} months follow all others; include: ranked with them`,
    ),
  limit: z.coerce.number().int().min(1).max(25_000).default(100).describe('rows (default 100)'),
});

export const schoolQuery = z.object({ urn, from, to }).refine(...inOrder);
export const pupilsQuery = z
  .object({
    urn,
    from,
    to,
    threshold: z.coerce
      .number()
      .min(50, 'must be a percentage from 50 to 100')
      .max(100, 'must be a percentage from 50 to 100')
      .optional()
      .describe(
        'Early warning: attendance over the last four weeks under this percentage (default AT_RISK_ATTENDANCE, 97)',
      ),
    since: isoDate
      .optional()
      .describe(
        "The last meeting's date: each pupil's attendance then (from `from` to the day before) against now; default the start of this term (in the autumn term, of this half term)",
      ),
  })
  .refine(...inOrder)
  .refine((q) => !q.since || q.since <= (q.to ?? todayInLondon()), {
    message: 'since must not be after to (default today)',
    path: ['since'],
  });
export const trustQuery = z
  .object({
    code: z
      .string()
      .regex(/^[A-Za-z0-9]{1,12}$/, 'must be a GIAS trust code')
      .describe('GIAS trust code (Trusts (code))'),
    from,
    to,
  })
  .refine(...inOrder);

export const programmeBody = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  startDate: isoDate,
  urns: z
    .array(z.number().int().positive('must be URNs'))
    .min(1, 'must name at least one school')
    .max(500, 'must be at most 500 schools'),
});
export const evaluationQuery = z.object({
  id: z.uuid('must be a programme id').describe('The programme id'),
  to: isoDate.optional().describe('YYYY-MM-DD: the end of the after period; default today'),
});

export const alertsQuery = z.object({
  date: isoDate.optional().describe('YYYY-MM-DD; default today'),
  la: laCode.optional().describe('3-digit LA code'),
});

export const auditQuery = z
  .object({
    from: isoDate.optional().describe('first day (default: 30 days ago)'),
    to: isoDate.optional().describe('last day (default: today)'),
    subject: z.string().max(200).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(1000)
      .describe('most recent first, at most 10,000 (default 1,000)'),
  })
  .refine(...inOrder);

export const devTokenBody = z.object({
  role: z.enum(ROLES),
  scope: z.union([z.literal('*'), z.string().min(1), z.array(z.string().min(1))]).default('*'),
});
