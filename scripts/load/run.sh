#!/usr/bin/env bash
# Test de charge du référentiel avec wrk (boucle locale uniquement, durée bornée).
#
#   scripts/load/run.sh
#
# Variables : PORT (38917), DURATION (30s), CONNECTIONS (64), THREADS (2),
#             ROTATIONS ("cached sans-cache" : les deux, ou l'une des deux),
#             REWRITE_EVERY (1 seconde), REWRITE=0 (ne pas réécrire les données, pour
#             comparer), SKIP_BUILD=1 (ne pas recompiler).
#
# Étapes : compile le binaire release, copie data/ dans un dossier temporaire, lance
# `referentiel serve --watch` dessus, attend /healthz, puis, sur le même serveur :
#   1. rotation « cached » (30 recherches, que le cache de réponses sert) sur /recherche et
#      /api/dispositifs, pendant qu'un fichier de données est réécrit chaque seconde ;
#   2. rotation « sans-cache » (chaque requête une adresse différente : le moteur répond)
#      sur /recherche et /api/dispositifs, sans réécriture ;
#   3. /healthz, le point d'accès trivial.
# Affiche un tableau (req/s, p50, p99, erreurs, adresses distinctes, taux de succès
# maximal du cache) et les rapports de débit à /healthz. Le serveur est arrêté et le
# dossier temporaire supprimé à la sortie, même en cas d'erreur ou de Ctrl-C.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/scripts/load"
PORT="${PORT:-38917}"
DURATION="${DURATION:-30s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
REWRITE_EVERY="${REWRITE_EVERY:-1}"
ROTATIONS="${ROTATIONS:-cached sans-cache}"
ADDR="127.0.0.1:$PORT"
BASE="http://$ADDR"

log() { printf '[load] %s\n' "$*" >&2; }

# --- outils -------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  log "wrk absent : installation avec apt-get"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq wrk >/dev/null
fi
command -v curl >/dev/null 2>&1 || { log "curl est nécessaire"; exit 1; }

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  log "le port $PORT est déjà pris : choisis-en un autre avec PORT=..."
  exit 1
fi

# --- binaire --------------------------------------------------------------------------------
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  log "compilation release"
  (cd "$ROOT" && cargo build --release --bin referentiel)
fi
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/referentiel"
[ -x "$BIN" ] || { log "binaire introuvable : $BIN"; exit 1; }

# --- dossier temporaire et nettoyage ---------------------------------------------------------
TMP="$(mktemp -d -t referentiel-load.XXXXXX)"
DATA="$TMP/data"
INDEX="$TMP/index"
SERVER_PID=""
REWRITER_PID=""

