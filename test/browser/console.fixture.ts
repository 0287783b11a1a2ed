/**
 * The console in a real browser for the e2e suites: Debian's chromium (playwright-core) against
 * the real server process, each page watched for console errors, page errors, CSP violations
 * and requests to any other origin; screenshots go to test/browser/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page, Request, chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
// NOTE: the same flags as the /docs test: the network is closed, no sandbox (root in a container).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Where the suites save their screenshots (gitignored; two are copied to docs/images). */
export const SCREENSHOTS = join(__dirname, 'screenshots');
/** Per action and wait; below the tests' own timeout so a failure names what it waited for. */
export const STEP_TIMEOUT_MS = 15_000;

/** Starts chromium, installing it with scripts/chromium.sh when missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    execFileSync('bash', [join(__dirname, '../../scripts/chromium.sh')], { stdio: 'inherit' });
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

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
  const problems: string[] = [];
  const requests: Request[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console error: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => requests.push(request));
  // NOTE: an init script and a binding run outside the page's CSP, so they see its violations.
  await page.exposeFunction('__trellisCspViolation', (violation: string) =>
    problems.push(`CSP violation: ${violation}`),
  );
  await page.addInitScript(`
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__trellisCspViolation(
        event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline') +
          ' in ' + event.sourceFile + ':' + event.lineNumber,
      );
    });
  `);
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
    const detail = [
      `screenshot: ${screenshot}`,
      `page problems:\n${problems.join('\n') || '(none)'}`,
      'server last log lines:',
      ...serverLogs().slice(-10),
    ].join('\n');
    if (error instanceof Error) {
      const message = error.message;
      error.message += `\n${detail}`;
      error.stack = error.stack?.replace(message, error.message);
    }
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
