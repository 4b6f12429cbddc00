import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Alerts } from '../api-contract.js';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { isoDate, parseBody } from '../common/validation.js';
import { laCode } from '../measures/measures.query.js';
import { AlertsService } from './alerts.service.js';

const query = z.object({ date: isoDate.optional(), la: laCode.optional() });

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiQuery({ name: 'date', required: false, description: 'YYYY-MM-DD; default today' })
  @ApiQuery({ name: 'la', required: false, description: '3-digit LA code' })
  @ApiOperation({ summary: "Early warning: schools whose absence on the day is far above their own history for the weekday (schools you may see); also pushed live as 'alert'" })
  list(@Query() params: unknown, @Req() request: AuthedRequest): Promise<Alerts> {
    const q = parseBody(query, params);
    return this.alerts.alerts(request.principal, q.date, q.la);
  }
}
