#!/usr/bin/env bash
# Deux répliques derrière nginx, sur cette machine, sous charge (boucle locale uniquement).
#
#   sudo scripts/scale/run.sh        # ≈ 30 s après la compilation
#
# Variables : PORT (38930, nginx ; les répliques prennent PORT+1 et PORT+2), DURATION (20,
#             secondes de charge), CONNECTIONS (32), THREADS (2), SKIP_BUILD=1.
#
# Étapes : compile le binaire release ; copie data/ deux fois (une copie et un index par
# réplique) ; lance deux répliques `referentiel serve --watch` sur 127.0.0.1:PORT+1 et
# PORT+2 ; lance nginx (paquet Debian, installé avec apt-get s'il manque) avec une
# configuration temporaire sur 127.0.0.1:PORT, pas le service du système ; charge nginx avec
# wrk (rotation « sans-cache » de scripts/load/rotation.lua sur /recherche) et, pendant la
# charge :
#   1. modifie les données dans les deux copies et mesure le temps jusqu'à ce que les deux
#      répliques servent la même nouvelle version (/healthz, `version_donnees`) ;
#   2. arrête une réplique (SIGTERM), modifie les données pendant qu'elle est arrêtée, la
#      relance, et vérifie qu'elle revient avec la même version que l'autre ;
#   3. modifie encore les données (la réplique relancée surveille-t-elle toujours ?) et
#      mesure la convergence.
# Succès (code 0) si wrk ne compte aucune erreur de socket ni réponse non-2xx et si chaque
# convergence prend au plus 2 s. Tout est arrêté et supprimé à la sortie.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${PORT:-38930}"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
LIMIT_S="2.0"
LB="http://127.0.0.1:$PORT"

