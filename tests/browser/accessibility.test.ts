// Every page, as the users it is for see it, at a laptop's width (1366x900) and a phone's (390x844), audited by axe-core
// against WCAG 2.2 AA (public-sector services must meet it): no violation anywhere. Also what the audit cannot see:
// a refused section is asked once, not on every push; table downloads carry codes, a byte-order mark and the rates
// as shown; the national page marks today as provisional beside the last settled day. Screenshots in tests/artifacts.
import { readFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { addDays, todayInLondon } from '../../server/src/common/dates.js';
import { launchChromium, screenshot, signIn } from '../support/browser.js';
import { post, settled, startServer, waitFor, type TestServer } from '../support/server.js';
import type { Role } from '../../server/src/contract/vocabulary.js';

const HEADER = 'urn,upn,date,session,code,year_group,sex,fsm,sen,eal,ethnicity,cin,cla,lsoa';
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WIDTHS = [
  { name: 'laptop', width: 1366, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

let server: TestServer;
let browser: Browser;
let programmeId: string;
const today = todayInLondon();
const weekAgo = addDays(today, -7);

/** A day's morning and afternoon marks for `pupils` pupils of a school, the first `absent` of them away with `code`. */
function day(urn: number, date: string, pupils: number, absent: number, code: string): string[] {
  return Array.from({ length: pupils }, (_, i) => {
    const tail = `5,F,${i % 3 === 0 ? 'Y' : 'N'},N,N,WHIT,N,N,E01000907`;
    const mark = i < absent ? code : '/';
    return [
      `${urn},P${urn}x${i},${date},AM,${mark},${tail}`,
      `${urn},P${urn}x${i},${date},PM,${mark === '/' ? '\\' : mark},${tail}`,
    ];
  }).flat();
}

beforeAll(async () => {
  server = await startServer({ AUTH_MODE: 'dev' });
  const gias = readFileSync('tests/fixtures/gias-small.csv');
  expect((await post(server, '/api/v1/reference/schools', gias, server.token('admin'))).status).toBe(201);
  // A week ago settled (every absence with a reason); today still arriving, with marks of no reason yet (N).
  const rows = [
    ...day(100001, weekAgo, 12, 2, 'I'),
    ...day(100002, weekAgo, 14, 1, 'M'),
    ...day(100004, weekAgo, 8, 1, 'I'),
    ...day(100001, today, 12, 3, 'N'),
    ...day(100002, today, 14, 2, 'I'),
  ];
  const submitted = await post(
    server,
    '/api/v1/submissions',
    `${HEADER}\n${rows.join('\n')}\n`,
    server.token('submitter'),
  );
  expect(submitted.status).toBe(202);
  const programme = await post(
    server,
    '/api/v1/programmes',
    JSON.stringify({ name: 'Camden hub', startDate: weekAgo, urns: [100001] }),
    server.token('dfe'),
    'application/json',
  );
  expect(programme.status).toBe(201);
  programmeId = ((await programme.json()) as { id: string }).id;
  await settled(server);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Visit {
  name: string;
  role: Role | 'public';
  scope?: string[];
  path: () => string;
  /** Shown once the page has its figures. */
  ready: string;
}

const VISITS: Visit[] = [
  { name: 'national', role: 'public', path: () => '/', ready: '[data-testid="la-table"] tbody tr >> nth=152' },
  { name: 'la-public', role: 'public', path: () => '/la/202', ready: '[data-testid="schools-refused"]' },
  { name: 'la', role: 'la', scope: ['202'], path: () => '/la/202', ready: '[data-testid="schools"] tbody tr' },
  {
    name: 'school',
    role: 'school',
    scope: ['100001'],
    path: () => '/schools/100001',
    ready: '[data-testid="school-comparison"] tbody tr',
  },
  {
    name: 'support',
    role: 'school',
    scope: ['100001'],
    path: () => '/schools/100001/support',
    ready: '[data-testid="pack-bands"] tbody tr',
  },
  {
    name: 'trust',
    role: 'trust',
    scope: ['TR01'],
    path: () => '/trusts/TR01',
    ready: '[data-testid="trust-schools"] tbody tr',
  },
  { name: 'inspection', role: 'ofsted', path: () => '/inspection', ready: '[data-testid="priorities"] tbody tr' },
  { name: 'programmes', role: 'dfe', path: () => '/programmes', ready: '[data-testid="programmes"] tbody tr' },
  { name: 'programme', role: 'dfe', path: () => `/programmes/${programmeId}`, ready: '[data-testid="programme-name"]' },
  { name: 'refused', role: 'public', path: () => '/inspection', ready: '[data-testid="refused"]' },
];

async function open(visit: Visit, width: (typeof WIDTHS)[number]): Promise<{ page: Page; errors: string[] }> {
  // A context of its own: axe-core runs its frames' audit in a page it opens beside this one.
  const context = await browser.newContext({ viewport: { width: width.width, height: width.height } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (m) => m.type() === 'error' && !/status of 40[13]/.test(m.text()) && errors.push(m.text()));
  if (visit.role !== 'public') await signIn(page, server, visit.role, visit.scope);
  await page.goto(`${server.url}${visit.path()}`);
  await page.locator(visit.ready).first().waitFor();
  return { page, errors };
}

describe.each(WIDTHS)('at $width x $height', (width) => {
  it.each(VISITS.map((v) => [v.name, v] as const))('%s: no WCAG 2.2 AA violation', async (_, visit) => {
    const { page, errors } = await open(visit, width);
    // Charts drawn and late answers in before the audit.
    await page.waitForLoadState('networkidle');
    const { violations } = await new AxeBuilder({ page: page as never }).withTags(WCAG_22_AA).analyze();
    await screenshot(page, `a11y-${visit.name}-${width.name}`);
    const found = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(found).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

it('asks a refused section once, however many pushes arrive', async () => {
  const { page } = await open(VISITS[1], WIDTHS[0]);
  const refusals: string[] = [];
  page.on('response', (r) => [401, 403].includes(r.status()) && refusals.push(r.url()));
  await page.waitForLoadState('networkidle');
  const before = refusals.length;
  // Two more registers: two pushes, two refreshes of the page's figures, no new refusal.
  for (const n of [1, 2]) {
    // The page shows a push's time to the second: the next push must come in a later second to be seen.
    await page.waitForTimeout(1100);
    const lastUpdate = await page.locator('[data-testid="last-update"]').textContent();
    const rows = day(100001, today, 12 + n, 3, 'N');
    expect(
      (await post(server, '/api/v1/submissions', `${HEADER}\n${rows.join('\n')}\n`, server.token('submitter'))).status,
    ).toBe(202);
    await waitFor(
      async () => (await page.locator('[data-testid="last-update"]').textContent()) !== lastUpdate,
      // A push comes within a second or two on a quiet machine; CI's parallel suites have taken more than 10 s.
      60_000,
      'a push',
    );
  }
  await page.waitForLoadState('networkidle');
  expect(refusals.length - before).toBe(0);
  expect(await page.locator('[data-testid="schools-refused"]').textContent()).toMatch(
    /Camden are for its own LA users, DfE and Ofsted\. Sign in as one of them to see this\./,
  );
  await page.context().close();
}, 180_000);

it('marks today as provisional beside the last settled day, and downloads tables as shown', async () => {
  const { page } = await open(VISITS[0], WIDTHS[0]);
  const text = (testId: string) => page.locator(`[data-testid="${testId}"]`).textContent();
  await page.locator('[data-testid="headline-today"]', { hasText: 'Provisional' }).waitFor();
  // Registers have come for today (whatever the day of the week): today is the current day.
  expect(await text('headline-today')).toMatch(/^\s*Today so far/);
  expect(await text('headline-today')).toMatch(/sessions are still coded N \(no reason yet\)/);
  // A week ago: 4 of 34 pupils absent all day, every absence with a reason: settled.
  expect(await text('headline-day')).toMatch(/88\.2/);
  expect(await text('headline-day')).not.toMatch(/Provisional/);
  expect(await text('headline-ytd')).toMatch(/Persistent absence/);
  expect(await text('phases')).toMatch(/Primary/);
  expect(await text('reasons')).toMatch(/No reason yet \(N\)/);

  const table = page.locator('.data-table', { has: page.locator('[data-testid="la-table"]') });
  const [download] = await Promise.all([page.waitForEvent('download'), table.getByRole('button').first().click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const [header, ...lines] = csv.slice(1).trim().split('\n');
  expect(header).toMatch(/^Local authority,LA code,ONS code,Region,Overall absence %/);
  const camden = lines.find((l) => l.startsWith('Camden,'))!;
  expect(camden).toMatch(/^Camden,202,E09000007,London,\d+\.\d,/);
  await page.context().close();
});
