import jwt from 'jsonwebtoken';
import { expiryRefusal, inScope, scopeRefusal, signToken, verifyToken } from './principal.js';

const secret = 's'.repeat(40);
const rules = { jwtSecret: secret, jwtMaxLifetimeHours: 24 };
const verify = (token: string) => verifyToken(token, rules);

describe('tokens', () => {
  it('round-trips a principal with a list scope or every scope, with its expiry', () => {
    const before = Date.now();
    const la = verify(signToken({ sub: 'u1', role: 'la', scope: ['202'] }, secret, 3600));
    expect(la).toEqual({ sub: 'u1', role: 'la', scope: ['202'], expiresAt: expect.any(Number) });
    expect(la.expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3600_000);
    const admin = verify(signToken({ sub: 'u2', role: 'admin', scope: '*' }, secret));
    expect(inScope(admin, '999')).toBe(true);
    const school = jwt.sign({ role: 'school', scope: '100001' }, secret, { subject: 'u3', expiresIn: 60 });
    expect(verify(school).scope).toEqual(['100001']);
  });

  it('refuses tokens without exp, with another algorithm or secret, expired, or with an unknown role', () => {
    const inAMinute = { subject: 'a', expiresIn: 60 };
    expect(() => verify(jwt.sign({ role: 'dfe', sub: 'a' }, secret))).toThrow(/expiry/);
    expect(() => verify(jwt.sign({ role: 'dfe' }, secret, { ...inAMinute, algorithm: 'HS512' }))).toThrow(/not valid/);
    expect(() => verify(jwt.sign({ role: 'dfe' }, 'other'.repeat(8), inAMinute))).toThrow(/not valid/);
    const past = Math.floor(Date.now() / 1000) - 10;
    expect(() => verify(jwt.sign({ role: 'dfe', exp: past }, secret, { subject: 'a' }))).toThrow(/expired/);
    expect(() => verify(jwt.sign({ role: 'king' }, secret, inAMinute))).toThrow(/role/);
    const header = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
    const claims = Buffer.from(JSON.stringify({ sub: 'a', role: 'admin', exp: 9e9 })).toString('base64url');
    expect(() => verify(`${header}.${claims}.`)).toThrow(/not valid/);
  });

  it('refuses an expiry further ahead than JWT_MAX_LIFETIME_HOURS, saying so', () => {
    const sign = (hours: number) => jwt.sign({ role: 'dfe' }, secret, { subject: 'a', expiresIn: hours * 3600 });
    expect(verify(sign(24)).role).toBe('dfe');
    expect(() => verify(sign(25))).toThrow(
      'The token expires in 25 hours; tokens may last at most 24 hours (JWT_MAX_LIFETIME_HOURS)',
    );
    expect(() => verifyToken(sign(2), { jwtSecret: secret, jwtMaxLifetimeHours: 1 })).toThrow(/at most 1 hours/);
  });

  it("refuses scope '*' for school and trust users, keeps it for la and submitter, ignores it for the rest", () => {
    const sign = (role: string, scope: unknown) => jwt.sign({ role, scope }, secret, { subject: 'a', expiresIn: 60 });
    expect(() => verify(sign('school', '*'))).toThrow("A school token must list its URNs in scope; '*' is refused");
    const trust = "A trust token must list its trust codes in scope; '*' is refused";
    expect(() => verify(sign('trust', '*'))).toThrow(trust);
    for (const role of ['la', 'submitter', 'dfe', 'ofsted', 'admin']) expect(verify(sign(role, '*')).scope).toBe('*');
    expect(verify(sign('dfe', ['anything'])).scope).toEqual(['anything']);
    expect(scopeRefusal('trust', ['TR01'])).toBeNull();
    expect(() => signToken({ sub: 'a', role: 'school', scope: '*' }, secret)).toThrow(/URNs/);
  });

  it('says when a principal read from a token has expired', () => {
    const expiresAt = Date.parse('2026-12-01T10:00:00Z');
    const principal = { sub: 'a', role: 'dfe' as const, scope: '*' as const, expiresAt };
    expect(expiryRefusal(principal, expiresAt - 1)).toBeNull();
    expect(expiryRefusal(principal, expiresAt)).toBe(
      'Your token expired at 2026-12-01T10:00:00.000Z: sign in again and reconnect',
    );
  });
});
