-- wrk script: two rotations of realistic searches, counts distinct addresses, prints one
-- RESULT line.
--
--   wrk -t2 -c64 -d30s -s scripts/load/rotation.lua http://127.0.0.1:PORT -- /recherche
--   wrk ... -- /recherche sans-cache      (the cache-proof rotation)
--   wrk ... -- /api/dispositifs [sans-cache]
--   wrk ... -- /healthz                   (no query string: the trivial endpoint)
--
-- « cached » (default): 30 searches in turn, the traffic after a school presentation, that
-- the server's response cache answers after the first time.
-- « sans-cache »: every request a different address. A search of a long list, a random
-- age (or none), a random commune (or none) and a random `par_page` (10 to 40): request x
-- of thread t takes combination (A·(t - 1 + T·x) + B) mod N of the N combinations, A prime
-- to N, so the addresses look random but no two requests of a run share one until N are
-- used. The server adds nothing to count cache hits: the script counts distinct addresses,
-- and hits ≤ requests − distinct addresses (a response cache only answers an address it
-- has already seen with the same data version).
--
-- The script is kept cheap, since wrk shares the machine's cores with the server: no
-- `response()` callback (wrk would copy every body into Lua: a fifth of its CPU on pages),
-- the answers' statuses come from wrk's own count (≥ 400) and from the server's request log
-- (run.sh splits 4xx and 5xx there); the encoded pieces of the addresses are built once and
-- each request is one concatenation.

-- URL-encoded query strings, as young people type them (typos, everyday words, filters).
local cached = {
  "q=servise+civik",
  "q=partir+en+vacances+avec+mes+potes",
  "q=permi",
  "q=aide+pour+le+permis",
  "q=stage+3eme",
  "q=sac+ados",
  "q=bafa",
  "q=job+d%27ete",
  "q=job+d%E2%80%99%C3%A9t%C3%A9",
  "q=erasmuss",
  "q=boursse+colege",
  "q=baffa",
  "q=promen",
  "q=colle",
  "q=trouver+un+taf",
  "q=j%27ai+besoin+de+thune+pour+mes+etudes",
  "q=parler+a+quelqu%27un+ca+va+pas",
  "q=faire+du+sport+pas+cher",
  "q=pass+culture",
  "q=service+civique",
  "q=mission+locale",
  "q=permis+de+conduire&age=17",
  "q=vacances&age=16&commune=Arras",
  "q=stage&age=14&commune=62200",
  "q=sport&commune=Lens",
  "q=argent+pour+partir&age=19&commune=Boulogne-sur-Mer",
  "q=cin%C3%A9ma&age=13&commune=B%C3%A9thune",
  "q=benevolat&age=18&commune=62100",
  "q=aide+financiere&age=20",
  "q=&age=15&commune=Saint-Omer",
}

-- The cache-proof rotation: searches as typed (encoded below), then the filters.
local searches = {
  "servise civik", "partir en vacances avec mes potes", "permi", "aide pour le permis",
  "stage 3eme", "sac ados", "bafa", "job d'ete", "job d’été", "erasmuss", "boursse colege",
  "baffa", "promen", "colle", "trouver un taf", "j'ai besoin de thune pour mes etudes",
  "parler a quelqu'un ca va pas", "faire du sport pas cher", "pass culture",
  "service civique", "mission locale", "permis de conduire", "vacances", "stage",
  "sport", "argent pour partir", "cinéma", "benevolat", "aide financiere", "",
  "logement", "apart pas cher", "trouver un logement etudiant", "aide au loyer",
  "bourse", "bourse lycee", "bourse etudiant", "cantine", "transport gratuit",
  "bus", "carte de transport", "velo", "aide permis moto", "code de la route",
  "apprentissage", "alternance", "contrat d'apprentissage", "formation", "se former",
  "decrocheur", "raccrocher l'ecole", "orientation", "quoi faire apres le bac",
  "parcoursup", "emploi", "premier emploi", "cv", "lettre de motivation", "job",
  "job etudiant", "travailler l'ete", "saisonnier", "baby sitting", "animateur",
  "bafd", "colo", "colonie de vacances", "partir a l'etranger", "europe", "voyage",
  "sejour linguistique", "anglais", "musique", "theatre", "danse", "lecture",
  "bibliotheque", "musee", "concert", "festival", "sport gratuit", "foot", "natation",
  "piscine", "licence sport", "pass sport", "sante", "psy", "depression",
  "j'me sens mal", "harcelement", "harcèlement au collège", "contraception",
  "depistage", "drogue", "alcool", "addiction", "violence", "aide alimentaire",
  "manger", "argent", "garantie jeunes", "contrat engagement jeune", "cej",
  "revenu", "rsa jeune", "engagement", "benevole", "volontariat", "pompier",
  "jeune sapeur pompier", "armee", "snu", "service national universel", "citoyennete",
  "conseil municipal des jeunes", "projet jeune", "financer mon projet", "creer une asso",
  "entreprendre", "creer mon entreprise", "numerique", "ordinateur", "internet",
  "informatique", "code", "handicap", "accessibilite", "mobilite internationale",
  "mobilité", "aide au permis b", "permis a 1 euro", "auto ecole", "conduite accompagnee",
  "brevet", "bac", "université", "etudes superieures", "info jeunes", "point info",
  "mission loc", "ecole de la deuxieme chance", "epide", "garde d'enfant",
  "jeune parent", "enceinte", "ado", "lyceen", "collegien", "etudiant", "apprenti",
  "neet", "sans diplome", "chomage", "france travail", "pole emploi",
}

