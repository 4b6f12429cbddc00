import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { csvCell } from '../common/csv-cell.js';
import { parseBody } from '../common/validation.js';
import { BREAKDOWN_NAMES } from './breakdowns.js';
import { FRAMES, measuresQuery } from './measures.query.js';
import type { MeasuresResult } from '../api-contract.js';
import { MeasuresService } from './measures.service.js';

const QUERY_DOCS = [
  { name: 'level', enum: ['national', 'regional', 'la', 'school'], required: false },
  { name: 'from', description: 'YYYY-MM-DD; default 1 September of the academic year of `to`', required: false },
  { name: 'to', description: 'YYYY-MM-DD; default today (Europe/London)', required: false },
  {
    name: 'term',
    required: false,
    description:
      'instead of from and to, a term or half term of the term calendar: `spring`, `autumn-1` (this academic year) or `2025-26-spring`, `2025-26-autumn-1`',
  },
  {
    name: 'frame',
    enum: FRAMES,
    required: false,
    description:
      'period: one row (time_identifier "Academic year"); daily (attendance_date) and weekly (week_commencing, Monday): time_period the calendar year of the Monday, time_identifier "Week N" (ISO week); ' +
      'weekday: the day-of-week pattern over the period (day_of_week); term: one row per term of the term calendar (time_identifier "Autumn term", "Spring term", "Summer term"); ' +
      'half_term: one row per half term (that time_identifier, and half_term "Autumn 1" ... "Summer 2"). Term frames leave out days outside their terms (holidays); the other frames count every day',
  },
  { name: 'phase', enum: ['Primary', 'Secondary', 'Special', 'Other', 'Total'], required: false },
  { name: 'breakdown', enum: BREAKDOWN_NAMES, required: false, description: 'split pupils by one characteristic (EES breakdown_topic, breakdown); cells under 10 enrolments are c without a token' },
  { name: 'code', description: 'region GSS code, 3-digit LA code or URN, for one area or school', required: false },
  { name: 'la', description: 'with level=school: the schools of this LA (3-digit code)', required: false },
];
const documented = (target: object, key: string, descriptor: PropertyDescriptor) => {
  for (const q of QUERY_DOCS) ApiQuery(q)(target, key, descriptor);
};

@ApiTags('measures')
@ApiBearerAuth()
@Controller('api/v1')
export class MeasuresController {
  constructor(
    private readonly measures: MeasuresService,
    private readonly audit: AuditService,
  ) {}

  @Get('measures')
  @documented
  @ApiOperation({ summary: 'Attendance measures (DfE method, EES column names) as JSON: the numbers the dashboard shows' })
  json(@Query() query: unknown, @Req() request: AuthedRequest): Promise<MeasuresResult> {
    return this.measures.measures(parseBody(measuresQuery, query), request.principal);
  }

  @Get('export/attendance.csv')
  @documented
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The same measures as an EES tidy CSV; a stable URL that Excel or Power BI can refresh from' })
  async csv(@Query() query: unknown, @Req() request: AuthedRequest, @Res() response: Response): Promise<void> {
    const result = await this.measures.measures(parseBody(measuresQuery, query), request.principal);
    const rows = result.rows.map((row) => result.columns.map((c) => csvCell(row[c] ?? 'z')));
    const body = stringify(rows, { header: true, columns: result.columns });
    await this.audit.record(request, 'measures.export', result.rows.length);
    response
      .status(200)
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="attendance-${result.level}-${result.frame}-${result.from}-${result.to}.csv"`)
      .send(body);
  }
}
