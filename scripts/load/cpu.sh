#!/usr/bin/env bash
# Temps CPU du serveur par requête sous la rotation « sans-cache », sans perf : trois passes
# wrk de 8 s par point d'accès, utime + stime du serveur (/proc/<pid>/stat) divisés par le
# nombre de requêtes. Moins sensible à la charge de la machine que les req/s ; la machine
# virtuelle de développement varie tout de même de ±15 % d'une passe à l'autre.
#
#   scripts/load/cpu.sh            (variables : EPS="/recherche /api/dispositifs", D=8, PORT)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/referentiel"
PORT="${PORT:-38990}"
[ -x "$BIN" ] || { echo "compile d'abord : cargo build --release" >&2; exit 1; }
TMP="$(mktemp -d -t referentiel-cpu.XXXXXX)"
cp -r "$ROOT/data" "$TMP/data"
"$BIN" serve --addr "127.0.0.1:$PORT" --data "$TMP/data" --index "$TMP/index" >"$TMP/log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 300); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break; sleep 0.1; done
cpu() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
for _ in 1 2 3; do
  for ep in ${EPS:-/recherche /api/dispositifs}; do
    c0="$(cpu)"
    out="$(WRK_THREADS=2 wrk -t2 -c16 -d"${D:-8}s" -s "$ROOT/scripts/load/rotation.lua" \
      "http://127.0.0.1:$PORT" -- "$ep" sans-cache | grep '^RESULT')"
    c1="$(cpu)"
    n="$(printf '%s\n' "$out" | sed -E 's/.*requests=([0-9]+).*/\1/')"
    rps="$(printf '%s\n' "$out" | sed -E 's/.* rps=([0-9.]+).*/\1/')"
    awk -v c="$((c1 - c0))" -v t="$(getconf CLK_TCK)" -v n="$n" -v ep="$ep" -v r="$rps" \
      'BEGIN { printf "%-18s %.3f ms CPU par requête  %s req/s\n", ep, 1000 * c / t / n, r }'
  done
done
