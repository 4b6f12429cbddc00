import { z } from 'zod';
import { isIsoDate } from '../common/dates.js';
import { LEVELS } from '../live/live-events.js';
import { BREAKDOWN_NAMES } from './breakdowns.js';

export const FRAMES = ['period', 'weekly', 'daily', 'weekday'] as const;

export const laCode = z.string().regex(/^\d{3}$/, "must be a 3-digit LA code (DfE's old_la_code)");

export const isoDate = z.string().refine(isIsoDate, 'must be a real date written YYYY-MM-DD');

export const measuresQuery = z
  .object({
    level: z.enum(LEVELS).default('national'),
    from: isoDate.optional(),
    to: isoDate.optional(),
    frame: z.enum(FRAMES).default('period'),
    phase: z.enum(['Primary', 'Secondary', 'Special', 'Other', 'Total']).optional(),
    breakdown: z.enum(BREAKDOWN_NAMES).optional(),
    code: z.string().regex(/^[A-Za-z0-9]{1,12}$/, 'must be a region GSS code, a 3-digit LA code or a URN').optional(),
    la: laCode.optional(),
  })
  .refine((q) => !q.la || q.level === 'school', { message: 'la selects schools: use it with level=school', path: ['la'] })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
