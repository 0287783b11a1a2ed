#!/usr/bin/env bash
# Debian's chromium for the browser e2e suite (test/browser): Playwright drives /usr/bin/chromium
# and never downloads a browser of its own. Idempotent: does nothing when chromium is installed.
# Needs root (or sudo) and apt; run by .ci/run before the tests.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

log() { echo "[chromium] $*" >&2; }

if [[ -x "${CHROMIUM}" ]]; then
  log "already installed: $("${CHROMIUM}" --version 2>/dev/null || echo "${CHROMIUM}")"
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  log "error: ${CHROMIUM} is missing and installing it needs root (apt-get install chromium)"
  exit 1
fi

command -v apt-get >/dev/null 2>&1 || {
  log "error: ${CHROMIUM} is missing and there is no apt-get to install it with"
  exit 1
}

log "installing Debian's chromium (apt-get update, then apt-get install chromium)"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium

[[ -x "${CHROMIUM}" ]] || {
  log "error: apt-get installed chromium but ${CHROMIUM} is not there"
  exit 1
}
log "installed: $("${CHROMIUM}" --version 2>/dev/null || echo "${CHROMIUM}")"
