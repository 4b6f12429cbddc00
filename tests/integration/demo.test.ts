// What `npm start` runs: the server with the simulator, posting through the real API. Every LA gets figures, the
// simulated figures resemble DfE's, no simulated file is refused, and a missing boundary file only hides the map.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settled, startServer, waitFor, type TestServer } from '../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer({
    SIMULATOR: 'on',
    SIM_SCALE: '0.002',
    SIM_HISTORY_DAYS: '3',
    SIM_SPEED: '600',
    AUTH_MODE: 'dev',
    REFERENCE_DIR: mkdtempSync(join(tmpdir(), 'no-boundaries-')),
  });
});
afterAll(() => server?.stop());

it('fills every LA with simulated registers that resemble DfE figures', async () => {
  await waitFor(
    async () => server.output().includes('History: 3 of 3 school days posted'),
    120_000,
    'the simulated history',
  );
  // The simulated history is every LA's schools for three days: their roll-ups take a while on a busy machine.
  await settled(server, 120_000);
  const { rows } = (await (
    await fetch(`${server.url}/api/v1/measures?level=la&phase=Total`, {
      headers: { authorization: `Bearer ${server.token('la')}` },
    })
  ).json()) as {
    rows: { old_la_code: string; possible_sessions: number; overall_absence_perc: number }[];
  };
  expect(rows).toHaveLength(153);
  expect(rows.filter((r) => r.possible_sessions > 0)).toHaveLength(153);
  const national = (await (await fetch(`${server.url}/api/v1/measures?level=national&phase=Total`)).json()) as {
    rows: { overall_absence_perc: number }[];
  };
  // DfE 2025/26 year to date: 6.88%; three autumn days of a small sample land near it.
  expect(national.rows[0].overall_absence_perc).toBeGreaterThan(4);
  expect(national.rows[0].overall_absence_perc).toBeLessThan(10);
  expect(server.output()).not.toMatch(/REFUSED/);
}, 180_000);

it('keeps working without the boundary file, and says why the map is missing', async () => {
  const response = await fetch(`${server.url}/api/v1/reference/boundaries`);
  expect(response.status).toBe(404);
  expect(((await response.json()) as { message: string }).message).toMatch(/england-utla\.geojson.*REFERENCE_DIR/);
  expect((await fetch(`${server.url}/api/v1/reference/local-authorities`)).status).toBe(200);
});

it('serves the dashboard, the OpenAPI description and a health check', async () => {
  const page = await fetch(`${server.url}/la/202`, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<div id="app">/);
  const openApi = (await (await fetch(`${server.url}/api/docs-json`)).json()) as { paths: Record<string, unknown> };
  expect(Object.keys(openApi.paths)).toEqual(
    expect.arrayContaining(['/api/v1/submissions', '/api/v1/export/attendance.csv', '/api/v1/measures', '/api/health']),
  );
  const health = await fetch(`${server.url}/api/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({
    status: 'ok',
    info: { clickhouse: { status: 'up' }, redis: { status: 'up' } },
  });
});