log() { printf '[scale %5.1fs] %s\n' "$(elapsed "$T0")" "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
T0="$(now)"

# --- outils -------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { log "il manque ${missing[*]} : relance en root (apt-get install)"; exit 1; }
  log "installation de ${missing[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # Le paquet peut démarrer le service du système : ce script n'en a pas besoin.
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

for p in "$PORT" $((PORT + 1)) $((PORT + 2)); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    log "le port $p est déjà pris : choisis-en un autre avec PORT=..."
    exit 1
  fi
done

# --- binaire --------------------------------------------------------------------------------
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  log "compilation release"
  (cd "$ROOT" && cargo build --release --bin referentiel)
fi
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/referentiel"
[ -x "$BIN" ] || { log "binaire introuvable : $BIN"; exit 1; }

# --- dossier temporaire et nettoyage ---------------------------------------------------------
TMP="$(mktemp -d -t referentiel-scale.XXXXXX)"
declare -A PID PORTS
PORTS[a]=$((PORT + 1))
PORTS[b]=$((PORT + 2))
NGINX_PID=""
WRK_PID=""

stop() { # pid : SIGTERM, puis SIGKILL après 5 s
  local p="$1"
  [ -n "$p" ] || return 0
  kill "$p" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  stop "$WRK_PID"
  for r in a b; do stop "${PID[$r]:-}"; done
  if [ -n "$NGINX_PID" ]; then
    kill -QUIT "$NGINX_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$NGINX_PID" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] && [ -d "$TMP" ]; then
    for f in "$TMP"/a.log "$TMP"/b.log "$TMP"/nginx/error.log; do
      [ -s "$f" ] && { echo "--- $f" >&2; tail -15 "$f" >&2; }
    done
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Le fichier modifié, et une variante de son `resume` par version.
REL="dispositifs/sac-ados.json"
for r in a b; do cp -r "$ROOT/data" "$TMP/$r-data"; done
ORIG="$TMP/orig.json"
cp "$ROOT/data/$REL" "$ORIG"
variant() { # n -> chemin d'une variante valide
  local out="$TMP/variant-$1.json"
  sed -E "s/^(  \"resume\": \".*)\",\$/\\1 (version $1)\",/" "$ORIG" >"$out"
  cmp -s "$ORIG" "$out" && { log "le motif de \"resume\" n'a pas été trouvé"; exit 1; }
  echo "$out"
}
CHECK="$TMP/check"
cp -r "$ROOT/data" "$CHECK" && cp "$(variant 9)" "$CHECK/$REL"
"$BIN" check --data "$CHECK" >/dev/null 2>&1 || { log "la variante modifiée est invalide"; exit 1; }
rm -rf "$CHECK"

# Écrit la variante n dans les deux copies (renommage atomique, l'une après l'autre).
write_both() {
  local src
  src="$(variant "$1")"
  for r in a b; do
    cp "$src" "$TMP/$r-data/$REL.tmp" && mv -f "$TMP/$r-data/$REL.tmp" "$TMP/$r-data/$REL"
  done
}

# --- répliques --------------------------------------------------------------------------------
start_replica() {
  local r="$1"
  "$BIN" serve --addr "127.0.0.1:${PORTS[$r]}" --data "$TMP/$r-data" --index "$TMP/$r-index" \
    --watch >>"$TMP/$r.log" 2>&1 &
  PID[$r]=$!
}

version_of() {
  curl -fsS --max-time 1 "http://127.0.0.1:${PORTS[$1]}/healthz" 2>/dev/null |
    sed -nE 's/.*"version_donnees":"([^"]*)".*/\1/p'
}

wait_ready() { # réplique -> attend /healthz (30 s au plus)
  for _ in $(seq 300); do
    kill -0 "${PID[$1]}" 2>/dev/null || { log "la réplique $1 s'est arrêtée"; return 1; }
    [ -n "$(version_of "$1")" ] && return 0
    sleep 0.1
  done
  log "la réplique $1 ne répond pas"
  return 1
}

# Attend que les deux répliques servent la même version, différente de « $1 » ; écrit
# « secondes version » ou échoue après 10 s.
converge() {
  local old="$1" start va vb
  start="$(now)"
  for _ in $(seq 500); do
    va="$(version_of a)"
    vb="$(version_of b)"
    if [ -n "$va" ] && [ "$va" = "$vb" ] && [ "$va" != "$old" ]; then
      echo "$(elapsed "$start") $va"
      return 0
    fi
    sleep 0.02
  done
  echo "10+ a=${va:-?} b=${vb:-?}"
  return 1
}

for r in a b; do start_replica "$r"; done
for r in a b; do wait_ready "$r"; done
V0="$(version_of a)"
[ "$V0" = "$(version_of b)" ] || { log "les deux copies ne donnent pas la même version"; exit 1; }
log "répliques prêtes : a sur ${PORTS[a]} (pid ${PID[a]}), b sur ${PORTS[b]} (pid ${PID[b]}), version $V0"

# --- nginx ------------------------------------------------------------------------------------
mkdir -p "$TMP/nginx/tmp"
cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
    log_format scale '\$status \$upstream_addr \$upstream_status';
    access_log $TMP/nginx/access.log scale buffer=256k flush=1s;
    client_body_temp_path $TMP/nginx/tmp;
    proxy_temp_path $TMP/nginx/tmp;
    fastcgi_temp_path $TMP/nginx/tmp;
    uwsgi_temp_path $TMP/nginx/tmp;
    scgi_temp_path $TMP/nginx/tmp;
    # Comme deploy/nginx/referentiel.conf, sans TLS ni cache statique.
    upstream referentiel {
        server 127.0.0.1:${PORTS[a]} max_fails=2 fail_timeout=2s;
        server 127.0.0.1:${PORTS[b]} max_fails=2 fail_timeout=2s;
        keepalive 32;
    }
    server {
        listen 127.0.0.1:$PORT;
        gzip off;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host \$host;
        proxy_connect_timeout 2s;
        proxy_read_timeout 15s;
        proxy_next_upstream error timeout http_502 http_503 http_504;
        proxy_next_upstream_tries 2;
        proxy_next_upstream_timeout 5s;
        proxy_buffers 16 32k;
        proxy_max_temp_file_size 0;
        location / { proxy_pass http://referentiel; }
    }
}
EOF
"$NGINX" -t -q -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" 2>&1 | grep -v "^$" >&2 || true
"$NGINX" -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" &
NGINX_PID=$!
for _ in $(seq 100); do curl -fsS -o /dev/null "$LB/healthz" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "$LB/healthz" || { log "nginx ne répond pas sur $LB"; exit 1; }
log "nginx $("$NGINX" -v 2>&1 | sed 's/.*\///') sur $LB (pid $NGINX_PID)"

# --- charge et événements ---------------------------------------------------------------------
WRK_OUT="$TMP/wrk.txt"
WRK_THREADS="$THREADS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency \
  -s "$ROOT/scripts/load/rotation.lua" "$LB" -- /recherche sans-cache >"$WRK_OUT" 2>&1 &
WRK_PID=$!
log "wrk : $CONNECTIONS connexions, $THREADS threads, ${DURATION} s, /recherche (rotation sans-cache) via nginx"
FAILED=0
declare -a REPORT

sleep 4
log "1. données modifiées dans les deux copies"
write_both 1
if out="$(converge "$V0")"; then :; else FAILED=1; fi
read -r T1 V1 <<<"$out"
log "   convergence : $T1 s, version $V1"
REPORT+=("1. données modifiées dans les deux copies : mêmes données servies après $T1 s (version $V1)")

sleep 3
log "2. arrêt de la réplique b (SIGTERM) pendant la charge"
STOP_START="$(now)"
kill -TERM "${PID[b]}"
wait "${PID[b]}" 2>/dev/null && B_RC=0 || B_RC=$?
STOPPED="$(elapsed "$STOP_START")"
log "   b arrêtée en $STOPPED s (code $B_RC) ; données modifiées pendant l'arrêt"
write_both 2
W2="$(now)"
for _ in $(seq 150); do # b est arrêtée : seule a avance
  va="$(version_of a)"
  [ -n "$va" ] && [ "$va" != "$V1" ] && break
  sleep 0.02
done
A2="$(elapsed "$W2")"
log "   a sert la nouvelle version après $A2 s"
sleep 1
RESTART="$(now)"
start_replica b
wait_ready b || FAILED=1
UP="$(elapsed "$RESTART")"
if out="$(converge "$V1")"; then :; else FAILED=1; fi
read -r T2 V2 <<<"$out"
log "   b relancée et prête en $UP s ; même version que a $T2 s plus tard ($V2)"
REPORT+=("2. réplique b arrêtée (SIGTERM, sortie en $STOPPED s, code $B_RC) ; données modifiées pendant l'arrêt, servies par a après $A2 s ; b relancée : prête en $UP s, même version que a $T2 s après (version $V2)")

sleep 3
log "3. données modifiées à nouveau dans les deux copies"
write_both 3
if out="$(converge "$V2")"; then :; else FAILED=1; fi
read -r T3 V3 <<<"$out"
log "   convergence : $T3 s, version $V3"
REPORT+=("3. données modifiées à nouveau : mêmes données servies après $T3 s (version $V3)")

log "fin de la charge"
wait "$WRK_PID" || true
WRK_PID=""
sleep 1.2 # nginx vide son tampon de journal chaque seconde

# --- résultat ---------------------------------------------------------------------------------
line="$(grep '^RESULT' "$WRK_OUT" | tail -1 || true)"
[ -n "$line" ] || { log "wrk n'a pas produit de résultat"; cat "$WRK_OUT" >&2; exit 1; }
get() { printf '%s\n' "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
SOCKET=$(( $(get connect) + $(get read) + $(get write) + $(get timeout) ))
# Statuses as nginx answered them (first column of its log), and wrk's own count of ≥ 400.
# A 499 is a request whose client left first: wrk closes the connections still waiting
# when its time is up; counted apart, not as an error of the replicas.
read -r LOG4 LOG5 LOGO LEFT <<<"$(awk '{ c = substr($1, 1, 1)
    if ($1 == "499") left++; else if (c == "4") e4++; else if (c == "5") e5++; else if (c != "2") o++ }
  END { printf "%d %d %d %d", e4, e5, o, left }' "$TMP/nginx/access.log")"
NON2XX=$((LOG4 + LOG5 + LOGO))
# Never fewer than wrk's own count of statuses ≥ 400.
[ "$(get status_errors)" -le "$((LOG4 + LOG5))" ] || NON2XX=$(($(get status_errors) + LOGO))
RETRIED="$(grep -c ', ' "$TMP/nginx/access.log" || true)"
UPSTREAM_ERR="$(grep -cE 'upstream|connect\(\) failed' "$TMP/nginx/error.log" || true)"
PER_REPLICA="$(awk '{ split($2, a, ", "); n[a[length(a)]]++ } END { for (k in n) printf "%s : %d  ", k, n[k] }' "$TMP/nginx/access.log")"

for t in "$T1" "$T2" "$T3"; do
  awk -v t="$t" -v l="$LIMIT_S" 'BEGIN { exit !(t + 0 <= l + 0 && t !~ /\+/) }' || FAILED=1
done
[ "$SOCKET" -eq 0 ] && [ "$NON2XX" -eq 0 ] || FAILED=1

echo
echo "Deux répliques derrière nginx (127.0.0.1:$PORT), $CONNECTIONS connexions wrk, ${DURATION} s ;"
echo "wrk, nginx et les deux répliques partagent les $(nproc) cœurs (charge moyenne : $(cut -d' ' -f1-3 /proc/loadavg))."
echo
printf '%s\n' "${REPORT[@]}"
echo
echo "requêtes : $(get requests) en $(get seconds) s ($(get rps) req/s), p50 $(get p50_ms) ms, p99 $(get p99_ms) ms, max $(get max_ms) ms"
echo "erreurs de socket : $SOCKET (connect $(get connect), read $(get read), write $(get write), timeout $(get timeout))"
echo "réponses non-2xx : $NON2XX (journal nginx : 4xx $LOG4, 5xx $LOG5, autres $LOGO ; wrk : $(get status_errors) statuts ≥ 400) ; requêtes abandonnées par wrk à la fin (499) : $LEFT"
echo "requêtes rejouées par nginx sur l'autre réplique : $RETRIED ; lignes d'erreur amont dans le journal nginx : $UPSTREAM_ERR"
echo "réparties (dernière réplique essayée) : $PER_REPLICA"
echo
if [ "$FAILED" -eq 0 ]; then
  echo "OK : 0 erreur, convergence en $LIMIT_S s au plus à chaque modification."
else
  echo "ÉCHEC : erreurs ou convergence trop lente (voir ci-dessus)."
fi
exit "$FAILED"
