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

/** Morning marks of today for pupils `from` to `to` of a school. */
function marks(
  urn: number,
  pupil: string,
  from: number,
  to: number,
  code: (i: number) => string,
  year: number,
): string[] {
  return Array.from(
    { length: to - from + 1 },
    (_, i) => `${urn},${pupil}${from + i},${todayInLondon()},AM,${code(from + i)},${year}`,
  );
}

beforeAll(async () => {
  server = await startServer();
  expect(
    (
      await post(
        server,
        '/api/v1/reference/schools',
        readFileSync('tests/fixtures/gias-small.csv'),
        server.token('admin'),
      )
    ).status,
  ).toBe(201);
  // Two Camden schools (enough to be shown to the public): 12 pupils of which 4 ill, and 6 present: 4 of 18 absent.
  const day = [
    'urn,upn,date,session,code,year_group',
    ...marks(100001, 'A', 1, 12, (i) => (i <= 4 ? 'I' : '/'), 3),
    ...marks(100002, 'B', 1, 6, () => '/', 9),
    '',
  ].join('\n');
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
  await expect(camden.textContent()).resolves.toMatch(/22\.2/);
  // Each answer is drawn as it comes: the latest day's waits for the status.
  await page.locator('[data-testid="headline-today"]', { hasText: '77.8' }).waitFor();
  const lastUpdate = await page.locator('[data-testid="last-update"]').textContent();

  // A school submits: the page changes by itself, without a reload.
  // Six more present at the first school and six at a third: 4 of 30 absent.
  const more = [
    'urn,upn,date,session,code,year_group',
    ...marks(100001, 'A', 13, 18, () => '/', 5),
    ...marks(100004, 'C', 1, 6, () => '/', 7),
    '',
  ].join('\n');
  expect((await post(server, '/api/v1/submissions', more, server.token('submitter'))).status).toBe(202);
  const text = (testId: string) => page.locator(`[data-testid="${testId}"]`).textContent();
  await waitFor(async () => (await text('last-update')) !== lastUpdate, 10_000, 'a live update');
  // Each part of the page is redrawn as its answer comes: the headline and the LA table each change in turn.
  await waitFor(async () => /86\.7/.test((await text('headline-today')) ?? ''), 30_000, "today's figures to change");
  await waitFor(async () => /13\.3/.test((await camden.textContent()) ?? ''), 30_000, "Camden's row to change");

  await screenshot(page, 'national');
  expect(consoleErrors).toEqual([]);
});
