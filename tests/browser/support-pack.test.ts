// The Targeting Support Meeting pack in a real browser, signed in as Camden's LA lead, on the hand-worked autumn of
// tests/fixtures/support-pack.ts (figures in tests/integration/support-pack.test.ts): the bands now and at the last
// meeting, the cohorts, each pupil's name, reason and change, and the meeting's date and threshold chosen on the page.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, signIn } from '../support/browser.js';
import { post, settled, startServer, waitFor, type TestServer } from '../support/server.js';
import { GIAS, register, TO } from '../fixtures/support-pack.js';

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
  // A context of its own, as axe-core needs (it audits frames in a page it opens beside this one).
  page = await (await browser.newContext({ viewport: { width: 1280, height: 1200 } })).newPage();
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(error.message));
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Each body row of a table as its cells' text, joined by '|'. */
async function rows(testId: string): Promise<string[]> {
  return page
    .locator(`[data-testid="${testId}"] tbody tr`)
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.children].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim()).join('|')),
    );
}

it('gives the meeting its bands, cohorts and pupils, with why and the change since the last meeting', async () => {
  await signIn(page, server, 'la', ['202']);
  await page.goto(`${server.url}/schools/900031/support?to=${TO}`);
  await page.locator('[data-testid="pack-bands"] tbody tr').first().waitFor();
  const since = page.getByRole('group', { name: 'Date of the last meeting' });
  const sinceParts = async () =>
    Promise.all(['Day', 'Month', 'Year'].map((part) => since.getByLabel(part).inputValue()));
  expect(await sinceParts()).toEqual(['3', '11', '2025']);
  expect(await page.getByLabel('At-risk threshold').inputValue()).toBe('97');
  expect(await rows('pack-bands')).toEqual([
    '95% and above|2|2|0',
    'Over 90% to under 95%: at risk of persistent absence|1|0|+1',
    'Over 50% to 90%: persistent absence|1|3|-2',
    '50% and under: severe absence|1|0|+1',
  ]);
  // Cohort | Pupils | 95%+ | 90-95 | 50-90 | 50 and under | At risk.
  expect(await rows('pack-cohorts')).toEqual(['FSM eligible|2|0|0|1|1|2', 'Not known to be FSM eligible|3|2|1|0|0|1']);
  await page.getByLabel('Group pupils by').selectOption({ label: 'Special educational needs' });
  await waitFor(async () => (await rows('pack-cohorts'))[0]?.startsWith('EHC plan'), 5_000, 'the SEN cohorts');
  expect(await rows('pack-cohorts')).toEqual(['EHC plan|1|0|0|0|1|1', 'SEN support|1|0|0|1|0|1', 'No SEN|3|2|1|0|0|1']);

  // Lowest attendance first: Cat (48%, no name sent), then Ada (76%), by name where the school sent one.
  const persistent = await rows('pack-persistent');
  // UPN | Name | Year | Needs | Attendance | Band | At the last meeting | Change | Why.
  expect(persistent.map((r) => r.split('|').slice(0, 8))).toEqual([
    ['Z9CAT0000033', '', '5', 'FSM, EHC plan, CIN', '48.0', '50% and under', '80.0', '-32.0'],
    ['Z9ADA0000031', 'Ada Lovelace', '5', 'FSM, SEN support', '76.0', '50 to 90%', '80.0', '-4.0'],
  ]);
  expect(persistent[1].split('|').slice(8)).toEqual([
    'Under the threshold. 12 of 50 sessions missed: 6 illness (I), 6 unauthorised other (O); more on Mondays (10 of 10 missed). ' +
      'Last four weeks: 6 of 20 missed (30.0%): 6 unauthorised other (O); up from 20.0% in the four weeks before.',
  ]);
  expect((await rows('pack-at-risk')).map((r) => r.split('|')[0])).toEqual([
    'Z9CAT0000033',
    'Z9ADA0000031',
    'Z9BOB0000032',
  ]);
  await page.setViewportSize({ width: 1366, height: 900 });
  await screenshot(page, 'support-pack-1366');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'support-pack-390');
  await page.setViewportSize({ width: 1280, height: 1200 });

  // 31 February and a threshold out of range: said at each field and in the summary, which takes the focus and links
  // to them; nothing is asked.
  await since.getByLabel('Day').fill('31');
  await since.getByLabel('Month').fill('2');
  await page.getByLabel('At-risk threshold').fill('120');
  await page.getByRole('button', { name: 'Update the pack' }).click();
  const summary = page.locator('.govuk-error-summary', { hasText: 'There is a problem' });
  await summary.waitFor();
  expect(
    await summary.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent])),
  ).toEqual([
    ['#pack-since', 'Enter the date of the last meeting as a real date, for example 3 11 2025'],
    ['#pack-threshold', 'Enter a threshold from 50 to 100, for example 97'],
  ]);
  expect(page.url()).not.toContain('threshold=120');
  // The form with its errors, audited as every page is (tests/browser/accessibility.test.ts), at both widths.
  for (const [width, height] of [
    [1366, 900],
    [390, 844],
  ]) {
    await page.setViewportSize({ width, height });
    const audit = await new AxeBuilder({ page: page as never })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(audit.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  await screenshot(page, 'support-pack-errors-390');
  await page.setViewportSize({ width: 1280, height: 1200 });
  expect(await page.evaluate('document.activeElement.className')).toContain('govuk-error-summary');
  expect(await page.locator('#pack-threshold-error').textContent()).toContain('Enter a threshold from 50 to 100');

  // 65%: Ada attended 70% of the last four weeks and is persistently absent already, so no longer at risk. An earlier
  // meeting, 6 October: then is the week of 8 September (Fay was not on roll).
  await page.getByLabel('At-risk threshold').fill('65');
  await since.getByLabel('Day').fill('6');
  await since.getByLabel('Month').fill('10');
  await page.getByRole('button', { name: 'Update the pack' }).click();
  await page.getByRole('heading', { name: 'Pupils at risk (2)' }).waitFor();
  expect(page.url()).toContain('since=2025-10-06');
  expect(page.url()).toContain('threshold=65');
  expect(await summary.count()).toBe(0);
  expect((await rows('pack-at-risk')).map((r) => r.split('|')[0])).toEqual(['Z9CAT0000033', 'Z9BOB0000032']);
  expect((await rows('pack-bands')).map((r) => r.split('|').slice(1).join('|'))).toEqual([
    '2|2|0',
    '1|0|+1',
    '1|1|0',
    '1|1|0',
  ]);
  expect((await rows('pack-persistent'))[0].split('|').slice(4, 8)).toEqual(['48.0', '50% and under', '40.0', '+8.0']);
  expect(consoleErrors).toEqual([]);
});
