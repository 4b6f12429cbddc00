// A DfE analyst sets up a programme in a real browser and reads its evaluation: the difference in differences, the
// week-by-week chart with the start marked, each school with its matched comparator, and the method.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { GIAS, register } from '../fixtures/programme-schools.js';
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
  expect((await post(server, '/api/v1/submissions', register(), server.token('submitter'))).status).toBe(202);
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

it('sets up a programme and shows whether absence fell more in its schools than in matched schools', async () => {
  await page.goto(server.url);
  await page.evaluate(`sessionStorage.setItem('attendance-live.session', ${JSON.stringify(JSON.stringify({ role: 'dfe', scope: '*', token: server.token('dfe') }))})`);
  await page.goto(`${server.url}/programmes`);
  await page.getByLabel('Name').fill('Camden attendance hub');
  await page.getByLabel('Start date').fill('2025-11-10');
  await page.getByLabel(/Schools \(URNs/).fill('910001, 910002');
  await page.getByRole('button', { name: 'Set up and evaluate' }).click();

  await page.locator('[data-testid="programme-name"]', { hasText: 'Camden attendance hub' }).waitFor();
  const headline = page.locator('[data-testid="programme-headline"]');
  await headline.waitFor();
  expect(await headline.textContent()).toContain('−15.0 points in the programme\'s schools and 0.0 points in their comparators: a difference in differences of −15.0 points');
  const measures = page.locator('[data-testid="programme-measures"] tbody tr');
  expect(await measures.nth(1).textContent()).toMatch(/Persistent absence.*40\.0\s*10\.0\s*40\.0\s*40\.0\s*-30\.0/);
  const pairs = page.locator('[data-testid="programme-pairs"] tbody tr');
  expect(await pairs.count()).toBe(2);
  expect(await pairs.nth(0).textContent()).toMatch(/School 910001\s*30\.0\s*10\.0\s*School 910003 \(Camden\)\s*30\.0\s*30\.0/);
  await page.locator('.comparison-lines canvas').first().waitFor();
  expect(await page.locator('[data-testid="programme-method"]').textContent()).toMatch(/difference in differences/);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/programme.png`, fullPage: true });

  await page.getByRole('link', { name: 'Attendance programmes' }).click();
  await page.locator('[data-testid="programmes"] tbody tr', { hasText: 'Camden attendance hub' }).waitFor();
  expect(consoleErrors).toEqual([]);
});
