import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { InvalidToken, verifyToken, type Principal, type TokenRules } from './principal.js';
import { ROLES_KEY } from './roles.decorator.js';
import { ROLE_NAMES, type Role } from '../contract/vocabulary.js';

export type AuthedRequest = Request & { principal?: Principal };

type Authentication = { principal?: Principal } | { refused: UnauthorizedException };
const authentications = new WeakMap<Request, Authentication>();

/**
 * The request's principal from its bearer token (undefined without one); 401 for a bad token. Read once a request:
 * the rate limit, which runs first, and the AuthGuard both ask.
 */
export function authenticate(request: AuthedRequest, rules: TokenRules): Principal | undefined {
  let outcome = authentications.get(request);
  if (!outcome) {
    outcome = readToken(request.headers.authorization, rules);
    authentications.set(request, outcome);
  }
  if ('refused' in outcome) throw outcome.refused;
  return outcome.principal;
}

function readToken(header: string | undefined, rules: TokenRules): Authentication {
  if (!header) return {};
  const match = /^Bearer (\S+)$/.exec(header);
  if (!match) return { refused: new UnauthorizedException('Send the token as "Authorization: Bearer <token>"') };
  try {
    return { principal: verifyToken(match[1], rules) };
  } catch (error) {
    const message = error instanceof InvalidToken ? error.message : 'The token is not valid';
    return { refused: new UnauthorizedException(message) };
  }
}

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
    request.principal = authenticate(request, this.config);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles) return true;
    const needs = `This is for ${roles.map((role) => ROLE_NAMES[role]).join(' or ')}`;
    if (!request.principal) throw new UnauthorizedException(`${needs}. Sign in as one of them to see this.`);
    if (!roles.includes(request.principal.role))
      throw new ForbiddenException(`${needs}. You are signed in as ${ROLE_NAMES[request.principal.role]}.`);
    return true;
  }
}
