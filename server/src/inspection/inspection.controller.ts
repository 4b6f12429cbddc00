import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { SharedAnswer } from '../common/shared-answers.js';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiRoute } from '../common/api-docs.js';
import { parseBody } from '../common/validation.js';
import { ROUTES } from '../contract/routes.js';
import { InspectionService } from './inspection.service.js';
import type { InspectionPriorities } from '../contract/api.js';
import { csvCell } from '../contract/csv-cell.js';

@ApiTags('inspection')
@ApiBearerAuth()
@Controller('api/v1/inspection')
export class InspectionController {
  constructor(
    private readonly inspection: InspectionService,
    private readonly audit: AuditService,
  ) {}

  @Get('priorities')
  @SharedAnswer()
  @Roles('ofsted', 'dfe')
  @ApiRoute(ROUTES.inspectionPriorities)
  @ApiOperation({ summary: 'Schools ranked by an explainable inspection priority score, with each part and why' })
  priorities(@Query() query: unknown, @Req() request: AuthedRequest): Promise<InspectionPriorities> {
    return this.inspection.priorities(parseBody(ROUTES.inspectionPriorities.request, query), request.principal!);
  }

  @Get('priorities.csv')
  @Roles('ofsted', 'dfe')
  @ApiRoute(ROUTES.inspectionPrioritiesCsv)
  @ApiProduces('text/csv')
  @ApiOperation({
    summary:
      'The same ranked list as CSV, one column per part of the score; dates as ISO 8601 (YYYY-MM-DD), as every export',
  })
  async csv(@Query() query: unknown, @Req() request: AuthedRequest, @Res() response: Response): Promise<void> {
    const result = await this.inspection.priorities(
      parseBody(ROUTES.inspectionPriorities.request, query),
      request.principal!,
    );
    const partKeys = result.schools[0]?.parts.map((p) => p.key) ?? [];
    const rows = result.schools.map((p) =>
      [
        p.rank,
        p.school.urn,
        p.school.name,
        p.school.laName,
        p.school.phase,
        p.school.ofstedLastInspection ?? '',
        p.score.toFixed(3),
        p.why,
        p.overall_absence_perc ?? '',
        p.pa_perc ?? '',
        p.sa_perc ?? '',
        p.recentlyInspected ? 'yes' : 'no',
        p.pupils ?? '',
        p.ownWeight.toFixed(3),
        ...p.parts.flatMap((part) => [part.value ?? '', part.contribution.toFixed(3)]),
      ].map(csvCell),
    );
    await this.audit.record(request, 'inspection.export', rows.length);
    const header = [
      'rank',
      'urn',
      'school',
      'la',
      'phase',
      'last_inspection',
      'score',
      'why',
      'overall_absence_perc',
      'pa_perc',
      'sa_perc',
      'recently_inspected',
      'pupils',
      'own_weight',
      ...partKeys.flatMap((k) => [k, `${k}_contribution`]),
    ];
    response
      .status(200)
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="inspection-priorities-${result.to}.csv"`)
      .send(stringify(rows, { header: true, columns: header }));
  }
}
