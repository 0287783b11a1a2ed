/**
 * Debian's chromium driven by playwright-core, for the browser tests (test/browser) and the
 * console bench: one path and one set of flags. `bash scripts/chromium.sh` installs it;
 * `launchChromium` runs that script itself when chromium is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';

/** Where Debian installs chromium; Playwright never downloads a browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';

// NOTE: the network is closed: no QUIC, no background or component-update traffic, no sandbox
// (root in a container).
/** The flags chromium is always launched with. */
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
 * Starts chromium with CHROMIUM_ARGS and the caller's `extraArgs` (e.g. a
 * `--host-resolver-rules` mapping), installing it with scripts/chromium.sh when missing.
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    // NOTE: beside this file when run from the sources; from dist-bench/scripts, two levels up.
    const script = [join(__dirname, 'chromium.sh'), join(__dirname, '../../scripts/chromium.sh')];
    execFileSync('bash', [script.find((path) => existsSync(path)) ?? script[0]], {
      stdio: 'inherit',
    });
  }
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
