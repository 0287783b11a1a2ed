#!/usr/bin/env bash
# Debian's redis-server, for the tests of the QUEUED strategy (BullMQ) when REDIS_URL is not set:
# the test setup starts its own redis-server on a free port (scripts/redis.launcher.ts), never the
# package's service. Idempotent: does nothing when redis-server is installed. Needs root (or sudo)
# and apt; run by the integration suite's global setup and by .ci/run.
set -euo pipefail
exec bash "$(dirname "$0")/apt-install.sh" redis /usr/bin/redis-server redis-server
