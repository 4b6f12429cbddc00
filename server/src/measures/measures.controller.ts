import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { SharedAnswer } from '../common/shared-answers.js';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { ApiRoute } from '../common/api-docs.js';
import { parseBody } from '../common/validation.js';
import { ROUTES } from '../contract/routes.js';
import { MeasuresService } from './measures.service.js';
import { eesCsv } from './ees-csv.js';
import type { MeasuresResult } from '../contract/api.js';

@ApiTags('measures')
@ApiBearerAuth()
@Controller('api/v1')
export class MeasuresController {
  constructor(
    private readonly measures: MeasuresService,
    private readonly audit: AuditService,
  ) {}

  @Get('measures')
  @SharedAnswer()
  @ApiRoute(ROUTES.measures)
  @ApiOperation({
    summary: 'Attendance measures (DfE method, EES column names) as JSON: the numbers the dashboard shows',
  })
  json(@Query() query: unknown, @Req() request: AuthedRequest): Promise<MeasuresResult> {
    return this.measures.measures(parseBody(ROUTES.measures.request, query), request.principal);
  }

  @Get('export/attendance.csv')
  @ApiRoute(ROUTES.measuresCsv)
  @ApiProduces('text/csv')
  @ApiOperation({
    summary:
      "The same measures as an EES tidy CSV, DfE's columns first in DfE's order (num_schools and enrolments as DfE's means of daily counts), ours after; a stable URL that Excel or Power BI can refresh from",
  })
  async csv(@Query() query: unknown, @Req() request: AuthedRequest, @Res() response: Response): Promise<void> {
    const asked = parseBody(ROUTES.measures.request, query);
    const result = await this.measures.measures({ ...asked, dfeFile: true }, request.principal);
    const body = eesCsv(result.columns, result.rows);
    await this.audit.record(request, 'measures.export', result.rows.length);
    response
      .status(200)
      .type('text/csv; charset=utf-8')
      .set(
        'Content-Disposition',
        `attachment; filename="attendance-${result.level}-${result.frame}-${result.from}-${result.to}.csv"`,
      )
      .send(body);
  }
}
