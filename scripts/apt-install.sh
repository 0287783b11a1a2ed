#!/usr/bin/env bash
# Installs a Debian package when the file it provides is missing: apt-install.sh LABEL PATH PACKAGE.
# Idempotent. Needs root (or sudo) and apt-get; used by chromium.sh and redis.sh.
set -euo pipefail

LABEL="$1" TARGET="$2" PACKAGE="$3"
log() { echo "[${LABEL}] $*" >&2; }

if [[ -x "${TARGET}" ]]; then
  log "already installed: ${TARGET}"
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  log "error: ${TARGET} is missing and installing it needs root (apt-get install ${PACKAGE})"
  exit 1
fi

command -v apt-get >/dev/null 2>&1 || {
  log "error: ${TARGET} is missing and there is no apt-get to install it with"
  exit 1
}

log "installing Debian's ${PACKAGE} (apt-get update, then apt-get install ${PACKAGE})"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${PACKAGE}"

[[ -x "${TARGET}" ]] || {
  log "error: apt-get installed ${PACKAGE} but ${TARGET} is not there"
  exit 1
}
log "installed: ${TARGET}"
