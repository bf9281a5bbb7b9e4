#!/usr/bin/env bash
# Browser tests of the site: Debian's Chromium driven by playwright-core, axe-core, node --test.
#
#   bash tests/browser/run.sh            (from the repository root; CI runs it as root)
#
# Installs Chromium with apt when /usr/bin/chromium is missing, `npm ci` here, builds the
# release binary, serves the shipped data/ on a free loopback port with a throw-away index,
# waits for /healthz, runs `node --test`, stops the server and exits with node's status.
# Extra arguments go to `node --test` (e.g. a file: tests/05-axe.test.mjs).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
export CHROMIUM_PATH
# playwright-core never downloads a browser; make sure nothing else tries either.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

log() { printf '== %s\n' "$*"; }

# 1. Chromium from Debian.
if [ ! -x "$CHROMIUM_PATH" ]; then
  log "installing chromium (apt)"
  if [ "$(id -u)" -ne 0 ]; then
    echo "chromium is missing at $CHROMIUM_PATH and this is not root: apt-get install -y chromium" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
"$CHROMIUM_PATH" --version 2>/dev/null || true

# 2. Node packages, exactly as locked.
log "npm ci (tests/browser)"
(cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)

# 3. The release binary.
log "cargo build --release"
(cd "$ROOT" && cargo build --release)
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
BIN="$TARGET_DIR/release/referentiel"
if [ ! -x "$BIN" ]; then
  echo "no binary at $BIN after cargo build --release" >&2
  exit 1
fi

# 4. The server, on a free loopback port, with a temporary index.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/referentiel-browser.XXXXXX")"
SERVER_PID=""
HOST_LOG="$WORK/server.log"
cleanup() {
  local status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start_server() {
  local port="$1"
  BASE_URL="http://127.0.0.1:$port"
  # A fixed day: what the pages show does not depend on when CI runs.
  NO_COLOR=1 "$BIN" serve --addr "127.0.0.1:$port" --base-url "$BASE_URL" \
    --aujourdhui 2026-12-01 --data "$ROOT/data" --index "$WORK/index" >"$HOST_LOG" 2>&1 &
  SERVER_PID=$!
  # Wait for /healthz (the index is built on first start), up to 180 s.
  node "$HERE/lib/wait-healthz.mjs" "$BASE_URL/healthz" 180 "$SERVER_PID"
}

started=""
for attempt in 1 2 3; do
  PORT="$(free_port)"
  log "starting the server on 127.0.0.1:$PORT (attempt $attempt)"
  if start_server "$PORT"; then
    started=1
    break
  fi
  echo "-- server log:" >&2
  tail -n 40 "$HOST_LOG" >&2 || true
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
done
if [ -z "$started" ]; then
  echo "the server did not start" >&2
  exit 1
fi
export BASE_URL
export SCREENSHOT_DIR="${SCREENSHOT_DIR:-$ROOT/screenshots}"
mkdir -p "$SCREENSHOT_DIR"

# 5. The tests. One file at a time: the machine has 2 cores and each file runs a Chromium.
log "node --test (BASE_URL=$BASE_URL)"
set +e
(cd "$HERE" && node --test --test-concurrency=1 "$@")
status=$?
set -e
# Nothing is printed after node's summary (CI reads its closing lines): the server log is kept
# in screenshots/serveur.log instead.
cp "$HOST_LOG" "$SCREENSHOT_DIR/serveur.log" 2>/dev/null || true
exit "$status"
