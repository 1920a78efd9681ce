#!/usr/bin/env bash
# Faceted search latency: one client, one request after the other, on a synthetic graph of
# SCALE x 100,000 announcements (govgraph bench-seed; SCALE=10 is 1,000,000 announcements,
# 120,000 actors, 20,000 agreements, 6,000 services, ~3,000,000 relations).
#
#   bench/search/run.sh                 # needs PostgreSQL on 127.0.0.1:5432 (user postgres), curl
#   REUSE=1 bench/search/run.sh         # keep an already seeded database
#   SCALE=1 N=100 WORDS="Datenschutz" bench/search/run.sh
#   REUSE=1 FILTER='year: 2025' bench/search/run.sh   # each search with this filter
#
# For each word: its share of the announcements (~ when the count is estimated from the sample,
# beyond GOVGRAPH_SEARCH_EXACT_UP_TO matches), then N requests of the page a front end shows
# (20 hits with snippets, the total and five facets) and N of the facets alone; p50/p95/p99 of
# the client's time per request (curl's time_total) after 5 warm-up requests.
set -euo pipefail
cd "$(dirname "$0")/../.."
SCALE=${SCALE:-10}
N=${N:-200}
WORDS=${WORDS:-"Datenschutz Breitband Rahmenvereinbarung Digitalisierung"}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
DB=${DB:-govgraph_search_bench}
URL="$PGURL/$DB"
PORT=${PORT:-8092}
cargo build --release --locked --bin govgraph -p govgraph
if [ "${REUSE:-0}" != 1 ] || ! psql "$PGURL/postgres" -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  psql "$PGURL/postgres" -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  time DATABASE_URL=$URL target/release/govgraph bench-seed --scale "$SCALE" 2>/dev/null
fi
DATABASE_URL=$URL GOVGRAPH_RATE_LIMIT=1000000 RUST_LOG=warn \
  target/release/govgraph serve --bind 127.0.0.1:$PORT >/tmp/govgraph-bench-search.log 2>&1 &
API=$!
trap 'kill $API 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.2; done

FACETS='totalCount countIsEstimate facets { type { value count } state { value count } year { value count } kind { value count } publisher { value count } }'
PAGE="$FACETS edges { snippet node { id ... on Announcement { title publishedDate } } }"
percentiles() { # the times in seconds on stdin -> "p50 p95 p99" in ms
  sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "%.1f %.1f %.1f\n", t[int(NR * 0.50 + 0.5)], t[int(NR * 0.95 + 0.5)], t[int(NR * 0.99 + 0.5)] }'
}
measure() { # body file -> times
  for _ in $(seq 1 5); do curl -s -o /dev/null -H 'content-type: application/json' --data @"$1" http://127.0.0.1:$PORT/graphql; done
  for _ in $(seq 1 "$N"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H 'content-type: application/json' --data @"$1" http://127.0.0.1:$PORT/graphql
  done
}
docs=$(psql "$URL" -Atc "SELECT count(*) FROM search_documents")
echo "announcements: $docs; $N requests per row, one client"
echo
printf "| word | matches (~: estimated) | share | page (20 hits, snippets, 5 facets) p50 / p95 / p99 ms | facets only p50 / p95 / p99 ms |\n|---|---|---|---|---|\n"
for w in $WORDS; do
  page=$(mktemp --suffix .json)
  facets=$(mktemp --suffix .json)
  printf '{"query": "{ search(query: \\"%s\\", first: 20%s) { %s } }"}' "$w" "${FILTER:+, filter: { $FILTER \}}" "$PAGE" >"$page"
  printf '{"query": "{ search(query: \\"%s\\"%s) { %s } }"}' "$w" "${FILTER:+, filter: { $FILTER \}}" "$FACETS" >"$facets"
  answer=$(curl -s -H 'content-type: application/json' --data @"$page" http://127.0.0.1:$PORT/graphql)
  grep -q '"data":{"search"' <<<"$answer" || { echo "$w does not answer: $answer"; exit 1; }
  total=$(grep -o '"totalCount":[0-9]*' <<<"$answer" | cut -d: -f2)
  grep -q '"countIsEstimate":true' <<<"$answer" && total="~$total"
  share=$(awk -v a="${total#\~}" -v b="$docs" 'BEGIN { printf "%.1f%%", 100 * a / b }')
  read -r p50 p95 p99 < <(measure "$page" | percentiles)
  read -r f50 f95 f99 < <(measure "$facets" | percentiles)
  printf "| %s | %s | %s | %s / %s / %s | %s / %s / %s |\n" "$w" "$total" "$share" "$p50" "$p95" "$p99" "$f50" "$f95" "$f99"
  rm -f "$page" "$facets"
done
