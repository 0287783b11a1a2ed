/**
 * The console in a real browser for the e2e suites: Debian's chromium (playwright-core) against
 * the real server process, each page watched for console errors, page errors, CSP violations
 * and requests to any other origin; screenshots go to test/browser/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page, Request } from 'playwright-core';
import { explainFailure, watchPageProblems } from './chromium.fixture';

/** Where the suites save their screenshots (gitignored; two are copied to docs/images). */
export const SCREENSHOTS = join(__dirname, 'screenshots');
/** Per action and wait; below the tests' own timeout so a failure names what it waited for. */
export const STEP_TIMEOUT_MS = 15_000;

/** An open page of the console and what it did wrong so far. */
export interface ConsolePage {
  page: Page;
  /** Console errors, page errors and CSP violations, in order. */
  problems: string[];
  /** Every request the page made. */
  requests: Request[];
  /** Requests to an origin other than the server's. */
  foreign(): string[];
  /** Saves a full-page screenshot as `<name>.png` under SCREENSHOTS. */
  screenshot(name: string): Promise<string>;
}

/**
 * Opens a fresh browser context on `origin`, watching the page; runs `check`; on failure adds a
 * screenshot path and the page's problems to the error. The context is closed at the end.
 */
export async function withConsolePage(
  browser: Browser,
  origin: string,
  name: string,
  check: (console: ConsolePage) => Promise<void>,
  serverLogs: () => string[] = () => [],
): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  const problems = await watchPageProblems(page);
  const requests: Request[] = [];
  page.on('request', (request) => requests.push(request));
  const consolePage: ConsolePage = {
    page,
    problems,
    requests,
    foreign: () =>
      requests
        .map((r) => r.url())
        .filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin),
    screenshot: async (shot) => {
      const path = join(SCREENSHOTS, `${shot}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
  };
  try {
    await check(consolePage);
  } catch (error) {
    const screenshot = await consolePage.screenshot(`failed-${name}`).catch(() => 'none');
    explainFailure(error, { screenshot, problems, serverLog: 'server', logs: serverLogs() });
    throw error;
  } finally {
    await context.close();
  }
}

/** Waits until `data-testid=<testId>` has exactly `text`. */
export async function waitForText(page: Page, testId: string, text: string): Promise<void> {
  await page.waitForFunction(
    ([id, expected]) =>
      (globalThis as any).document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ===
      expected,
    [testId, text] as const,
    { timeout: STEP_TIMEOUT_MS },
  );
}

/**
 * `prepare` -> `call` -> `report` -> `publish`, where `call` (one attempt) asks `url`: it fails
 * while the service there answers an error.
 */
export function callGraph(name: string, url: string) {
  return {
    name,
    nodes: [
      { id: 'prepare', type: 'DELAY', config: { ms: 0 } },
      {
        id: 'call',
        type: 'SETUP',
        dependsOn: ['prepare'],
        retry: { maxAttempts: 1 },
        config: { http: { url } },
      },
      { id: 'report', type: 'DELAY', dependsOn: ['call'], config: { ms: 0 } },
      { id: 'publish', type: 'DELAY', dependsOn: ['report'], config: { ms: 0 } },
    ],
  };
}
