import jwt from 'jsonwebtoken';
import { inScope, signToken, verifyToken } from './principal.js';

const secret = 's'.repeat(40);

describe('tokens', () => {
  it('round-trips a principal with a list scope or every scope', () => {
    expect(verifyToken(signToken({ sub: 'u1', role: 'la', scope: ['202'] }, secret), secret)).toEqual({ sub: 'u1', role: 'la', scope: ['202'] });
    const admin = verifyToken(signToken({ sub: 'u2', role: 'admin', scope: '*' }, secret), secret);
    expect(inScope(admin, '999')).toBe(true);
    expect(verifyToken(jwt.sign({ role: 'school', scope: '100001' }, secret, { subject: 'u3', expiresIn: 60 }), secret).scope).toEqual(['100001']);
  });

  it('refuses tokens without exp, with another algorithm or secret, expired, or with an unknown role', () => {
    expect(() => verifyToken(jwt.sign({ role: 'dfe', sub: 'a' }, secret), secret)).toThrow(/expiry/);
    expect(() => verifyToken(jwt.sign({ role: 'dfe' }, secret, { subject: 'a', expiresIn: 60, algorithm: 'HS512' }), secret)).toThrow(/not valid/);
    expect(() => verifyToken(jwt.sign({ role: 'dfe' }, 'other'.repeat(8), { subject: 'a', expiresIn: 60 }), secret)).toThrow(/not valid/);
    expect(() => verifyToken(jwt.sign({ role: 'dfe', exp: Math.floor(Date.now() / 1000) - 10 }, secret, { subject: 'a' }), secret)).toThrow(/expired/);
    expect(() => verifyToken(jwt.sign({ role: 'king' }, secret, { subject: 'a', expiresIn: 60 }), secret)).toThrow(/role/);
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'a', role: 'admin', exp: 9e9 })).toString('base64url')}.`;
    expect(() => verifyToken(unsigned, secret)).toThrow(/not valid/);
  });
});
