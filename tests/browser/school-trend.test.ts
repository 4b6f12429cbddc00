// A trust user reads a school's and the trust's weeks in a real browser: the chart, the table of the same numbers
// (hand-worked in tests/integration/school-trend.test.ts), a withheld week in words, the CSV, at a laptop's and a
// phone's width with no WCAG 2.2 AA violation. Screenshots in tests/artifacts.
import { readFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { addDays, mondayOf, todayInLondon } from '../../server/src/common/dates.js';
import { GIAS, register } from '../fixtures/trend-schools.js';
import { launchChromium, screenshot, signIn } from '../support/browser.js';
import { post, settled, startServer, type TestServer } from '../support/server.js';

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WIDTHS = [
  { name: 'laptop', width: 1366, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];
// The two weeks before this one, in this academic year to date (the page's period) unless today is in its first two
// weeks; the same weeks a year before.
const FIRST = addDays(mondayOf(todayInLondon()), -14);

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
  expect((await post(server, '/api/v1/submissions', register(FIRST), server.token('submitter'))).status).toBe(202);
  await settled(server);
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const errors: string[] = [];

async function open(path: string, ready: string, width: (typeof WIDTHS)[number]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: width.width, height: width.height } });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await signIn(page, server, 'trust', ['TR1']);
  await page.goto(`${server.url}${path}`);
  await page.locator(ready).first().waitFor();
  await page.locator('.comparison-lines canvas').first().waitFor();
  await page.waitForLoadState('networkidle');
  return page;
}

async function audit(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page: page as never }).withTags(WCAG_22_AA).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

describe.each(WIDTHS)('at $width x $height', (width) => {
  it("shows a school's weeks against similar schools, the LA, England and the year before", async () => {
    const page = await open('/schools/900101', '[data-testid="school-weekly-table"] tbody tr', width);
    const rows = page.locator('[data-testid="school-weekly-table"] tbody tr');
    expect(await rows.count()).toBe(2);
    const [first, second] = [addDays(FIRST, 0), addDays(FIRST, 7)].map((d) =>
      new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }),
    );
    // School A, its similar schools (rounded, as a trust sees them), Camden's and England's primaries, A a year before.
    expect(await rows.nth(0).textContent()).toMatch(
      new RegExp(`^${first}\\s*20\\.0\\s*7\\.3\\s*10\\.0\\s*8\\.8\\s*30\\.0$`),
    );
    // The trust sees B: the group less B would be 4 schools, so the week is withheld, and says so.
    expect(await rows.nth(1).textContent()).toMatch(
      new RegExp(`^${second}\\s*10\\.0\\s*c \\(withheld to protect pupils’ privacy\\)\\s*9\\.2\\s*9\\.2\\s*5\\.0$`),
    );
    const gaps = await page.locator('[data-testid="school-weekly-gaps"]').textContent();
    expect(gaps).toMatch(/Similar primary schools: withheld in the week of \d+ \w+\./);
    expect(await page.locator('[data-testid="school-weekly"] [role="img"]').getAttribute('aria-label')).toMatch(
      /^Line chart: overall absence week by week at School A/,
    );
    await screenshot(page, `school-weekly-${width.name}`);
    await audit(page);

    if (width.name === 'laptop') {
      const table = page.locator('[data-testid="school-weekly"] .data-table');
      const [download] = await Promise.all([page.waitForEvent('download'), table.getByRole('button').first().click()]);
      const [header, ...lines] = readFileSync((await download.path())!, 'utf8')
        .slice(1)
        .trim()
        .split('\n');
      expect(header).toBe(
        'Week commencing,week_commencing,School A %,Similar primary schools %,"Camden, primary schools %",' +
          '"England, primary schools %",last_year_week_commencing,"School A, a year before %"',
      );
      // Rates as shown, to one decimal place (numbers stay numbers: 10, not 10.0).
      expect(lines[1]).toBe(`${second},${addDays(FIRST, 7)},10,c,9.2,9.2,${addDays(FIRST, 7 - 364)},5`);
    }
    await page.context().close();
  });

  it("shows the trust's weeks against England and the year before, and each school's weeks", async () => {
    const page = await open('/trusts/TR1', '[data-testid="trust-weekly-table"] tbody tr', width);
    const rows = page.locator('[data-testid="trust-weekly-table"] tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toMatch(/\s*15\.0\s*8\.8\s*20\.0$/);
    expect(await rows.nth(1).textContent()).toMatch(/\s*17\.5\s*9\.2\s*10\.0$/);
    expect(
      await page.locator('[data-testid="trust-schools"] svg[role="img"]').first().getAttribute('aria-label'),
    ).toMatch(/week by week: (20\.0 10\.0|10\.0 25\.0)/);
    await screenshot(page, `trust-weekly-${width.name}`);
    await audit(page);
    await page.context().close();
  });
});

it('logs no error in the browser', () => expect(errors).toEqual([]));
