import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { z } from 'zod';
import type { PupilRecord, SchoolPupils } from '../api-contract.js';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { AuditService } from '../audit/audit.service.js';
import { csvCell } from '../common/csv-cell.js';
import { isoDate, parseBody } from '../common/validation.js';
import { PupilsService } from './pupils.service.js';

const query = z
  .object({
    urn: z.coerce.number().int().positive('must be a URN'),
    from: isoDate.optional(),
    to: isoDate.optional(),
    threshold: z.coerce.number().min(50, 'must be a percentage from 50 to 100').max(100, 'must be a percentage from 50 to 100').optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

const CSV_COLUMNS: (keyof PupilRecord)[] = [
  'upn', 'yearGroup', 'sex', 'fsm', 'sen', 'eal', 'ethnicity', 'cin', 'cla', 'compulsoryAge', 'possibleSessions', 'absentSessions',
  'absencePerc', 'persistent', 'severe', 'recentAbsencePerc', 'earlierAbsencePerc', 'warnings', 'atRisk',
];

const documented = (target: object, key: string, descriptor: PropertyDescriptor) => {
  ApiParam({ name: 'urn' })(target, key, descriptor);
  ApiQuery({ name: 'from', required: false })(target, key, descriptor);
  ApiQuery({ name: 'to', required: false })(target, key, descriptor);
  ApiQuery({ name: 'threshold', required: false, description: 'Early warning: attendance over the last four weeks under this percentage (default AT_RISK_ATTENDANCE, 97)' })(target, key, descriptor);
};

@ApiTags('pupils')
@ApiBearerAuth()
@Controller('api/v1/schools/:urn')
export class PupilsController {
  constructor(
    private readonly pupils: PupilsService,
    private readonly audit: AuditService,
  ) {}

  @Get('pupils')
  @documented
  @ApiOperation({ summary: "A school's pupils with their attendance, persistent/severe absence and at-risk flags: the school, its trust and its LA only" })
  async list(@Param('urn') urn: string, @Query() params: Record<string, unknown>, @Req() request: AuthedRequest): Promise<SchoolPupils> {
    const q = parseBody(query, { ...params, urn });
    const result = await this.pupils.pupils(q.urn, q, request.principal);
    await this.audit.record(request, 'pupils.read', result.pupils.length);
    return result;
  }

  @Get('pupils.csv')
  @documented
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The same pupils as CSV' })
  async csv(@Param('urn') urn: string, @Query() params: Record<string, unknown>, @Req() request: AuthedRequest, @Res() response: Response): Promise<void> {
    const q = parseBody(query, { ...params, urn });
    const result = await this.pupils.pupils(q.urn, q, request.principal);
    const cell = (value: PupilRecord[keyof PupilRecord]) => (Array.isArray(value) ? value.join(' ') : (value ?? ''));
    const rows = result.pupils.map((p) => CSV_COLUMNS.map((c) => csvCell(cell(p[c]))));
    const body = stringify(rows, { header: true, columns: CSV_COLUMNS });
    await this.audit.record(request, 'pupils.export', result.pupils.length);
    response.status(200).type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="pupils-${q.urn}-${result.from}-${result.to}.csv"`).send(body);
  }
}
