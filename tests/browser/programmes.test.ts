// A DfE analyst sets up a programme in a real browser and reads its evaluation: the difference in differences, the
// week-by-week chart with the start marked, each school with its matched comparator, and the method.
import type { Browser, Page } from 'playwright-core';
import { GIAS, register } from '../fixtures/programme-schools.js';
import { launchChromium, newPage, screenshot, signIn } from '../support/browser.js';
import { post, settled, startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
  expect((await post(server, '/api/v1/submissions', register(), server.token('submitter'))).status).toBe(202);
  await settled(server);
  browser = await launchChromium();
  page = await newPage(browser, 1400, consoleErrors);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('sets up a programme and shows whether absence fell more in its schools than in matched schools', async () => {
  await signIn(page, server, 'dfe');
  await page.goto(`${server.url}/programmes`);
  await page.getByLabel('Name').fill('Camden attendance hub');
  await page.getByLabel('Start date').fill('2025-11-10');
  await page.getByLabel(/Schools \(URNs/).fill('910001, 910002');
  await page.getByRole('button', { name: 'Set up and evaluate' }).click();

  await page.locator('[data-testid="programme-name"]', { hasText: 'Camden attendance hub' }).waitFor();
  const headline = page.locator('[data-testid="programme-headline"]');
  await headline.waitFor();
  expect(await headline.textContent()).toContain(
    "−15.0 points in the programme's schools and 0.0 points in their comparators: a difference in differences of −15.0 points",
  );
  const measures = page.locator('[data-testid="programme-measures"] tbody tr');
  expect(await measures.nth(1).textContent()).toMatch(/Persistent absence.*40\.0\s*10\.0\s*40\.0\s*40\.0\s*-30\.0/);
  const pairs = page.locator('[data-testid="programme-pairs"] tbody tr');
  expect(await pairs.count()).toBe(2);
  expect(await pairs.nth(0).textContent()).toMatch(
    /School 910001\s*30\.0\s*10\.0\s*School 910003 \(Camden\)\s*30\.0\s*30\.0/,
  );
  await page.locator('.comparison-lines canvas').first().waitFor();
  expect(await page.locator('[data-testid="programme-method"]').textContent()).toMatch(/difference in differences/);
  await screenshot(page, 'programme');

  await page.getByRole('link', { name: 'Attendance programmes' }).click();
  await page.locator('[data-testid="programmes"] tbody tr', { hasText: 'Camden attendance hub' }).waitFor();
  expect(consoleErrors).toEqual([]);
});
