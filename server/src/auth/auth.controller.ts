import { Body, Controller, HttpCode, Inject, NotFoundException, Post, Req, Res } from '@nestjs/common';
import { KeepsAnswers } from '../common/shared-answers.js';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ApiRoute } from '../common/api-docs.js';
import { invalid, parseBody } from '../common/validation.js';
import { ROUTES } from '../contract/routes.js';
import type { AuthedRequest } from './auth.guard.js';
import { BOARD_PATH, SESSION_COOKIE } from './queue-board.js';
import { ownTokenSeconds, scopeRefusal, signToken, type Principal } from './principal.js';
import { Roles } from './roles.decorator.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Post('dev-token')
  @KeepsAnswers()
  @ApiRoute(ROUTES.devToken)
  @ApiOperation({ summary: 'Demo mode only (AUTH_MODE=dev): a signed token for any role and scope' })
  devToken(@Body() body: unknown): { token: string } {
    if (this.config.authMode !== 'dev') throw new NotFoundException('Dev tokens exist only in demo mode');
    const { role, scope } = parseBody(ROUTES.devToken.body, body);
    const list = scope === '*' ? '*' : [scope].flat();
    const refusal = scopeRefusal(role, list);
    if (refusal) throw invalid([{ field: 'scope', message: refusal }]);
    const principal: Principal = { sub: `dev-${role}`, role, scope: list };
    return { token: signToken(principal, this.config.jwtSecret, ownTokenSeconds(this.config)) };
  }

  @Post('admin-session')
  @KeepsAnswers()
  @Roles('admin')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: "An admin's token as an HttpOnly cookie for the queue board at /admin/queues (expires with the token)",
  })
  adminSession(@Req() request: AuthedRequest, @Res() response: Response): void {
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')![1];
    const expires = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number }).exp;
    response
      .cookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: this.config.env === 'production',
        path: BOARD_PATH,
        maxAge: Math.max(0, expires * 1000 - Date.now()),
      })
      .end();
  }
}
