import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

/** Validates a body or query with a zod schema; a 400 says which field is wrong and why. */
export function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success)
    throw invalid(result.error.issues.map((i) => ({ field: i.path.join('.') || null, message: i.message })));
  return result.data;
}

/** The 400 a request gets when fields are wrong: which, and why. */
export function invalid(errors: { field: string | null; message: string }[]): BadRequestException {
  return new BadRequestException({ message: 'The request is not valid', errors });
}
