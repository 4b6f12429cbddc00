import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { InvalidToken, verifyToken, type Principal, type Role } from './principal.js';
import { ROLES_KEY } from './roles.decorator.js';

export type AuthedRequest = Request & { principal?: Principal };

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    // Sockets authenticate at the handshake and are authorised per room by the live gateway.
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer (\S+)$/.exec(header);
      if (!match) throw new UnauthorizedException('Send the token as "Authorization: Bearer <token>"');
      try {
        request.principal = verifyToken(match[1], this.config);
      } catch (error) {
        throw new UnauthorizedException(error instanceof InvalidToken ? error.message : 'The token is not valid');
      }
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!roles) return true;
    if (!request.principal) throw new UnauthorizedException('Sign in: this needs a bearer token');
    if (!roles.includes(request.principal.role)) {
      throw new ForbiddenException(`Your role (${request.principal.role}) may not do this; it needs one of: ${roles.join(', ')}`);
    }
    return true;
  }
}
