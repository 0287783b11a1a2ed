#!/usr/bin/env bash
# Debian's chromium for the browser e2e suite (test/browser): Playwright drives /usr/bin/chromium
# and never downloads a browser of its own. Idempotent: does nothing when chromium is installed.
# Needs root (or sudo) and apt; run by .ci/run before the tests.
set -euo pipefail
exec bash "$(dirname "$0")/apt-install.sh" chromium /usr/bin/chromium chromium
