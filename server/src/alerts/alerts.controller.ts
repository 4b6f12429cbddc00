import { Controller, Get, Query, Req } from '@nestjs/common';
import { SharedAnswer } from '../common/shared-answers.js';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { ApiRoute } from '../common/api-docs.js';
import { parseBody } from '../common/validation.js';
import { ROUTES } from '../contract/routes.js';
import { AlertsService } from './alerts.service.js';
import type { Alerts } from '../contract/api.js';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @SharedAnswer()
  @ApiRoute(ROUTES.alerts)
  @ApiOperation({
    summary:
      "Early warning: schools whose absence on the day is far above their own history for the weekday (schools you may see); also pushed live as 'alert'",
  })
  list(@Query() params: unknown, @Req() request: AuthedRequest): Promise<Alerts> {
    const q = parseBody(ROUTES.alerts.request, params);
    return this.alerts.alerts(request.principal, q.date, q.la);
  }
}
