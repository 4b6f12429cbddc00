// The national page in a real browser (Debian Chromium through playwright-core) against the real server:
// 153 LAs in the map and the table, and figures that change by themselves as submissions land.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { todayInLondon } from '../../server/src/common/dates.js';
import { post, settled, startServer, waitFor, type TestServer } from '../support/server.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'tests/artifacts';

let server: TestServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', readFileSync('tests/fixtures/gias-small.csv'), server.token('admin'))).status).toBe(201);
  const today = todayInLondon();
  const day = `urn,upn,date,session,code,year_group\n100001,A1,${today},AM,/,3\n100001,A2,${today},AM,I,4\n100002,B1,${today},AM,/,9\n`;
  expect((await post(server, '/api/v1/submissions', day, server.token('submitter'))).status).toBe(202);
  await settled(server);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('shows every LA on the map and in the table, and updates live', async () => {
  await page.goto(server.url);
  await page.locator('[data-testid="la-table"] tbody tr').nth(152).waitFor();
  expect(await page.locator('[data-testid="la-table"] tbody tr').count()).toBe(153);
  await page.locator('[data-testid="la-map"] canvas').first().waitFor();
  expect(await page.locator('[data-testid="la-map"]').textContent()).toMatch(/Office for National Statistics/);
  const camden = page.locator('[data-testid="la-table"] tbody tr', { hasText: 'Camden' });
  await expect(camden.textContent()).resolves.toMatch(/33\.3/);
  await expect(page.locator('[data-testid="headline-today"]').textContent()).resolves.toMatch(/66\.7/);
  const lastUpdate = await page.locator('[data-testid="last-update"]').textContent();

  // A school submits: the page changes by itself, without a reload.
  const today = todayInLondon();
  const more = `urn,upn,date,session,code,year_group\n100001,A3,${today},AM,/,5\n100001,A4,${today},AM,/,6\n100004,C1,${today},AM,/,7\n`;
  expect((await post(server, '/api/v1/submissions', more, server.token('submitter'))).status).toBe(202);
  const text = (testId: string) => page.locator(`[data-testid="${testId}"]`).textContent();
  await waitFor(async () => (await text('last-update')) !== lastUpdate, 10_000, 'a live update');
  await waitFor(async () => /83\.3/.test((await text('headline-today')) ?? ''), 10_000, "today's figures to change");
  await expect(camden.textContent()).resolves.toMatch(/16\.7/);

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/national.png`, fullPage: true });
  expect(consoleErrors).toEqual([]);
});
