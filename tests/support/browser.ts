// Debian's Chromium driven by playwright-core, as the browser tests and the bench use it.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestServer } from './server.js';
import type { Role } from '../../server/src/contract/vocabulary.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'tests/artifacts';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page 1280 wide that adds every console error and uncaught exception to `errors`. */
export async function newPage(browser: Browser, height: number, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height } });
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  return page;
}

/** Signed in as the role switcher would leave it (the tests' tsconfig has no DOM types: the script is text). */
export async function signIn(page: Page, server: TestServer, role: Role, scope: '*' | string[] = '*'): Promise<void> {
  await page.goto(server.url);
  const session = { role, scope: scope === '*' ? '*' : scope.join(','), token: server.token(role, scope) };
  await page.evaluate(`sessionStorage.setItem('attendance-live.session', ${JSON.stringify(JSON.stringify(session))})`);
}

/** A full-page screenshot in tests/artifacts, to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}
