// Ofsted's list and a school page in a real browser against the real server, signed in as Ofsted: the ranked list
// says why, and the school page sets the school beside its similar schools.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { todayInLondon } from '../../server/src/common/dates.js';
import { GIAS, register } from '../fixtures/three-schools.js';
import { post, settled, startServer, type TestServer } from '../support/server.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'tests/artifacts';

let server: TestServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
  expect((await post(server, '/api/v1/submissions', register(todayInLondon()), server.token('submitter'))).status).toBe(202);
  await settled(server);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('shows an Ofsted planner which schools to look at first and why, then a school against similar schools', async () => {
  await page.goto(server.url);
  await page.evaluate(`sessionStorage.setItem('attendance-live.session', ${JSON.stringify(JSON.stringify({ role: 'ofsted', scope: '*', token: server.token('ofsted') }))})`);
  await page.goto(`${server.url}/inspection`);
  const rows = page.locator('[data-testid="priorities"] tbody tr');
  await rows.nth(2).waitFor();
  expect(await rows.count()).toBe(3);
  expect(await rows.nth(0).textContent()).toMatch(/School One.*Why: overall absence above similar schools \(\+20\.0 pp\)/);
  expect(await rows.nth(2).textContent()).toContain('School Three');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/inspection.png`, fullPage: true });

  await page.getByRole('link', { name: 'School One' }).click();
  await page.locator('[data-testid="school-name"]', { hasText: 'School One' }).waitFor();
  const comparison = page.locator('[data-testid="school-comparison"] tbody tr');
  await comparison.nth(3).waitFor();
  expect(await comparison.nth(1).textContent()).toMatch(/Similar schools \(2\)\s*5\.0/);
  expect(await page.locator('[data-testid="comparators"] tbody tr').count()).toBe(2);
  await page.locator('[data-testid="comparison-chart"] canvas').first().waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/school.png`, fullPage: true });
  expect(consoleErrors).toEqual([]);
});
