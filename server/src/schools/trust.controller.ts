import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { TrustOverview } from '../api-contract.js';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { isoDate, parseBody } from '../common/validation.js';
import { TrustService } from './trust.service.js';

const query = z
  .object({ code: z.string().regex(/^[A-Za-z0-9]{1,12}$/, 'must be a GIAS trust code'), from: isoDate.optional(), to: isoDate.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

@ApiTags('schools')
@ApiBearerAuth()
@Controller('api/v1/trusts/:code')
export class TrustController {
  constructor(private readonly trusts: TrustService) {}

  @Get('overview')
  @ApiParam({ name: 'code', description: 'GIAS trust code (Trusts (code))' })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiOperation({ summary: "A trust's schools side by side across LAs, with the trust's total against England: the trust, DfE and Ofsted" })
  overview(@Param('code') code: string, @Query() params: Record<string, unknown>, @Req() request: AuthedRequest): Promise<TrustOverview> {
    const q = parseBody(query, { ...params, code });
    return this.trusts.overview(q.code, q, request.principal);
  }
}
