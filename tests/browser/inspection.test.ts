// Ofsted's list and a school page in a real browser against the real server, signed in as Ofsted: the ranked list
// says why, and the school page sets the school beside its similar schools. Then a list where size matters and a school
// was inspected recently (tests/fixtures/size-and-recency.ts, figures in tests/integration/inspection-size.test.ts).
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { addDays, todayInLondon } from '../../server/src/common/dates.js';
import * as sizeAndRecency from '../fixtures/size-and-recency.js';
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
  // Dates written in full on the page: School One's last inspection, GIAS's 01-01-2016.
  expect(await rows.nth(0).textContent()).toContain('1 January 2016');
  expect(await rows.nth(2).textContent()).toContain('not known');
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

describe('where size matters and a school was inspected recently', () => {
  let other: TestServer;
  const today = todayInLondon();
  const longDate = (iso: string) =>
    new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${iso}T00:00:00Z`),
    );

  beforeAll(async () => {
    other = await startServer();
    const admin = other.token('admin');
    expect((await post(other, '/api/v1/reference/schools', sizeAndRecency.gias(today), admin)).status).toBe(201);
    const submitted = await post(
      other,
      '/api/v1/submissions',
      sizeAndRecency.register(today),
      other.token('submitter'),
    );
    expect(submitted.status).toBe(202);
    await settled(other);
  }, 90_000);
  afterAll(() => other?.stop());

  it('ranks the large school with a real problem first, sets the recent inspection after the rest, dates in full', async () => {
    await signIn(page, other, 'ofsted');
    await page.goto(`${other.url}/inspection`);
    const rows = page.locator('[data-testid="priorities"] tbody tr');
    await rows.nth(9).waitFor();
    const text = async (i: number) => (await rows.nth(i).innerText()).replace(/\s+/g, ' ');
    expect(await text(0)).toMatch(/^1 Large Secondary/);
    // The small special school: fourth, its own figures counting 4%, said in its why.
    expect(await text(3)).toMatch(/^4 Small Special.*allowing for size: 10 pupils, so its own rates count 4%/);
    const inspected = addDays(today, -61);
    expect(await text(9)).toMatch(/^10 Recent Secondary/);
    expect(await text(9)).toContain(`${longDate(inspected)} Inspected recently`);
    expect(await page.locator('[data-testid="recent-note"]').textContent()).toContain('1 school inspected since');
    await page.getByText('How the score works').click();
    const fits = page.locator('[data-testid="size-allowances"] tbody tr');
    expect((await fits.first().innerText()).replace(/\s+/g, ' ')).toMatch(/Secondary Overall absence 5\.0 none/);
    expect(await page.locator('[data-testid="size-allowances"]').textContent()).toMatch(
      /Special\s*Overall absence\s*3\.4\s*223 pupils/,
    );
    await screenshot(page, 'inspection-size');

    // The table's download: dates ISO, the flag and the URN beside the name.
    const table = page.locator('.data-table', { has: page.locator('[data-testid="priorities"]') });
    const [download] = await Promise.all([page.waitForEvent('download'), table.getByRole('button').first().click()]);
    const [header, ...lines] = readFileSync((await download.path())!, 'utf8')
      .slice(1)
      .trim()
      .split('\n');
    expect(header).toMatch(/Last inspected,Inspected in the last 6 months$/);
    expect(lines.at(-1)).toMatch(new RegExp(`^10,Recent Secondary,970013,.*,${inspected},yes$`));
    expect(lines[0]).toMatch(/^1,Large Secondary,970011,.*,,no$/);

    // Ranked with the others: second.
    await page.getByLabel('Rank schools inspected in the last 6 months with the others').check();
    await page.waitForURL(/recent=include/);
    await page.locator('[data-testid="priorities"] tbody tr >> nth=1', { hasText: 'Recent Secondary' }).waitFor();
    expect(await page.locator('[data-testid="recent-note"]').textContent()).toContain('is ranked with the others');
    await screenshot(page, 'inspection-recent-included');
    expect(consoleErrors).toEqual([]);
  });
});
