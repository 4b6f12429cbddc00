import { Body, Controller, Get, Param, Put, Query, Req } from '@nestjs/common';
import { SharedAnswer } from '../common/shared-answers.js';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiRoute } from '../common/api-docs.js';
import { parseBody } from '../common/validation.js';
import { ROUTES } from '../contract/routes.js';
import { WorkspaceService } from './workspace.service.js';
import type { LaCohorts, LaComparison, LaNeighbourhoods, LaSchools, LaTarget } from '../contract/api.js';

@ApiTags('la workspace')
@ApiBearerAuth()
@Controller('api/v1/las/:code')
export class WorkspaceController {
  constructor(private readonly workspace: WorkspaceService) {}

  @Get('comparison')
  @SharedAnswer()
  @ApiRoute(ROUTES.laComparison)
  @ApiOperation({
    summary:
      'The LA against its region, England, its 10 statistical and its geographic neighbours, with its rank among all LAs',
  })
  comparison(
    @Param('code') la: string,
    @Query() query: Record<string, unknown>,
    @Req() request: AuthedRequest,
  ): Promise<LaComparison> {
    const { code, phase, ...period } = parseBody(ROUTES.laComparison.request, { ...query, code: la });
    return this.workspace.comparison(code, period, phase, request.principal);
  }

  @Get('cohorts')
  @SharedAnswer()
  @ApiRoute(ROUTES.laCohorts)
  @ApiOperation({
    summary:
      'Each cohort of one breakdown in the LA against the same cohort in its statistical neighbours and England, with the gaps',
  })
  cohorts(
    @Param('code') la: string,
    @Query() query: Record<string, unknown>,
    @Req() request: AuthedRequest,
  ): Promise<LaCohorts> {
    const { code, breakdown, ...period } = parseBody(ROUTES.laCohorts.request, { ...query, code: la });
    return this.workspace.cohorts(code, breakdown, period, request.principal);
  }

  @Get('schools')
  @SharedAnswer()
  @ApiRoute(ROUTES.laSchools)
  @ApiOperation({
    summary:
      "Every school in the LA (academies with their trust): the period's figures, weekly absence, change and today's register",
  })
  schools(
    @Param('code') la: string,
    @Query() query: Record<string, unknown>,
    @Req() request: AuthedRequest,
  ): Promise<LaSchools> {
    const { code, ...period } = parseBody(ROUTES.laSchools.request, { ...query, code: la });
    return this.workspace.schools(code, period, request.principal);
  }

  @Get('neighbourhoods')
  @SharedAnswer()
  @ApiRoute(ROUTES.laNeighbourhoods)
  @ApiOperation({
    summary:
      "Absence by pupils' home area (LSOAs grouped to MSOAs where named); small areas are c without pupil-level rights",
  })
  neighbourhoods(
    @Param('code') la: string,
    @Query() query: Record<string, unknown>,
    @Req() request: AuthedRequest,
  ): Promise<LaNeighbourhoods> {
    const { code, ...period } = parseBody(ROUTES.laNeighbourhoods.request, { ...query, code: la });
    return this.workspace.neighbourhoods(code, period, request.principal);
  }

  @Get('targets')
  @Roles('la', 'dfe', 'ofsted')
  @ApiRoute(ROUTES.laTargets)
  @ApiOperation({ summary: 'The attendance targets the LA set for its children in need and looked after' })
  targets(@Param('code') la: string, @Req() request: AuthedRequest): Promise<LaTarget[]> {
    return this.workspace.targets(parseBody(ROUTES.laTargets.request, { code: la }).code, request.principal);
  }

  @Put('targets')
  @Roles('la')
  @ApiRoute(ROUTES.setLaTarget)
  @ApiOperation({
    summary: "Sets one attendance target (cohort cin or cla, attendance in percent): the LA's own users only",
  })
  setTarget(@Param('code') la: string, @Body() body: unknown, @Req() request: AuthedRequest): Promise<LaTarget[]> {
    const { code } = parseBody(ROUTES.setLaTarget.request, { code: la });
    const { cohort, attendance } = parseBody(ROUTES.setLaTarget.body, body);
    return this.workspace.setTarget(code, cohort, attendance, request.principal!);
  }
}
