// The national page in a real browser (Debian Chromium through playwright-core) against the real server:
// 153 LAs in the map and the table, and figures that change by themselves as submissions land.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { todayInLondon } from '../../server/src/common/dates.js';
import { launchChromium, newPage, screenshot } from '../support/browser.js';
import { post, settled, startServer, waitFor, type TestServer } from '../support/server.js';


let server: TestServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', readFileSync('tests/fixtures/gias-small.csv'), server.token('admin'))).status).toBe(201);
  const today = todayInLondon();
  const day = `urn,upn,date,session,code,year_group\n100001,A1,${today},AM,/,3\n100001,A2,${today},AM,I,4\n100002,B1,${today},AM,/,9\n`;
  expect((await post(server, '/api/v1/submissions', day, server.token('submitter'))).status).toBe(202);
  await settled(server);
  browser = await launchChromium();
  page = await newPage(browser, 1800, consoleErrors);
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
  // Each answer is drawn as it comes: the latest day's waits for the status.
  await page.locator('[data-testid="headline-today"]', { hasText: '66.7' }).waitFor();
  const lastUpdate = await page.locator('[data-testid="last-update"]').textContent();

  // A school submits: the page changes by itself, without a reload.
  const today = todayInLondon();
  const more = `urn,upn,date,session,code,year_group\n100001,A3,${today},AM,/,5\n100001,A4,${today},AM,/,6\n100004,C1,${today},AM,/,7\n`;
  expect((await post(server, '/api/v1/submissions', more, server.token('submitter'))).status).toBe(202);
  const text = (testId: string) => page.locator(`[data-testid="${testId}"]`).textContent();
  await waitFor(async () => (await text('last-update')) !== lastUpdate, 10_000, 'a live update');
  await waitFor(async () => /83\.3/.test((await text('headline-today')) ?? ''), 10_000, "today's figures to change");
  await expect(camden.textContent()).resolves.toMatch(/16\.7/);

  await screenshot(page, 'national');
  expect(consoleErrors).toEqual([]);
});
