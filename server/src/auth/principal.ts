import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export const ROLES = ['admin', 'dfe', 'ofsted', 'la', 'trust', 'school', 'submitter'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking. scope: LA 3-digit codes (la), trust codes (trust), URNs (school, submitter), or '*' (every one). */
export interface Principal {
  sub: string;
  role: Role;
  scope: '*' | string[];
}

export class InvalidToken extends Error {}

const keys = new Map<string, KeyObject>();

/** HS256 only, `exp` required: a token without an expiry is refused. */
export function verifyToken(token: string, secret: string): Principal {
  let claims: jwt.JwtPayload;
  // A key object made once: given the string, jsonwebtoken tries it as a public key (and fails) for every token.
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret))));
  try {
    const decoded = jwt.verify(token, key, { algorithms: ['HS256'] });
    if (typeof decoded === 'string') throw new InvalidToken('The token has no claims');
    claims = decoded;
  } catch (error) {
    throw new InvalidToken(error instanceof jwt.TokenExpiredError ? 'The token has expired' : 'The token is not valid');
  }
  if (typeof claims.exp !== 'number') throw new InvalidToken('The token has no expiry (exp)');
  if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role)) throw new InvalidToken('The token needs sub and a known role');
  const scope = claims.scope === '*' ? '*' : [claims.scope ?? []].flat().map(String);
  return { sub: claims.sub, role: claims.role, scope };
}

export function signToken(principal: Principal, secret: string, expiresInSeconds = 8 * 3600): string {
  return jwt.sign({ role: principal.role, scope: principal.scope }, secret, {
    algorithm: 'HS256',
    subject: principal.sub,
    expiresIn: expiresInSeconds,
  });
}

export function inScope(principal: Principal, value: string): boolean {
  return principal.scope === '*' || principal.scope.includes(value);
}
