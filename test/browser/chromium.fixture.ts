/**
 * Chromium for the browser suites (test/browser): the launch of scripts/chromium.launcher (it
 * installs chromium when missing, as the integration setup builds FerretDB), and one watcher of
 * what a page reports wrong (console errors, page errors, CSP violations).
 */
import { Page } from 'playwright-core';

export { CHROMIUM, CHROMIUM_ARGS, launchChromium } from '../../scripts/chromium.launcher';

/**
 * Watches `page` before it loads anything; resolves with the list it fills, in order: console
 * errors, uncaught page errors and CSP violations (`CSP violation: <directive> blocked ...`).
 */
export async function watchPageProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console error: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
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
  return problems;
}

/**
 * Adds what a failed browser check leaves to look at (its screenshot, the page's problems, the
 * server's last log lines) to the error's message, and to its stack, which jest prints.
 */
export function explainFailure(
  error: unknown,
  found: { screenshot: string; problems: string[]; serverLog: string; logs: string[] },
): void {
  if (!(error instanceof Error)) return;
  const detail = [
    `screenshot: ${found.screenshot}`,
    `page problems:\n${found.problems.join('\n') || '(none)'}`,
    `${found.serverLog} last log lines:`,
    ...found.logs.slice(-10),
  ].join('\n');
  const message = error.message;
  error.message += `\n${detail}`;
  error.stack = error.stack?.replace(message, error.message);
}
