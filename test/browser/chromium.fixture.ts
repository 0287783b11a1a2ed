/**
 * Debian's chromium for the browser suites (test/browser), driven by playwright-core: one launch
 * with one set of flags, and one watcher of what a page reports wrong (console errors, page
 * errors, CSP violations). `bash scripts/chromium.sh` installs chromium; the suites run it
 * themselves when it is missing, as the integration setup builds FerretDB.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page, chromium } from 'playwright-core';

/** Where Debian installs chromium; Playwright never downloads a browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';

// NOTE: the network is closed: no QUIC, no background or component-update traffic, no sandbox
// (root in a container).
/** The flags every suite launches chromium with. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts chromium with CHROMIUM_ARGS and a suite's own `extraArgs` (e.g. a
 * `--host-resolver-rules` mapping), installing it with scripts/chromium.sh when missing.
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    execFileSync('bash', [join(__dirname, '../../scripts/chromium.sh')], { stdio: 'inherit' });
  }
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

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