local ages = { "" }
for a = 11, 30 do ages[#ages + 1] = tostring(a) end

local communes = {
  "", "Arras", "Lens", "62200", "Calais", "Béthune", "Saint-Omer", "Liévin",
  "Boulogne-sur-Mer", "62100", "Berck", "Hénin-Beaumont",
}

local function encode(s)
  return (s:gsub("[^%w%-_%.~ ]", function(c)
    return string.format("%%%02X", string.byte(c))
  end):gsub(" ", "+"))
end

local PER_PAGE_MIN, PER_PAGE_COUNT = 10, 31
-- The encoded pieces, built once.
local enc_searches, enc_ages, enc_communes = {}, {}, {}
for k, v in ipairs(searches) do enc_searches[k] = "q=" .. encode(v) end
for k, v in ipairs(ages) do enc_ages[k] = (v == "") and "" or ("&age=" .. v) end
for k, v in ipairs(communes) do
  enc_communes[k] = (v == "") and "" or ("&commune=" .. encode(v))
end
local N = #searches * #ages * #communes * PER_PAGE_COUNT
local A, B = 7919, 104729

local function cacheproof_query(index)
  local i = index
  local q = enc_searches[(i % #searches) + 1]; i = math.floor(i / #searches)
  local age = enc_ages[(i % #ages) + 1]; i = math.floor(i / #ages)
  local commune = enc_communes[(i % #communes) + 1]; i = math.floor(i / #communes)
  return q .. age .. commune .. "&par_page=" .. (PER_PAGE_MIN + (i % PER_PAGE_COUNT))
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_index", thread_count)
  table.insert(threads, thread)
end

function init(args)
  path = args[1] or "/recherche"
  mode = args[2] or "cached"
  trivial = (path == "/healthz")
  t = thread_index or 1
  -- wrk calls init() right after each setup(), before the next thread exists: the thread
  -- count comes from the environment (run.sh sets it), 2 by default.
  step = tonumber(os.getenv("WRK_THREADS") or "") or 2
  counter = 0
  seen, distinct, sent = {}, 0, 0
  -- wrk.format's request for the path "/\0", cut around the path: every request is then
  -- head .. path .. tail, with the same headers wrk.format writes.
  local sample = wrk.format("GET", "/\0")
  local at = sample:find("/\0", 1, true)
  head, tail = sample:sub(1, at - 1), sample:sub(at + 2)
end

local function remember(key)
  sent = sent + 1
  if not seen[key] then
    seen[key] = true
    distinct = distinct + 1
  end
end

function request()
  if trivial then
    return head .. path .. tail
  end
  local qs
  if mode == "sans-cache" then
    local x = (t - 1) + step * counter
    local index = (A * x + B) % N
    remember(index)
    qs = cacheproof_query(index)
  else
    local i = ((t * 7 + counter) % #cached) + 1
    remember(i)
    qs = cached[i]
  end
  counter = counter + 1
  return head .. path .. "?" .. qs .. tail
end

function done(summary, latency, requests)
  -- done() runs in wrk's main Lua state: init() globals live in the threads.
  local first = threads[1]
  local run_mode = first and first:get("mode") or "cached"
  local run_trivial = first and first:get("trivial") or false
  local built = 0
  local union, distinct_all = {}, 0
  for _, th in ipairs(threads) do
    built = built + (th:get("sent") or 0)
    for key, _ in pairs(th:get("seen") or {}) do
      if not union[key] then
        union[key] = true
        distinct_all = distinct_all + 1
      end
    end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  if run_trivial then built, distinct_all = summary.requests, 1 end
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "connect=%d read=%d write=%d timeout=%d status_errors=%d " ..
    "built=%d distinct=%d combinations=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, e.status,
    built, distinct_all, (run_mode == "sans-cache") and N or #cached))
end
