import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiRoute } from '../common/api-docs.js';
import { parseBody } from '../common/validation.js';
import { ROUTES } from '../contract/routes.js';
import { ProgrammesService } from './programmes.service.js';
import type { Programme, ProgrammeEvaluation } from '../contract/api.js';

@ApiTags('programmes')
@ApiBearerAuth()
@Controller('api/v1/programmes')
export class ProgrammesController {
  constructor(private readonly programmes: ProgrammesService) {}

  @Get()
  @Roles('dfe', 'ofsted', 'la', 'trust')
  @ApiRoute(ROUTES.programmes)
  @ApiOperation({
    summary: 'Attendance programmes (named groups of schools from a start date) whose every school you may see',
  })
  list(@Req() request: AuthedRequest): Promise<Programme[]> {
    return this.programmes.list(request.principal);
  }

  @Post()
  @HttpCode(201)
  @Roles('dfe', 'la', 'trust')
  @ApiRoute(ROUTES.createProgramme)
  @ApiOperation({
    summary:
      'Sets up a programme: { name, startDate (YYYY-MM-DD), urns }. DfE for any schools, an LA for its own, a trust for its own',
  })
  create(@Body() body: unknown, @Req() request: AuthedRequest): Promise<Programme> {
    return this.programmes.create(parseBody(ROUTES.createProgramme.body, body), request.principal);
  }

  @Get(':id/evaluation')
  @Roles('dfe', 'ofsted', 'la', 'trust')
  @ApiRoute(ROUTES.programmeEvaluation)
  @ApiOperation({
    summary:
      "The programme's schools against matched comparators before and after the start (difference in differences), weekly, school by school, with the method",
  })
  evaluation(
    @Param('id') id: string,
    @Query() params: Record<string, unknown>,
    @Req() request: AuthedRequest,
  ): Promise<ProgrammeEvaluation> {
    const q = parseBody(ROUTES.programmeEvaluation.request, { ...params, id });
    return this.programmes.evaluation(q.id, request.principal, q.to);
  }
}
