import { Body, Controller, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { parseBody } from '../common/validation.js';
import { ROLES, signToken } from './principal.js';

const devTokenRequest = z.object({
  role: z.enum(ROLES),
  scope: z.union([z.literal('*'), z.string().min(1), z.array(z.string().min(1))]).default('*'),
});

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Post('dev-token')
  @ApiOperation({ summary: 'Demo mode only (AUTH_MODE=dev): a signed token for any role and scope' })
  devToken(@Body() body: unknown): { token: string } {
    if (this.config.authMode !== 'dev') throw new NotFoundException('Dev tokens exist only in demo mode');
    const { role, scope } = parseBody(devTokenRequest, body);
    const list = scope === '*' ? '*' : [scope].flat();
    return { token: signToken({ sub: `dev-${role}`, role, scope: list }, this.config.jwtSecret) };
  }
}