cleanup() {
  local rc=$?
  if [ -n "$REWRITER_PID" ]; then kill "$REWRITER_PID" 2>/dev/null || true; wait "$REWRITER_PID" 2>/dev/null || true; fi
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp -r "$ROOT/data" "$DATA"

# Le fichier réécrit chaque seconde, et sa variante (même contenu, `resume` suffixé).
TARGET="$DATA/dispositifs/sac-ados.json"
ORIG="$TMP/rewrite-a.json"
VARIANT="$TMP/rewrite-b.json"
cp "$TARGET" "$ORIG"
sed -E 's/^(  "resume": ".*)",$/\1 (test de charge)",/' "$ORIG" >"$VARIANT"
if cmp -s "$ORIG" "$VARIANT"; then log "variante identique : le motif de \"resume\" n'a pas été trouvé"; exit 1; fi
# La variante doit être valide : vérification sur une copie des données.
CHECK="$TMP/check"
cp -r "$DATA" "$CHECK" && cp "$VARIANT" "$CHECK/dispositifs/sac-ados.json"
"$BIN" check --data "$CHECK" >/dev/null 2>&1 || { log "la variante réécrite est invalide"; exit 1; }
rm -rf "$CHECK"

# --- serveur ----------------------------------------------------------------------------------
start_server() {
  # The request log (one line per answer, level info) is where the statuses are counted.
  RUST_LOG="info,tantivy=warn" "$BIN" serve --addr "$ADDR" --data "$DATA" --index "$INDEX" "$@" \
    >"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
}

wait_health() {
  for _ in $(seq 600); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then return 1; fi
    if curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

WATCH="oui"
start_server --watch
if ! wait_health; then
  if grep -qiE "unexpected argument|--watch" "$TMP/server.log"; then
    log "le serveur refuse --watch : relance sans (les réécritures ne seront pas rechargées)"
    WATCH="non (option refusée)"
    wait "$SERVER_PID" 2>/dev/null || true
    start_server
    wait_health || { log "le serveur ne répond pas"; cat "$TMP/server.log" >&2; exit 1; }
  else
    log "le serveur ne répond pas sur /healthz"
    cat "$TMP/server.log" >&2
    exit 1
  fi
fi
log "serveur prêt sur $BASE (pid $SERVER_PID, --watch : $WATCH)"

version() { curl -fsS "$BASE/healthz" 2>/dev/null | sed -nE 's/.*"version_donnees":"([^"]*)".*/\1/p'; }

# Réécrit le fichier de données chaque seconde (renommage atomique), en alternant les deux
# versions ; note la version servie après chaque écriture.
rewriter() {
  local i=0
  while true; do
    if [ $((i % 2)) -eq 0 ]; then src="$VARIANT"; else src="$ORIG"; fi
    cp "$src" "$TARGET.tmp" && mv -f "$TARGET.tmp" "$TARGET"
    i=$((i + 1))
    sleep "$REWRITE_EVERY"
    echo "$(version)" >>"$TMP/versions.log"
  done
}

# --- passes wrk ------------------------------------------------------------------------------
declare -A RPS P50 P99 SOCK NON2XX DETAIL REQS DISTINCT VERSIONS
PASSES=()

# Lance une passe : nom, chemin, rotation (cached | sans-cache), réécriture (oui | non).
run_wrk() {
  local name="$1" path="$2" rotation="$3" rewrite="$4"
  log "wrk $name : $CONNECTIONS connexions, $THREADS threads, $DURATION, rotation $rotation (réécriture des données : $rewrite)"
  : >"$TMP/versions.log"
  if [ "$rewrite" = "oui" ]; then
    rewriter &
    REWRITER_PID=$!
  fi
  local out from
  from="$(wc -l <"$TMP/server.log")"
  out="$(WRK_THREADS="$THREADS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 5s --latency \
    -s "$HERE/rotation.lua" "$BASE" -- "$path" "$rotation")"
  if [ -n "$REWRITER_PID" ]; then
    kill "$REWRITER_PID" 2>/dev/null || true
    wait "$REWRITER_PID" 2>/dev/null || true
    REWRITER_PID=""
    cp "$ORIG" "$TARGET.tmp" && mv -f "$TARGET.tmp" "$TARGET"
    cat "$TMP/versions.log" >>"$TMP/versions-all.log"
  fi
  # Les statuts des réponses de la passe, d'après le journal des requêtes du serveur (une
  # ligne « requête … status=N » par réponse ; couleurs ANSI retirées si présentes).
  local statuses
  statuses="$(tail -n +"$((from + 1))" "$TMP/server.log" | sed 's/\x1b\[[0-9;]*m//g' \
    | sed -nE 's/.* requête .*status=([0-9]{3}).*/\1/p' \
    | awk '{ n++; c = substr($1, 1, 1); if (c == "2") ok++; else if (c == "4") e4++; else if (c == "5") e5++; else o++ }
           END { printf "%d %d %d %d %d", n, ok, e4, e5, o }')"
  read -r LOGGED LOG2 LOG4 LOG5 LOGO <<<"$statuses"
  printf '%s\n' "$out" >"$TMP/wrk-$name.txt"
  printf '%s\n' "$out" | sed 's/^/    /' >&2
  local line
  line="$(printf '%s\n' "$out" | grep '^RESULT' | tail -1)"
  [ -n "$line" ] || { log "wrk n'a pas produit de résultat"; exit 1; }
  get() { printf '%s\n' "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
  PASSES+=("$name")
  RPS[$name]="$(get rps)"
  P50[$name]="$(get p50_ms)"
  P99[$name]="$(get p99_ms)"
  REQS[$name]="$(get requests)"
  DISTINCT[$name]="$(get distinct)"
  # Versions de données servies pendant la passe : chaque version recommence le cache.
  VERSIONS[$name]="$({ echo "$V0"; cat "$TMP/versions.log"; } | grep . | sort -u | wc -l)"
  SOCK[$name]="$(( $(get connect) + $(get read) + $(get write) + $(get timeout) ))"
  DETAIL[$name]="connect $(get connect), read $(get read), write $(get write), timeout $(get timeout); statut ≥ 400 selon wrk $(get status_errors) ; journal du serveur : $LOGGED réponses, 4xx $LOG4, 5xx $LOG5, autres non-2xx $LOGO ; $(get built) adresses construites, $(get distinct) distinctes sur $(get combinations) possibles"
  # Never fewer than wrk's own count of statuses ≥ 400.
  NON2XX[$name]="$((LOG4 + LOG5 + LOGO))"
  if [ "$(get status_errors)" -gt "$((LOG4 + LOG5))" ]; then
    NON2XX[$name]="$(($(get status_errors) + LOGO))"
  fi
  if [ "$LOGGED" -eq 0 ]; then
    log "aucune ligne « requête » dans le journal du serveur (RUST_LOG ?) : statuts non comptés"
    NON2XX[$name]="?"
  fi
  if [ "$(get status_errors)" -gt "$((LOG4 + LOG5))" ]; then
    log "wrk compte $(get status_errors) statuts ≥ 400, le journal du serveur $((LOG4 + LOG5)) : journal incomplet ?"
  fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    log "le serveur s'est arrêté pendant la passe $name"
    tail -50 "$TMP/server.log" >&2
    exit 1
  fi
}

V0="$(version)"
LOAD0="$(cut -d' ' -f1-3 /proc/loadavg)"
: >"$TMP/versions-all.log"
REWRITE_DURING="oui"
[ "${REWRITE:-1}" = "0" ] && REWRITE_DURING="non"
for rotation in $ROTATIONS; do
  case $rotation in
    cached)
      run_wrk recherche /recherche cached "$REWRITE_DURING"
      run_wrk api /api/dispositifs cached "$REWRITE_DURING"
      ;;
    sans-cache)
      run_wrk recherche-sans-cache /recherche sans-cache non
      run_wrk api-sans-cache /api/dispositifs sans-cache non
      ;;
    *) log "rotation inconnue : $rotation (cached ou sans-cache)"; exit 1 ;;
  esac
