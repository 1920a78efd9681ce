#!/usr/bin/env bash
# Latency of the explorer's pages under load: the actor, announcement and search pages of the
# synthetic graph (govgraph bench-seed: 100,000 announcements, 12,000 actors, ...), each page
# type on its own for DURATION seconds with 20 concurrent clients (wrk, 2 threads), cycling
# through 200 different actors, 200 announcements and 12 search words. Prints requests/s and
# p50/p90/p95/p99 per page type.
#
#   bench/explorer/run.sh               # needs PostgreSQL on 127.0.0.1:5432 (user postgres) and wrk
#   REUSE=1 bench/explorer/run.sh       # keep an already seeded database
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-20}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
DB=${DB:-govgraph_explorer_bench}
URL="$PGURL/$DB"
PORT=${PORT:-8093}
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
cargo build --release --locked --bin govgraph -p govgraph
if [ "${REUSE:-0}" != 1 ] || ! psql "$PGURL/postgres" -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  psql "$PGURL/postgres" -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  DATABASE_URL=$URL target/release/govgraph bench-seed 2>/dev/null
fi
DATABASE_URL=$URL GOVGRAPH_RATE_LIMIT=1000000 GOVGRAPH_DB_POOL_SIZE=16 RUST_LOG=warn \
  target/release/govgraph serve --bind 127.0.0.1:$PORT >/tmp/govgraph-bench-explorer.log 2>&1 &
API=$!
trap 'kill $API 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.2; done

work=$(mktemp -d)
# 200 actors with relations, 200 announcements (global ids as the API makes them), 12 words
psql "$URL" -At -c "SELECT '/akteur/' || a.slug FROM actors a WHERE EXISTS (SELECT 1 FROM relations r WHERE r.subject_id = a.id) ORDER BY md5(a.slug) LIMIT 200" >"$work/actor.txt"
psql "$URL" -At -c "SELECT id FROM documents ORDER BY md5(id::text) LIMIT 200" |
  while read -r id; do printf '/meldung/%s\n' "$(printf 'Announcement:%s' "$id" | base64 -w0 | tr '+/' '-_' | tr -d '=')"; done >"$work/announcement.txt"
for w in Digitalisierung Datenschutz Breitband Rahmenvereinbarung Onlinezugangsgesetz Verwaltung Kommunen Cloud Portal Kooperation Schule Register; do
  printf '/suche?q=%s\n' "$w"
done >"$work/search.txt"

cat >"$work/cycle.lua" <<'LUA'
local paths = {}
local i = 0
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  i = math.random(#paths)
end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.1f %.1f %.1f %.1f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.timeout))
end
LUA

printf "| page | req/s | p50 ms | p90 ms | p95 ms | p99 ms | non-2xx | timeouts |\n|---|---|---|---|---|---|---|---|\n"
for page in actor announcement search; do
  first=$(head -n 1 "$work/$page.txt")
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$first")
  [ "$code" = 200 ] || { echo "$page: $first answers $code"; exit 1; }
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$work/cycle.lua" "http://127.0.0.1:$PORT" -- "$work/$page.txt" | grep '^RESULT')
  read -r _ rps p50 p90 p95 p99 status timeouts <<<"$out"
  printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n" "$page" "$rps" "$p50" "$p90" "$p95" "$p99" "$status" "$timeouts"
done
echo
echo "server memory after the runs: $(ps -o rss= -p $API | awk '{printf "%.0f MiB", $1/1024}'); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work"
