-- wrk script: rotates realistic searches, counts non-2xx responses, prints one RESULT line.
--
--   wrk -t2 -c64 -d30s -s scripts/load/rotation.lua http://127.0.0.1:PORT -- /recherche
--   wrk ... -- /api/dispositifs
--   wrk ... -- /healthz          (no query string: the trivial endpoint)

-- URL-encoded query strings, as young people type them (typos, everyday words, filters).
local queries = {
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

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_index", thread_count)
  table.insert(threads, thread)
end

function init(args)
  path = args[1] or "/recherche"
  trivial = (path == "/healthz")
  -- Each thread starts at a different place in the rotation.
  counter = (thread_index or 1) * 7
  non2xx = 0
  s4xx = 0
  s5xx = 0
  other = 0
end

function request()
  if trivial then
    return wrk.format("GET", path)
  end
  counter = counter + 1
  local qs = queries[(counter % #queries) + 1]
  return wrk.format("GET", path .. "?" .. qs)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if status >= 500 then
      s5xx = s5xx + 1
    elseif status >= 400 then
      s4xx = s4xx + 1
    else
      other = other + 1
    end
  end
end

function done(summary, latency, requests)
  local n, n4, n5, no = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    n = n + (t:get("non2xx") or 0)
    n4 = n4 + (t:get("s4xx") or 0)
    n5 = n5 + (t:get("s5xx") or 0)
    no = no + (t:get("other") or 0)
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "connect=%d read=%d write=%d timeout=%d non2xx=%d s4xx=%d s5xx=%d other=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, n, n4, n5, no))
end
