#!/usr/bin/env bash
# FerretDB (MongoDB wire protocol on SQLite or PostgreSQL) for the integration suite.
#
#   scripts/ferretdb.sh install                 build FerretDB into <repo>/.ferretdb/bin/ferretdb (idempotent)
#   scripts/ferretdb.sh start <port> <datadir>  start it on 127.0.0.1:<port>, wait until it accepts
#                                               connections, print the mongodb:// URI on stdout
#   scripts/ferretdb.sh stop <datadir>          stop the instance whose pid is in <datadir>/ferretdb.pid
#
# Backend: SQLite files under <datadir> by default. FERRETDB_BACKEND=postgresql uses a fresh
# database on the local PostgreSQL instead (FERRETDB_PG_BASE, default postgres://postgres@127.0.0.1:5432).
#
# Why not `go install ...@v1.24.2`: the module zip lacks build/version/version.txt, and the binary
# then panics at start with "Invalid build/version/version.txt file content". We build from a
# writable copy of the module source with that file written.
set -euo pipefail

FERRETDB_VERSION="v1.24.2"
FERRETDB_MODULE="github.com/FerretDB/FerretDB"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FERRETDB_HOME="${REPO_ROOT}/.ferretdb"
FERRETDB_BIN="${FERRETDB_HOME}/bin/ferretdb"
START_TIMEOUT_S="${FERRETDB_START_TIMEOUT:-30}"
PG_BASE="${FERRETDB_PG_BASE:-postgres://postgres@127.0.0.1:5432}"

log() { echo "[ferretdb] $*" >&2; }
die() {
  echo "[ferretdb] error: $*" >&2
  exit 1
}
usage() {
  echo "usage: $0 install | start <port> <datadir> | stop <datadir>" >&2
  exit 2
}

find_go() {
  if command -v go >/dev/null 2>&1; then
    command -v go
  elif [[ -x /usr/local/go/bin/go ]]; then
    echo /usr/local/go/bin/go
  else
    return 1
  fi
}

binary_ok() {
  # No `| grep -q` here: with pipefail, grep exiting early can SIGPIPE ferretdb and fail the check.
  local out
  [[ -x "${FERRETDB_BIN}" ]] || return 1
  out="$("${FERRETDB_BIN}" --version 2>/dev/null)" || return 1
  [[ "${out}" == *"version: ${FERRETDB_VERSION}"* ]]
}

cmd_install() {
  if binary_ok; then
    log "FerretDB ${FERRETDB_VERSION} already built: ${FERRETDB_BIN}"
    return 0
  fi

  local go
  go="$(find_go)" || die "Go toolchain not found (looked in PATH and /usr/local/go/bin). Install Go >= 1.24 to build FerretDB, or set MONGODB_URI to an existing MongoDB-compatible server."
  log "building FerretDB ${FERRETDB_VERSION} with $("${go}" version) (first build takes a few minutes)..."

  local started=${SECONDS}
  local src
  src="$("${go}" mod download -json "${FERRETDB_MODULE}@${FERRETDB_VERSION}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -n "${src}" && -d "${src}" ]] || die "go mod download did not yield a source dir for ${FERRETDB_MODULE}@${FERRETDB_VERSION}"

  local work
  work="$(mktemp -d "${TMPDIR:-/tmp}/ferretdb-build.XXXXXX")"
  # shellcheck disable=SC2064
  trap "chmod -R u+w '${work}' 2>/dev/null; rm -rf '${work}'" EXIT
  cp -R "${src}/." "${work}/"
  chmod -R u+w "${work}"
  printf '%s\n' "${FERRETDB_VERSION}" >"${work}/build/version/version.txt"

  mkdir -p "${FERRETDB_HOME}/bin"
  local tmp_bin="${FERRETDB_BIN}.tmp.$$"
  # -checklinkname=0: newer Go linkers reject some go:linkname pulls used by FerretDB dependencies.
  # GOTOOLCHAIN=local: build with the installed Go instead of fetching the go.mod toolchain.
  if ! (cd "${work}" && GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
    "${go}" build -trimpath -ldflags=-checklinkname=0 -o "${tmp_bin}" ./cmd/ferretdb); then
    rm -f "${tmp_bin}"
    die "go build of FerretDB ${FERRETDB_VERSION} failed"
  fi
  mv -f "${tmp_bin}" "${FERRETDB_BIN}"
  binary_ok || die "built binary does not report version ${FERRETDB_VERSION}: $("${FERRETDB_BIN}" --version 2>&1 | head -n 3)"
  log "built ${FERRETDB_BIN} in $((SECONDS - started))s"
}

