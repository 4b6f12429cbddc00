// Hardening of who may ask and how (issue 20): which tokens are refused, and why.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { startServer, TEST_JWT_SECRET, type TestServer } from '../support/server.js';

const sign = (claims: object, expiresInSeconds = 600) =>
  jwt.sign(claims, TEST_JWT_SECRET, { algorithm: 'HS256', subject: 'hardening', expiresIn: expiresInSeconds });

describe('tokens', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ AUTH_MODE: 'dev', JWT_MAX_LIFETIME_HOURS: '12' });
  }, 90_000);
  afterAll(() => server?.stop());

  const answer = async (token: string) => {
    const response = await fetch(`${server.url}/api/v1/status`, { headers: { authorization: `Bearer ${token}` } });
    return [response.status, ((await response.json()) as { message?: string }).message];
  };

  it("refuses scope '*' for school and trust users, with what to do instead", async () => {
    const school = await answer(sign({ role: 'school', scope: '*' }));
    expect(school).toEqual([401, "A school token must list its URNs in scope; '*' is refused"]);
    const trust = await answer(sign({ role: 'trust', scope: '*' }));
    expect(trust).toEqual([401, "A trust token must list its trust codes in scope; '*' is refused"]);
    expect((await answer(sign({ role: 'school', scope: ['100001'] })))[0]).toBe(200);
    // la '*' is the national pupil-level role; a submitter '*' an MIS supplier; dfe, ofsted and admin have no scope.
    for (const role of ['la', 'submitter', 'dfe', 'ofsted', 'admin']) {
      expect([role, (await answer(sign({ role, scope: '*' })))[0]]).toEqual([role, 200]);
    }
  });

  it('refuses a token that expires further ahead than JWT_MAX_LIFETIME_HOURS', async () => {
    expect((await answer(sign({ role: 'dfe' }, 12 * 3600)))[0]).toBe(200);
    expect(await answer(sign({ role: 'dfe' }, 13 * 3600))).toEqual([
      401,
      'The token expires in 13 hours; tokens may last at most 12 hours (JWT_MAX_LIFETIME_HOURS)',
    ]);
  });

  it('hands out demo tokens only with a scope the role may hold, and within the lifetime', async () => {
    const devToken = (body: object) =>
      fetch(`${server.url}/api/v1/auth/dev-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await devToken({ role: 'school' });
    expect(refused.status).toBe(400);
    const message = "A school token must list its URNs in scope; '*' is refused";
    expect(await refused.json()).toMatchObject({ errors: [{ field: 'scope', message }] });
    const { token } = (await (await devToken({ role: 'school', scope: '100001' })).json()) as { token: string };
    expect(await answer(token)).toEqual([200, undefined]);
    const { exp } = jwt.decode(token) as { exp: number };
    expect(exp - Date.now() / 1000).toBeLessThanOrEqual(8 * 3600);
  });
});
