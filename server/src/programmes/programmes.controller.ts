import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Programme, ProgrammeEvaluation } from '../api-contract.js';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { Roles } from '../auth/roles.decorator.js';
import { isoDate, parseBody } from '../common/validation.js';
import { ProgrammesService } from './programmes.service.js';

const programmeBody = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  startDate: isoDate,
  urns: z.array(z.number().int().positive('must be URNs')).min(1, 'must name at least one school').max(500, 'must be at most 500 schools'),
});
const evaluationQuery = z.object({ id: z.uuid('must be a programme id'), to: isoDate.optional() });

@ApiTags('programmes')
@ApiBearerAuth()
@Controller('api/v1/programmes')
export class ProgrammesController {
  constructor(private readonly programmes: ProgrammesService) {}

  @Get()
  @Roles('dfe', 'ofsted', 'la', 'trust')
  @ApiOperation({ summary: 'Attendance programmes (named groups of schools from a start date) whose every school you may see' })
  list(@Req() request: AuthedRequest): Promise<Programme[]> {
    return this.programmes.list(request.principal);
  }

  @Post()
  @HttpCode(201)
  @Roles('dfe', 'la', 'trust')
  @ApiOperation({ summary: 'Sets up a programme: { name, startDate (YYYY-MM-DD), urns }. DfE for any schools, an LA for its own, a trust for its own' })
  create(@Body() body: unknown, @Req() request: AuthedRequest): Promise<Programme> {
    return this.programmes.create(parseBody(programmeBody, body), request.principal);
  }

  @Get(':id/evaluation')
  @Roles('dfe', 'ofsted', 'la', 'trust')
  @ApiParam({ name: 'id', description: 'The programme id' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD: the end of the after period; default today' })
  @ApiOperation({ summary: "The programme's schools against matched comparators before and after the start (difference in differences), weekly, school by school, with the method" })
  evaluation(@Param('id') id: string, @Query() params: Record<string, unknown>, @Req() request: AuthedRequest): Promise<ProgrammeEvaluation> {
    const q = parseBody(evaluationQuery, { ...params, id });
    return this.programmes.evaluation(q.id, request.principal, q.to);
  }
}
