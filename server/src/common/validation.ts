import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { FIRST_DATE, isIsoDate, LAST_DATE } from './dates.js';

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

/** Validates a body or query with a zod schema; a 400 says which field is wrong and why. */
export function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw invalid(result.error.issues.map((i) => ({ field: i.path.join('.') || null, message: i.message })));
  return result.data;
}

/** The 400 a request gets when fields are wrong: which, and why. */
export function invalid(errors: { field: string | null; message: string }[]): BadRequestException {
  return new BadRequestException({ message: 'The request is not valid', errors });
}
