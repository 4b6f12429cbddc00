import { Body, Controller, Get, Param, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { LaCohorts, LaComparison, LaNeighbourhoods, LaSchools, LaTarget } from '../api-contract.js';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { Roles } from '../auth/roles.decorator.js';
import { isoDate, parseBody } from '../common/validation.js';
import { BREAKDOWN_NAMES } from '../measures/breakdowns.js';
import { laCode } from '../measures/measures.query.js';
import { WorkspaceService } from './workspace.service.js';

const period = z
  .object({ from: isoDate.optional(), to: isoDate.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
const comparisonQuery = period.and(z.object({ phase: z.enum(['Primary', 'Secondary', 'Special', 'Other', 'Total']).default('Total') }));
const cohortsQuery = period.and(z.object({ breakdown: z.enum(BREAKDOWN_NAMES).default('fsm') }));
const targetBody = z.object({
  cohort: z.enum(['cin', 'cla']),
  attendance: z.number().min(0, 'must be a percentage from 0 to 100').max(100, 'must be a percentage from 0 to 100'),
});
const code = (value: string) => parseBody(z.object({ code: laCode }), { code: value }).code;

const PERIOD_DOCS = [
  { name: 'from', required: false, description: 'YYYY-MM-DD; default 1 September of the academic year of `to`' },
  { name: 'to', required: false, description: 'YYYY-MM-DD; default today (Europe/London)' },
];
const documented = (target: object, key: string, descriptor: PropertyDescriptor) => {
  ApiParam({ name: 'code', description: "3-digit DfE LA code (old_la_code), e.g. 202 for Camden" })(target, key, descriptor);
  for (const q of PERIOD_DOCS) ApiQuery(q)(target, key, descriptor);
};

@ApiTags('la workspace')
@ApiBearerAuth()
@Controller('api/v1/las/:code')
export class WorkspaceController {
  constructor(private readonly workspace: WorkspaceService) {}

  @Get('comparison')
  @documented
  @ApiQuery({ name: 'phase', required: false, enum: ['Primary', 'Secondary', 'Special', 'Other', 'Total'] })
  @ApiOperation({ summary: 'The LA against its region, England, its 10 statistical and its geographic neighbours, with its rank among all LAs' })
  comparison(@Param('code') la: string, @Query() query: unknown, @Req() request: AuthedRequest): Promise<LaComparison> {
    const { phase, ...rest } = parseBody(comparisonQuery, query);
    return this.workspace.comparison(code(la), rest, phase, request.principal);
  }

  @Get('cohorts')
  @documented
  @ApiQuery({ name: 'breakdown', required: false, enum: BREAKDOWN_NAMES })
  @ApiOperation({ summary: "Each cohort of one breakdown in the LA against the same cohort in its statistical neighbours and England, with the gaps" })
  cohorts(@Param('code') la: string, @Query() query: unknown, @Req() request: AuthedRequest): Promise<LaCohorts> {
    const { breakdown, ...rest } = parseBody(cohortsQuery, query);
    return this.workspace.cohorts(code(la), breakdown, rest, request.principal);
  }

  @Get('schools')
  @documented
  @ApiOperation({ summary: "Every school in the LA (academies with their trust): the period's figures, weekly absence, change and today's register" })
  schools(@Param('code') la: string, @Query() query: unknown, @Req() request: AuthedRequest): Promise<LaSchools> {
    return this.workspace.schools(code(la), parseBody(period, query), request.principal);
  }

  @Get('neighbourhoods')
  @documented
  @ApiOperation({ summary: "Absence by pupils' home area (LSOAs grouped to MSOAs where named); small areas are c without pupil-level rights" })
  neighbourhoods(@Param('code') la: string, @Query() query: unknown, @Req() request: AuthedRequest): Promise<LaNeighbourhoods> {
    return this.workspace.neighbourhoods(code(la), parseBody(period, query), request.principal);
  }

  @Get('targets')
  @Roles('la', 'dfe', 'ofsted')
  @ApiParam({ name: 'code' })
  @ApiOperation({ summary: 'The attendance targets the LA set for its children in need and looked after' })
  targets(@Param('code') la: string, @Req() request: AuthedRequest): Promise<LaTarget[]> {
    return this.workspace.targets(code(la), request.principal);
  }

  @Put('targets')
  @Roles('la')
  @ApiParam({ name: 'code' })
  @ApiOperation({ summary: "Sets one attendance target (cohort cin or cla, attendance in percent): the LA's own users only" })
  setTarget(@Param('code') la: string, @Body() body: unknown, @Req() request: AuthedRequest): Promise<LaTarget[]> {
    const { cohort, attendance } = parseBody(targetBody, body);
    return this.workspace.setTarget(code(la), cohort, attendance, request.principal!);
  }
}
