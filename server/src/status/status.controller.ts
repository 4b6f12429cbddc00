import { Controller, Get, Query } from '@nestjs/common';
import { SharedAnswer } from '../common/shared-answers.js';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../common/api-docs.js';
import { parseBody } from '../common/validation.js';
import type { Coverage, Status } from '../contract/api.js';
import { ROUTES } from '../contract/routes.js';
import { StatusService } from './status.service.js';

@ApiTags('status')
@Controller('api/v1/status')
export class StatusController {
  constructor(private readonly service: StatusService) {}

  @Get()
  @ApiRoute(ROUTES.status)
  @ApiOperation({ summary: 'Today, the latest school day with marks, and how many schools have submitted for it' })
  status(): Promise<Status> {
    return this.service.status();
  }

  @Get('coverage')
  @SharedAnswer()
  @ApiRoute(ROUTES.coverage)
  @ApiOperation({ summary: "A day's registers received, by LA and phase, against the open schools in the school list" })
  coverage(@Query() query: Record<string, unknown>): Promise<Coverage> {
    return this.service.coverage(parseBody(ROUTES.coverage.request, query).date);
  }
}
