import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { SharedAnswer } from '../common/shared-answers.js';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { ApiRoute } from '../common/api-docs.js';
import { parseBody } from '../common/validation.js';
import { ROUTES } from '../contract/routes.js';
import { SchoolComparisonService } from './school-comparison.service.js';
import type { SchoolOverview, SchoolWeekly } from '../contract/api.js';

@ApiTags('schools')
@ApiBearerAuth()
@Controller('api/v1/schools/:urn')
export class SchoolComparisonController {
  constructor(private readonly schools: SchoolComparisonService) {}

  @Get('overview')
  @SharedAnswer()
  @ApiRoute(ROUTES.schoolOverview)
  @ApiOperation({
    summary:
      'The school against its similar schools (comparator group), its LA and England, with its day-of-week pattern',
  })
  overview(
    @Param('urn') urn: string,
    @Query() params: Record<string, unknown>,
    @Req() request: AuthedRequest,
  ): Promise<SchoolOverview> {
    const q = parseBody(ROUTES.schoolOverview.request, { ...params, urn });
    return this.schools.overview(q.urn, q, request.principal);
  }

  @Get('weekly')
  @SharedAnswer()
  @ApiRoute(ROUTES.schoolWeekly)
  @ApiOperation({
    summary:
      'The school week by week against its similar schools, its LA and England, with its own weeks a year before (asked apart from the overview, which the page shows first)',
  })
  weekly(
    @Param('urn') urn: string,
    @Query() params: Record<string, unknown>,
    @Req() request: AuthedRequest,
  ): Promise<SchoolWeekly> {
    const q = parseBody(ROUTES.schoolWeekly.request, { ...params, urn });
    return this.schools.weekly(q.urn, q, request.principal);
  }
}