port_open() {
  # bash /dev/tcp: succeeds once something accepts on 127.0.0.1:$1
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pid_alive() { [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; }

cmd_start() {
  [[ $# -eq 2 ]] || usage
  local port="$1" datadir="$2"
  [[ "${port}" =~ ^[0-9]+$ ]] || die "invalid port: ${port}"
  binary_ok || die "FerretDB is not built; run: $0 install"

  mkdir -p "${datadir}"
  datadir="$(cd "${datadir}" && pwd)"
  local pidfile="${datadir}/ferretdb.pid" logfile="${datadir}/ferretdb.log"

  if [[ -f "${pidfile}" ]] && pid_alive "$(cat "${pidfile}")"; then
    if port_open "${port}"; then
      log "already running (pid $(cat "${pidfile}"))"
      echo "mongodb://127.0.0.1:${port}/"
      return 0
    fi
    die "a FerretDB for ${datadir} is running (pid $(cat "${pidfile}")) but not on port ${port}; stop it first"
  fi
  port_open "${port}" && die "port ${port} is already in use"

  local backend="${FERRETDB_BACKEND:-sqlite}"
  local -a backend_args
  case "${backend}" in
    sqlite)
      backend_args=(--handler=sqlite "--sqlite-url=file:${datadir}/")
      ;;
    postgresql | postgres | pg)
      backend="postgresql"
      command -v psql >/dev/null 2>&1 || die "psql not found (needed for FERRETDB_BACKEND=postgresql)"
      local dbname
      dbname="ferretdb_$(date +%s)_$$_${port}"
      psql "${PG_BASE}/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"${dbname}\"" >/dev/null ||
        die "could not create PostgreSQL database ${dbname} at ${PG_BASE}"
      echo "${dbname}" >"${datadir}/ferretdb.pgdb"
      backend_args=(--handler=postgresql "--postgresql-url=${PG_BASE}/${dbname}")
      ;;
    *) die "unknown FERRETDB_BACKEND: ${backend} (sqlite|postgresql)" ;;
  esac

  # setsid: own session, so the server outlives the caller and does not get its terminal signals.
  setsid "${FERRETDB_BIN}" \
    "${backend_args[@]}" \
    "--listen-addr=127.0.0.1:${port}" \
    --debug-addr=- \
    --telemetry=disable \
    "--state-dir=${datadir}" \
    --log-level=warn \
    </dev/null >>"${logfile}" 2>&1 &
  local pid=$!
  echo "${pid}" >"${pidfile}"

  local deadline=$((SECONDS + START_TIMEOUT_S))
  until port_open "${port}"; do
    if ! pid_alive "${pid}"; then
      rm -f "${pidfile}"
      tail -n 20 "${logfile}" >&2 || true
      die "FerretDB exited during startup (log: ${logfile})"
    fi
    if ((SECONDS >= deadline)); then
      kill "${pid}" 2>/dev/null || true
      rm -f "${pidfile}"
      tail -n 20 "${logfile}" >&2 || true
      die "FerretDB did not accept connections on 127.0.0.1:${port} within ${START_TIMEOUT_S}s (log: ${logfile})"
    fi
    sleep 0.1
  done
  log "started FerretDB ${FERRETDB_VERSION} (${backend}) pid ${pid} on 127.0.0.1:${port}, data ${datadir}"
  echo "mongodb://127.0.0.1:${port}/"
}

cmd_stop() {
  [[ $# -eq 1 ]] || usage
  local datadir="$1"
  local pidfile="${datadir}/ferretdb.pid"
  if [[ -f "${pidfile}" ]]; then
    local pid
    pid="$(cat "${pidfile}")"
    if pid_alive "${pid}"; then
      kill "${pid}" 2>/dev/null || true
      local i
      for ((i = 0; i < 100; i++)); do
        pid_alive "${pid}" || break
        sleep 0.1
      done
      if pid_alive "${pid}"; then
        log "pid ${pid} did not exit after SIGTERM; sending SIGKILL"
        kill -9 "${pid}" 2>/dev/null || true
      fi
      log "stopped pid ${pid}"
    fi
    rm -f "${pidfile}"
  else
    log "no pid file in ${datadir}; nothing to stop"
  fi
  if [[ -f "${datadir}/ferretdb.pgdb" ]]; then
    local dbname
    dbname="$(cat "${datadir}/ferretdb.pgdb")"
    psql "${PG_BASE}/postgres" -qc "DROP DATABASE IF EXISTS \"${dbname}\"" >/dev/null 2>&1 ||
      log "could not drop PostgreSQL database ${dbname}"
    rm -f "${datadir}/ferretdb.pgdb"
  fi
}

case "${1:-}" in
  install)
    shift
    [[ $# -eq 0 ]] || usage
    cmd_install
    ;;
  start)
    shift
    cmd_start "$@"
    ;;
  stop)
    shift
    cmd_stop "$@"
    ;;
  *) usage ;;
esac
