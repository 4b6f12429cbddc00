import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** Validates a body or query with a zod schema; a 400 says which field is wrong and why. */
export function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new BadRequestException({
      message: 'The request is not valid',
      errors: result.error.issues.map((i) => ({ field: i.path.join('.') || null, message: i.message })),
    });
  }
  return result.data;
}
