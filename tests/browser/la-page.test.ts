// The LA workspace in a real browser against the real server, signed in as Camden's LA lead: the neighbours table
// and chart, a cohort chart with its table, the schools, and a live update when a Camden school submits.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { todayInLondon } from '../../server/src/common/dates.js';
import { LIVE_REFETCH_MS } from '../../server/src/contract/live-events.js';
import { launchChromium, newPage, screenshot, signIn } from '../support/browser.js';
import { post, settled, startServer, waitFor, type TestServer } from '../support/server.js';

const HEADER = 'urn,upn,date,session,code,year_group,sex,fsm,sen,eal,ethnicity,cin,cla,lsoa';

let server: TestServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

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
  // Camden today: 4 pupils at the primary, one absent (25%); FSM pupils A1 and A2, A2 absent.
  const today = todayInLondon();
  const rows = [
    ['A1', '/', 'Y'],
    ['A2', 'I', 'Y'],
    ['A3', '/', 'N'],
    ['A4', '/', 'N'],
  ].map(([upn, code, fsm]) => `100001,${upn},${today},AM,${code},3,F,${fsm},N,N,WHIT,N,N,E01000907`);
  expect(
    (await post(server, '/api/v1/submissions', `${HEADER}\n${rows.join('\n')}\n`, server.token('submitter'))).status,
  ).toBe(202);
  await settled(server);
  browser = await launchChromium();
  page = await newPage(browser, 1800, consoleErrors);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it("answers an LA lead's questions on one page: neighbours, cohorts, schools, live", async () => {
  await signIn(page, server, 'la', ['202']);
  await page.goto(`${server.url}/la/202?breakdown=fsm`);
  const text = (testId: string) => page.locator(`[data-testid="${testId}"]`).textContent();

  await page.locator('[data-testid="la-name"]', { hasText: 'Camden (202)' }).waitFor();
  // The LA, its 10 statistical neighbours (DfE's 2025 set) and the group of them.
  const neighbours = page.locator('[data-testid="stat-neighbours"] tbody tr');
  await neighbours.nth(11).waitFor();
  expect(await neighbours.count()).toBe(12);
  for (const name of ['Islington', 'Westminster', 'Hackney', 'Barnet'])
    expect(await text('stat-neighbours')).toContain(name);
  await page.locator('[data-testid="stat-neighbour-chart"] canvas').first().waitFor();
  expect(await text('headline-comparison')).toMatch(/25\.0/);

  // FSM cohorts: 1 of 2 FSM sessions absent (50%), none of the others; the chart beside the table.
  await page.locator('[data-testid="cohort-chart"] canvas').first().waitFor();
  const fsm = page.locator('[data-testid="cohorts"] tbody tr', { hasText: 'FSM eligible' }).first();
  await expect(fsm.textContent()).resolves.toMatch(/50\.0/);

  // Every Camden school, one with today's register.
  const schools = page.locator('[data-testid="schools"] tbody tr');
  await schools.first().waitFor();
  expect(await schools.count()).toBe(4);
  expect(await page.locator('[data-testid="schools"] tbody tr', { hasText: 'Camden Primary' }).textContent()).toContain(
    'Received',
  );

  // Another register lands: today's figure changes without a reload (1 absent of 8: 12.5%).
  const lastUpdate = await text('last-update');
  const more = ['A5', 'A6', 'A7', 'A8'].map(
    (upn) => `100001,${upn},${todayInLondon()},AM,/,3,F,N,N,N,WHIT,N,N,E01000907`,
  );
  expect(
    (await post(server, '/api/v1/submissions', `${HEADER}\n${more.join('\n')}\n`, server.token('submitter'))).status,
  ).toBe(202);
  await waitFor(async () => (await text('last-update')) !== lastUpdate, 10_000, 'a live update');
  await waitFor(
    async () => /12\.5/.test((await text('headline-comparison')) ?? ''),
    30_000,
    "the LA's figures to change",
  );

  await screenshot(page, 'la');

  // The Targeting Support Meeting pack for the primary: A2 missed their only session (persistently absent), by UPN.
  await page
    .locator('[data-testid="schools"] tbody tr', { hasText: 'Camden Primary' })
    .getByRole('link', { name: 'Support meeting pack' })
    .click();
  await page.locator('[data-testid="pack-persistent"] tbody tr').first().waitFor();
  expect(await page.locator('[data-testid="pack-persistent"] tbody tr').count()).toBe(1);
  expect(await text('pack-persistent')).toMatch(/A2\s*3\s*FSM/);
  await screenshot(page, 'support-pack');
  expect(consoleErrors).toEqual([]);
});

it('patches the day from each push, and refetches the rest at most once every LIVE_REFETCH_MS however many pushes arrive', async () => {
  await page.goto(`${server.url}/la/202`);
  const text = (testId: string) => page.locator(`[data-testid="${testId}"]`).textContent();
  await page.locator('[data-testid="schools"] tbody tr').first().waitFor();
  await new Promise((r) => setTimeout(r, 3000)); // the page's first answers are in
  let requests = 0;
  let pushes = 0;
  let firstPush = 0;
  page.on('request', (request) => void (new URL(request.url()).pathname.startsWith('/api/') && requests++));
  // The socket's frames, as the browser receives them: each `measures` push.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketFrameReceived', ({ response }) => {
    if (!response.payloadData.includes('"measures"')) return;
    pushes++;
    firstPush ||= Date.now();
  });

  // A register every second for 25 s at Camden Primary, each one more pupil present.
  const day = todayInLondon();
  for (let i = 0; i < 25; i++) {
    const row = `100001,P${i},${day},AM,/,4,M,N,N,N,WHIT,N,N,E01000907`;
    const started = Date.now();
    expect((await post(server, '/api/v1/submissions', `${HEADER}\n${row}\n`, server.token('submitter'))).status).toBe(
      202,
    );
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))));
  }
  await settled(server);
  // 1 absent of 33 sessions: the day's figure, patched from the last push.
  await waitFor(async () => /3\.0/.test((await text('headline-comparison')) ?? ''), 10_000, 'the last figures');
  await new Promise((r) => setTimeout(r, 2000));
  const counted = Date.now() - firstPush;
  console.log(`LA page, 25 registers in 25 s: ${requests} API requests for ${pushes} pushes in ${counted} ms`);
  // One refetch of the 13 questions a push does not carry per LIVE_REFETCH_MS (the first a second after the first
  // push), whatever the pushes: on a quiet machine one refetch for about 25 pushes.
  expect(pushes).toBeGreaterThanOrEqual(5);
  expect(requests).toBeLessThanOrEqual(13 * Math.ceil(counted / LIVE_REFETCH_MS));
  expect(consoleErrors).toEqual([]);
});
