import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { AuditService } from '../audit/audit.service.js';
import { ApiRoute } from '../common/api-docs.js';
import { parseBody } from '../common/validation.js';
import { ROUTES } from '../contract/routes.js';
import { PupilsService } from './pupils.service.js';
import type { PupilRecord, SchoolPupils } from '../contract/api.js';
import { csvCell } from '../contract/csv-cell.js';

const CSV_COLUMNS: (keyof PupilRecord)[] = [
  'upn',
  'yearGroup',
  'sex',
  'fsm',
  'sen',
  'eal',
  'ethnicity',
  'cin',
  'cla',
  'compulsoryAge',
  'possibleSessions',
  'absentSessions',
  'absencePerc',
  'attendancePerc',
  'band',
  'persistent',
  'severe',
  'recentAbsencePerc',
  'earlierAbsencePerc',
  'previousAbsencePerc',
  'trend',
  'warnings',
  'atRisk',
  'reason',
  'attendanceThenPerc',
  'bandThen',
  'attendanceChange',
  'name',
];

@ApiTags('pupils')
@ApiBearerAuth()
@Controller('api/v1/schools/:urn')
export class PupilsController {
  constructor(
    private readonly pupils: PupilsService,
    private readonly audit: AuditService,
  ) {}

  @Get('pupils')
  @ApiRoute(ROUTES.schoolPupils)
  @ApiOperation({
    summary:
      "A school's pupils with their attendance, persistent/severe absence and at-risk flags: the school, its trust and its LA only",
  })
  async list(
    @Param('urn') urn: string,
    @Query() params: Record<string, unknown>,
    @Req() request: AuthedRequest,
  ): Promise<SchoolPupils> {
    const q = parseBody(ROUTES.schoolPupils.request, { ...params, urn });
    const result = await this.pupils.pupils(q.urn, q, request.principal);
    await this.audit.record(request, 'pupils.read', result.pupils.length);
    return result;
  }

  @Get('pupils.csv')
  @ApiRoute(ROUTES.schoolPupilsCsv)
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The same pupils as CSV' })
  async csv(
    @Param('urn') urn: string,
    @Query() params: Record<string, unknown>,
    @Req() request: AuthedRequest,
    @Res() response: Response,
  ): Promise<void> {
    const q = parseBody(ROUTES.schoolPupils.request, { ...params, urn });
    const result = await this.pupils.pupils(q.urn, q, request.principal);
    const cell = (value: PupilRecord[keyof PupilRecord]) => (Array.isArray(value) ? value.join(' ') : (value ?? ''));
    const rows = result.pupils.map((p) => CSV_COLUMNS.map((c) => csvCell(cell(p[c]))));
    const body = stringify(rows, { header: true, columns: CSV_COLUMNS });
    await this.audit.record(request, 'pupils.export', result.pupils.length);
    response
      .status(200)
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="pupils-${q.urn}-${result.from}-${result.to}.csv"`)
      .send(body);
  }
}
