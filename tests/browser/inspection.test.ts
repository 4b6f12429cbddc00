// Ofsted's list and a school page in a real browser against the real server, signed in as Ofsted: the ranked list
// says why, and the school page sets the school beside its similar schools.
import type { Browser, Page } from 'playwright-core';
import { todayInLondon } from '../../server/src/common/dates.js';
import { GIAS, register } from '../fixtures/three-schools.js';
import { launchChromium, newPage, screenshot, signIn } from '../support/browser.js';
import { post, settled, startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
  expect((await post(server, '/api/v1/submissions', register(todayInLondon()), server.token('submitter'))).status).toBe(
    202,
  );
  await settled(server);
  browser = await launchChromium();
  page = await newPage(browser, 1400, consoleErrors);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('shows an Ofsted planner which schools to look at first and why, then a school against similar schools', async () => {
  await signIn(page, server, 'ofsted');
  await page.goto(`${server.url}/inspection`);
  const rows = page.locator('[data-testid="priorities"] tbody tr');
  await rows.nth(2).waitFor();
  expect(await rows.count()).toBe(3);
  expect(await rows.nth(0).textContent()).toMatch(
    /School One.*Why: overall absence above similar schools \(\+20\.0 pp\)/,
  );
  expect(await rows.nth(2).textContent()).toContain('School Three');
  await screenshot(page, 'inspection');

  await page.getByRole('link', { name: 'School One' }).click();
  await page.locator('[data-testid="school-name"]', { hasText: 'School One' }).waitFor();
  const comparison = page.locator('[data-testid="school-comparison"] tbody tr');
  await comparison.nth(3).waitFor();
  expect(await comparison.nth(1).textContent()).toMatch(/2 similar \w+ schools\s*5\.0/);
  expect(await page.locator('[data-testid="comparators"] tbody tr').count()).toBe(2);
  await page.locator('[data-testid="comparison-chart"] canvas').first().waitFor();
  await screenshot(page, 'school');
  expect(consoleErrors).toEqual([]);
});
