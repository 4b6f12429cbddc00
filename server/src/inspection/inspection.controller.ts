import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { z } from 'zod';
import type { InspectionPriorities } from '../api-contract.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { Roles } from '../auth/roles.decorator.js';
import { csvCell } from '../common/csv-cell.js';
import { parseBody } from '../common/validation.js';
import { laCode } from '../measures/measures.query.js';
import { InspectionService } from './inspection.service.js';

const filters = z.object({
  region: z.string().regex(/^E12\d{6}$/, 'must be a region GSS code such as E12000007').optional(),
  la: laCode.optional(),
  phase: z.enum(['Primary', 'Secondary', 'Special', 'Other']).optional(),
  limit: z.coerce.number().int().min(1).max(25_000).default(100),
});

const documented = (target: object, key: string, descriptor: PropertyDescriptor) => {
  ApiQuery({ name: 'region', required: false, description: 'region GSS code' })(target, key, descriptor);
  ApiQuery({ name: 'la', required: false, description: '3-digit LA code' })(target, key, descriptor);
  ApiQuery({ name: 'phase', required: false, enum: ['Primary', 'Secondary', 'Special', 'Other'] })(target, key, descriptor);
  ApiQuery({ name: 'limit', required: false, description: 'rows (default 100)' })(target, key, descriptor);
};

@ApiTags('inspection')
@ApiBearerAuth()
@Controller('api/v1/inspection')
export class InspectionController {
  constructor(
    private readonly inspection: InspectionService,
    private readonly audit: AuditService,
  ) {}

  @Get('priorities')
  @Roles('ofsted', 'dfe')
  @documented
  @ApiOperation({ summary: 'Schools ranked by an explainable inspection priority score, with each part and why' })
  priorities(@Query() query: unknown, @Req() request: AuthedRequest): Promise<InspectionPriorities> {
    return this.inspection.priorities(parseBody(filters, query), request.principal!);
  }

  @Get('priorities.csv')
  @Roles('ofsted', 'dfe')
  @documented
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The same ranked list as CSV, one column per part of the score' })
  async csv(@Query() query: unknown, @Req() request: AuthedRequest, @Res() response: Response): Promise<void> {
    const result = await this.inspection.priorities(parseBody(filters, query), request.principal!);
    const partKeys = result.schools[0]?.parts.map((p) => p.key) ?? [];
    const rows = result.schools.map((p) => [
      p.rank, p.school.urn, p.school.name, p.school.laName, p.school.phase, p.school.ofstedLastInspection ?? '', p.score.toFixed(3), p.why,
      p.overall_absence_perc ?? '', p.pa_perc ?? '', p.sa_perc ?? '',
      ...p.parts.flatMap((part) => [part.value ?? '', part.contribution.toFixed(3)]),
    ].map(csvCell));
    await this.audit.record(request, 'inspection.export', rows.length);
    const header = ['rank', 'urn', 'school', 'la', 'phase', 'last_inspection', 'score', 'why', 'overall_absence_perc', 'pa_perc', 'sa_perc', ...partKeys.flatMap((k) => [k, `${k}_contribution`])];
    response.status(200).type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="inspection-priorities-${result.to}.csv"`).send(stringify(rows, { header: true, columns: header }));
  }
}