done
run_wrk healthz /healthz cached non
V1="$(version)"

# --- résumé -------------------------------------------------------------------------------------
RELOADS="$(awk 'NR > 1 && NF && $0 != prev {n++} {prev=$0} END {print n+0}' "$TMP/versions-all.log" 2>/dev/null || echo 0)"
DISTINCT_VERSIONS="$(sort -u "$TMP/versions-all.log" 2>/dev/null | grep -c . || true)"

echo
echo "Test de charge : $CONNECTIONS connexions, $THREADS threads wrk, $DURATION par passe, $BASE"
echo "Serveur : $BIN (--watch : $WATCH) ; wrk et le serveur partagent les $(nproc) cœurs de la machine"
echo "(charge moyenne au départ et à la fin : $LOAD0 / $(cut -d' ' -f1-3 /proc/loadavg))."
echo
printf '%-36s %10s %9s %9s %8s %8s %9s %10s\n' "passe" "req/s" "p50 (ms)" "p99 (ms)" "err. soc" "non-2xx" "distinct." "cache max"
printf '%-36s %10s %9s %9s %8s %8s %9s %10s\n' "-----" "-----" "--------" "--------" "--------" "-------" "---------" "---------"
for n in "${PASSES[@]}"; do
  case $n in
    recherche) label="/recherche (cached, réécritures)" ;;
    api) label="/api/dispositifs (cached, réécr.)" ;;
    recherche-sans-cache) label="/recherche (sans-cache)" ;;
    api-sans-cache) label="/api/dispositifs (sans-cache)" ;;
    healthz) label="/healthz" ;;
  esac
  if [ "$n" = "healthz" ]; then
    hit="—"
  else
    # Au plus requêtes − adresses distinctes × versions de données servies.
    hit="$(awk -v r="${REQS[$n]}" -v d="${DISTINCT[$n]}" -v v="${VERSIONS[$n]}" 'BEGIN {
      h = r - d * v; if (h < 0) h = 0; printf "%.4f", (r > 0 ? int(h / r * 10000) / 10000 : 0) }')"
  fi
  printf '%-36s %10s %9s %9s %8s %8s %9s %10s\n' "$label" "${RPS[$n]}" "${P50[$n]}" "${P99[$n]}" \
    "${SOCK[$n]}" "${NON2XX[$n]}" "${DISTINCT[$n]}" "$hit"
done
echo
for n in "${PASSES[@]}"; do echo "  $n : ${REQS[$n]} requêtes ; ${DETAIL[$n]}"; done
echo
echo "« cache max » : taux de succès maximal du cache de réponses, calculé (le serveur ne"
echo "compte rien) : au plus requêtes − adresses distinctes × versions de données servies"
echo "pendant la passe, sur le nombre de requêtes ; le cache borné (4 096 entrées) peut"
echo "répondre moins souvent encore. Sans-cache : aucune adresse ne revient, donc 0."
echo
ratio() { awk -v a="${RPS[$1]:-0}" -v t="${RPS[healthz]}" 'BEGIN { printf "%.3f", a / t }'; }
for n in "${PASSES[@]}"; do
  [ "$n" = "healthz" ] && continue
  case $n in
    recherche-sans-cache) target=" (objectif ≥ 0,20)" ;;
    api-sans-cache) target=" (objectif ≥ 0,30)" ;;
    *) target="" ;;
  esac
  printf 'ratio débit %-22s ÷ /healthz : %s%s\n' "$n" "$(ratio "$n")" "$target"
done
if [ -s "$TMP/versions-all.log" ]; then
  echo "réécritures de sac-ados.json pendant les passes « cached » : $(wc -l <"$TMP/versions-all.log")"
  echo "versions de données vues sur /healthz après chaque réécriture : $DISTINCT_VERSIONS distinctes, $RELOADS changements (avant : ${V0:-?}, après : ${V1:-?})"
fi
if grep -qiE "panic|erreur|error" "$TMP/server.log"; then
  echo "journal du serveur : $(grep -ciE 'panic|erreur|error' "$TMP/server.log") lignes d'erreur, dont :"
  grep -iE "panic|erreur|error" "$TMP/server.log" | head -5 | sed 's/^/  /'
fi
