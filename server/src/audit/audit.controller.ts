import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { AuditEntry } from '../api-contract.js';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { Roles } from '../auth/roles.decorator.js';
import { addDays, todayInLondon } from '../common/dates.js';
import { isoDate, parseBody } from '../common/validation.js';
import { AUDIT_ACTIONS, AuditService } from './audit.service.js';

const filters = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    subject: z.string().max(200).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin')
  @ApiQuery({ name: 'from', required: false, description: 'first day (default: 30 days ago)' })
  @ApiQuery({ name: 'to', required: false, description: 'last day (default: today)' })
  @ApiQuery({ name: 'subject', required: false })
  @ApiQuery({ name: 'action', required: false, enum: AUDIT_ACTIONS })
  @ApiQuery({ name: 'limit', required: false, description: 'most recent first, at most 10,000 (default 1,000)' })
  @ApiOperation({ summary: 'Who read pupil-level data or exported figures, what and when (admin only); reading it is recorded too' })
  async entries(@Query() query: unknown, @Req() request: AuthedRequest): Promise<AuditEntry[]> {
    const q = parseBody(filters, query);
    const to = q.to ?? todayInLondon();
    const entries = await this.audit.entries({ ...q, to, from: q.from ?? addDays(to, -30) });
    await this.audit.record(request, 'audit.read', entries.length);
    return entries;
  }
}
