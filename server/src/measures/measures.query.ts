import { z } from 'zod';
import { isoDate } from '../common/validation.js';
import { LEVELS } from '../live/live-events.js';
import { TERM_SELECTOR } from '../calendar/term-calendar.js';
import { BREAKDOWN_NAMES } from './breakdowns.js';

export const FRAMES = ['period', 'weekly', 'daily', 'weekday', 'half_term', 'term'] as const;

export const laCode = z.string().regex(/^\d{3}$/, "must be a 3-digit LA code (DfE's old_la_code)");

export const measuresQuery = z
  .object({
    level: z.enum(LEVELS).default('national'),
    from: isoDate.optional(),
    to: isoDate.optional(),
    term: z.string().regex(TERM_SELECTOR, 'names a term (autumn, spring, summer) or half term (autumn-1 ... summer-2), optionally after its academic year: 2025-26-spring').optional(),
    frame: z.enum(FRAMES).default('period'),
    phase: z.enum(['Primary', 'Secondary', 'Special', 'Other', 'Total']).optional(),
    breakdown: z.enum(BREAKDOWN_NAMES).optional(),
    code: z.string().regex(/^[A-Za-z0-9]{1,12}$/, 'must be a region GSS code, a 3-digit LA code or a URN').optional(),
    la: laCode.optional(),
  })
  .refine((q) => !q.la || q.level === 'school', { message: 'la selects schools: use it with level=school', path: ['la'] })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => !q.term || (!q.from && !q.to), { message: 'term sets from and to itself: leave them out', path: ['term'] });
