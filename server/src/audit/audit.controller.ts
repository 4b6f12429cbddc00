import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { Roles } from '../auth/roles.decorator.js';
import { addDays, todayInLondon } from '../common/dates.js';
import { ApiRoute } from '../common/api-docs.js';
import { parseBody } from '../common/validation.js';
import { ROUTES } from '../contract/routes.js';
import { AuditService } from './audit.service.js';
import type { AuditEntry } from '../contract/api.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin')
  @ApiRoute(ROUTES.audit)
  @ApiOperation({
    summary: 'Who read pupil-level data or exported figures, what and when (admin only); reading it is recorded too',
  })
  async entries(@Query() query: unknown, @Req() request: AuthedRequest): Promise<AuditEntry[]> {
    const q = parseBody(ROUTES.audit.request, query);
    const to = q.to ?? todayInLondon();
    const entries = await this.audit.entries({ ...q, to, from: q.from ?? addDays(to, -30) });
    await this.audit.record(request, 'audit.read', entries.length);
    return entries;
  }
}
