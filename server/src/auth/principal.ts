import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { AppConfig } from '../config/config.js';
import { ROLES, type Role } from '../contract/vocabulary.js';

/**
 * Who is asking. scope: LA 3-digit codes (la), trust codes (trust), URNs (school, submitter), or '*' (every one).
 * dfe, ofsted and admin see what their role gives, whatever their scope says: the scope is not read for them.
 */
export interface Principal {
  sub: string;
  role: Role;
  scope: '*' | string[];
}

/** A principal read from a token, with the moment (ms since 1970) its token stops being valid. */
export interface TokenPrincipal extends Principal {
  expiresAt: number;
}

/** What verifying a token needs from the configuration (the whole AppConfig will do). */
export type TokenRules = Pick<AppConfig, 'jwtSecret' | 'jwtMaxLifetimeHours'>;

export class InvalidToken extends Error {}

/**
 * '*' is every school's pupils: a school or trust user never needs it, so a token saying so was mis-issued. An `la`
 * user of scope '*' is the national pupil-level role (and the server's own, access.ts SERVER); a submitter of scope
 * '*' is a management information system supplier sending many schools' registers.
 */
const EVERY_SCOPE_REFUSED: ReadonlySet<Role> = new Set(['school', 'trust']);

/** Why a role may not hold this scope, or null if it may. */
export function scopeRefusal(role: Role, scope: Principal['scope']): string | null {
  if (scope === '*' && EVERY_SCOPE_REFUSED.has(role)) {
    return `A ${role} token must list its ${role === 'school' ? 'URNs' : 'trust codes'} in scope; '*' is refused`;
  }
  return null;
}

// A clock a little ahead at the issuer must not make a token of the longest lifetime look too long.
const CLOCK_SKEW_SECONDS = 60;

const keys = new Map<string, KeyObject>();

/** HS256 only, `exp` required and at most JWT_MAX_LIFETIME_HOURS ahead, the scope one the role may hold. */
export function verifyToken(token: string, rules: TokenRules): TokenPrincipal {
  let claims: jwt.JwtPayload;
  // A key object made once: given the string, jsonwebtoken tries it as a public key (and fails) for every token.
  let key = keys.get(rules.jwtSecret);
  if (!key) keys.set(rules.jwtSecret, (key = createSecretKey(Buffer.from(rules.jwtSecret))));
  try {
    const decoded = jwt.verify(token, key, { algorithms: ['HS256'] });
    if (typeof decoded === 'string') throw new InvalidToken('The token has no claims');
    claims = decoded;
  } catch (error) {
    throw new InvalidToken(error instanceof jwt.TokenExpiredError ? 'The token has expired' : 'The token is not valid');
  }
  if (typeof claims.exp !== 'number') throw new InvalidToken('The token has no expiry (exp)');
  const aheadSeconds = claims.exp - Date.now() / 1000;
  if (aheadSeconds > rules.jwtMaxLifetimeHours * 3600 + CLOCK_SKEW_SECONDS) {
    const hours = Math.round(aheadSeconds / 360) / 10;
    const most = `${rules.jwtMaxLifetimeHours} hours (JWT_MAX_LIFETIME_HOURS)`;
    throw new InvalidToken(`The token expires in ${hours} hours; tokens may last at most ${most}`);
  }
  if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role))
    throw new InvalidToken('The token needs sub and a known role');
  const scope = claims.scope === '*' ? '*' : [claims.scope ?? []].flat().map(String);
  const refusal = scopeRefusal(claims.role, scope);
  if (refusal) throw new InvalidToken(refusal);
  return { sub: claims.sub, role: claims.role, scope, expiresAt: claims.exp * 1000 };
}

/** Why a principal read from a token may no longer act (its token has expired), or null while it may. */
export function expiryRefusal(principal: TokenPrincipal, now = Date.now()): string | null {
  if (now < principal.expiresAt) return null;
  return `Your token expired at ${new Date(principal.expiresAt).toISOString()}: sign in again and reconnect`;
}

/** How long the tokens the server signs itself (demo, simulator) last: 8 hours, or the most allowed if less. */
export function ownTokenSeconds(rules: Pick<TokenRules, 'jwtMaxLifetimeHours'>): number {
  return Math.min(8 * 3600, Math.floor(rules.jwtMaxLifetimeHours * 3600));
}

export function signToken(principal: Principal, secret: string, expiresInSeconds = 8 * 3600): string {
  // Refused here too, so a token that every endpoint would refuse is never handed out.
  const refusal = scopeRefusal(principal.role, principal.scope);
  if (refusal) throw new Error(refusal);
  return jwt.sign({ role: principal.role, scope: principal.scope }, secret, {
    algorithm: 'HS256',
    subject: principal.sub,
    expiresIn: expiresInSeconds,
  });
}

export function inScope(principal: Principal, value: string): boolean {
  return principal.scope === '*' || principal.scope.includes(value);
}
