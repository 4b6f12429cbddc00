import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { SharedAnswer } from '../common/shared-answers.js';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { ApiRoute } from '../common/api-docs.js';
import { parseBody } from '../common/validation.js';
import { ROUTES } from '../contract/routes.js';
import { TrustService } from './trust.service.js';
import type { TrustOverview } from '../contract/api.js';

@ApiTags('schools')
@ApiBearerAuth()
@Controller('api/v1/trusts/:code')
export class TrustController {
  constructor(private readonly trusts: TrustService) {}

  @Get('overview')
  @SharedAnswer()
  @ApiRoute(ROUTES.trustOverview)
  @ApiOperation({
    summary:
      "A trust's schools side by side across LAs, with the trust's total against England, also week by week with the year before: the trust, DfE and Ofsted",
  })
  overview(
    @Param('code') code: string,
    @Query() params: Record<string, unknown>,
    @Req() request: AuthedRequest,
  ): Promise<TrustOverview> {
    const q = parseBody(ROUTES.trustOverview.request, { ...params, code });
    return this.trusts.overview(q.code, q, request.principal);
  }
}
