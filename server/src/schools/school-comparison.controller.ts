import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { SchoolOverview } from '../api-contract.js';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { isoDate, parseBody } from '../common/validation.js';
import { SchoolComparisonService } from './school-comparison.service.js';

const query = z
  .object({ urn: z.coerce.number().int().positive('must be a URN'), from: isoDate.optional(), to: isoDate.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

@ApiTags('schools')
@ApiBearerAuth()
@Controller('api/v1/schools/:urn')
export class SchoolComparisonController {
  constructor(private readonly schools: SchoolComparisonService) {}

  @Get('overview')
  @ApiParam({ name: 'urn' })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiOperation({ summary: 'The school against its similar schools (comparator group), its LA and England, with its day-of-week pattern' })
  overview(@Param('urn') urn: string, @Query() params: Record<string, unknown>, @Req() request: AuthedRequest): Promise<SchoolOverview> {
    const q = parseBody(query, { ...params, urn });
    return this.schools.overview(q.urn, q, request.principal);
  }
}
