#!/usr/bin/env bash
# Contract tests (issue 18): schemathesis, an independent property-based client, generates
# requests from the served /api/openapi.json and checks every answer against the document:
# no server error, documented status codes, content types, headers and response schemas,
# valid requests accepted and invalid ones refused. A fresh server on the shipped data, with
# the date fixed so that answers do not depend on the day; a fixed seed so that a run can be
# replayed. Exits non-zero on any failure.
#
# Environment: CONTRACT_SEED, CONTRACT_EXAMPLES (per operation and phase), CONTRACT_VENV.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

SCHEMATHESIS_VERSION=4.32.5
SEED=${CONTRACT_SEED:-20261201}
EXAMPLES=${CONTRACT_EXAMPLES:-60}
TODAY=2026-12-01
VENV=${CONTRACT_VENV:-${TMPDIR:-/tmp}/referentiel-contract/venv-$SCHEMATHESIS_VERSION}
WORK=$(mktemp -d)
SERVER=""

cleanup() {
    if [ -n "$SERVER" ]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# 1. schemathesis, pinned, in a virtual environment of its own.
if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    echo "contract: installing schemathesis $SCHEMATHESIS_VERSION in $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        "schemathesis==$SCHEMATHESIS_VERSION"
fi

# 2. A fresh server on the shipped data, its index in a temporary folder.
cargo build --quiet --bin referentiel
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/referentiel"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
"$BIN" serve --addr "127.0.0.1:$PORT" --data data --index "$WORK/index" \
    --aujourdhui "$TODAY" --base-url "$BASE" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do
    if python3 -c "import urllib.request; urllib.request.urlopen('$BASE/healthz', timeout=1)" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$SERVER" 2>/dev/null; then
        cat "$WORK/server.log"
        echo "contract: the server did not start" >&2
        exit 1
    fi
    sleep 0.5
done

# 3. Every operation, every phase (examples, coverage, fuzzing, stateful), every check,
#    positive and negative data.
#    Run from the temporary folder: schemathesis keeps a `.schemathesis/` cache where it runs.
status=0
(cd "$WORK" && SCHEMATHESIS_HOOKS="$ROOT/scripts/contract/hooks.py" "$VENV/bin/st" run \
    "$BASE/api/openapi.json" \
    --checks all --mode all --seed "$SEED" --max-examples "$EXAMPLES" --workers 2 \
    --request-timeout 30 --no-color) \
    | tee "$WORK/run.log" || status=$?

requests=$(grep -Eo '[0-9]+ generated' "$WORK/run.log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
operations=$(grep -Eo 'Tested: [0-9]+' "$WORK/run.log" | tail -1 | grep -Eo '[0-9]+' || echo "?")
if [ "$status" -ne 0 ]; then
    echo "contract: FAILED (exit $status): $requests requests generated; server log:" >&2
    tail -20 "$WORK/server.log" >&2
    exit "$status"
fi
echo "contract: $requests requests generated over $operations operations, 0 failures (seed $SEED)"
