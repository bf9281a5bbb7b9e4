#!/usr/bin/env bash
# Où va le temps du serveur sous la rotation « sans-cache » : perf (paquet Debian
# linux-perf) échantillonne le serveur pendant une passe wrk, puis affiche le temps CPU du
# serveur par requête et les fonctions qui le prennent (temps inclusif, appels compris).
#
#   scripts/load/profile.sh [/recherche | /api/dispositifs | /healthz]
#
# Variables : PORT (38978), DURATION (10, secondes), CONNECTIONS (16), SKIP_BUILD=1.
# Les piles sont déroulées avec DWARF (.eh_frame suffit : pas besoin d'informations de
# débogage). Le temps CPU par requête vient de /proc/<pid>/stat (utime + stime) : il dépend
# peu de la charge de la machine, contrairement aux req/s.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ENDPOINT="${1:-/recherche}"
PORT="${PORT:-38978}"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-16}"
log() { printf '[profil] %s\n' "$*" >&2; }

for tool in perf wrk curl; do
  command -v "$tool" >/dev/null 2>&1 || { log "$tool manque (apt-get install linux-perf wrk curl)"; exit 1; }
done
if ! perf stat -e task-clock true >/dev/null 2>&1; then
  log "perf ne peut pas compter ici (perf_event_paranoid ? essaie en root)"
  exit 1
fi
if [ "${SKIP_BUILD:-0}" != "1" ]; then (cd "$ROOT" && cargo build --release --bin referentiel); fi
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/referentiel"

TMP="$(mktemp -d -t referentiel-profil.XXXXXX)"
SERVER_PID=""
cleanup() {
  local rc=$?
  [ -n "$SERVER_PID" ] && { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp -r "$ROOT/data" "$TMP/data"
"$BIN" serve --addr "127.0.0.1:$PORT" --data "$TMP/data" --index "$TMP/index" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 300); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break; sleep 0.1; done

rotation="sans-cache"
[ "$ENDPOINT" = "/healthz" ] && rotation="cached"
cpu() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
c0="$(cpu)"
perf record -q -F 999 --call-graph dwarf,16384 -p "$SERVER_PID" -o "$TMP/perf.data" -- sleep "$DURATION" >/dev/null 2>&1 &
PERF_PID=$!
out="$(WRK_THREADS=2 wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$ROOT/scripts/load/rotation.lua" \
  "http://127.0.0.1:$PORT" -- "$ENDPOINT" "$rotation" | grep '^RESULT')"
c1="$(cpu)"
wait "$PERF_PID" || true
requests="$(printf '%s\n' "$out" | sed -E 's/.*requests=([0-9]+).*/\1/')"
echo "$ENDPOINT ($rotation) : $requests requêtes en ${DURATION} s, charge moyenne $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v c="$((c1 - c0))" -v t="$(getconf CLK_TCK)" -v n="$requests" \
  'BEGIN { printf "temps CPU du serveur : %.3f ms par requête\n\n", 1000 * c / t / n }'
echo "temps inclusif (appels compris), fonctions du référentiel et de tantivy :"
cp "$TMP/perf.data" /tmp/perf.server 2>/dev/null || true
perf report -i "$TMP/perf.data" --children --sort symbol --stdio -g none 2>/dev/null |
  grep -E '%' | awk '{ $1 = $1; print }' |
  grep -E 'referentiel_jeunesse|tantivy::(snippet|core::searcher|query::[a-z_]+::[A-Za-z]+ as)|frostem|unicode_normalization::normalize|tracing_subscriber::fmt::fmt_layer|serde_json::ser::to_writer' |
  sed -E 's/ -  -$//; s/^([0-9.]+%) ([0-9.]+%) \[\.\] /\1 (propre \2) /' | cut -c1-150 | head -30
