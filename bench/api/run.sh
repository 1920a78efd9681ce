#!/usr/bin/env bash
# Load benchmark of the GraphQL API against a hand-written ceiling (api/examples/ceiling.rs) that
# runs the same SQL without GraphQL, on a synthetic graph (govgraph bench-seed: 100,000
# announcements, 12,000 actors, 2,000 agreements, 600 services, ~300,000 relations).
#
#   bench/api/run.sh            # needs PostgreSQL on 127.0.0.1:5432 (user postgres) and wrk
#   REUSE=1 QUERIES="walk" bench/api/run.sh   # keep the seeded database, some queries only
#
# Each query: 50 connections, 2 threads, DURATION seconds (default 20), requests/s and p50/p99.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-20}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
DB=govgraph_bench
URL="$PGURL/$DB"
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
cargo build --release --locked --bin govgraph -p govgraph
cargo build --release --locked -p govgraph-api --example ceiling
if [ "${REUSE:-0}" != 1 ] || ! psql "$PGURL/postgres" -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  psql "$PGURL/postgres" -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  DATABASE_URL=$URL target/release/govgraph bench-seed 2>/dev/null
fi

DATABASE_URL=$URL GOVGRAPH_RATE_LIMIT=1000000 GOVGRAPH_DB_POOL_SIZE=16 RUST_LOG=warn \
  target/release/govgraph serve --bind 127.0.0.1:8090 >/tmp/govgraph-bench-api.log 2>&1 &
API=$!
DATABASE_URL=$URL target/release/examples/ceiling 127.0.0.1:8091 >/tmp/govgraph-bench-ceiling.log 2>&1 &
CEILING=$!
trap 'kill $API $CEILING 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:8090/healthz >/dev/null && curl -sf "http://127.0.0.1:8091/search?q=x" >/dev/null && break; sleep 0.2; done

# two synthetic actors two hops apart (party to the same agreement)
read -r FROM TO < <(psql "$URL" -At -F ' ' -c "SELECT a.slug, b.slug FROM relations r1 JOIN relations r2 ON r2.object_id = r1.object_id AND r2.subject_id <> r1.subject_id AND r2.predicate = 'party_to' JOIN actors a ON a.id = r1.subject_id JOIN actors b ON b.id = r2.subject_id WHERE r1.predicate = 'party_to' LIMIT 1")

# an agreement of the synthetic graph for the walk: its ~80 parties, their agreements and bodies
DEAL=$(psql "$URL" -Atc "SELECT slug FROM agreements WHERE slug LIKE 'synthetic-agreement-%' ORDER BY id LIMIT 1")

declare -A GQL=(
  [announcements]='{ announcements(first: 20, filter: { state: SN }) { edges { node { id title publishedAt states { code } } } } }'
  [nested]='{ actors(first: 20, filter: { state: SN }) { edges { node { name relations(first: 10) { nodes { predicate object { ... on Actor { name } ... on Agreement { name } ... on Project { name } ... on Service { name } ... on State { name } } evidence { sentence announcementTitle } } } } } } }'
  [search]='{ search(query: \"Digitalisierung Kommunen\", first: 10, filter: { types: [ANNOUNCEMENT] }) { edges { snippet node { ... on Announcement { title } } } } }'
  [paths]="{ paths(fromSlug: \\\"$FROM\\\", toSlug: \\\"$TO\\\", maxHops: 3) { hops { predicate evidence { sentence } } } }"
  [walk]="{ agreement(slug: \\\"$DEAL\\\") { name date parties(first: 10) { nodes { subject { ... on Actor { name state { code } agreements(first: 5) { nodes { object { ... on Agreement { name date } } } } bodies(first: 5) { nodes { object { ... on Actor { name } } role } } } } } } signatories(first: 10) { nodes { subject { ... on Actor { name } } title evidence { sentence announcement { title url } } } } } }"
)
declare -A CEIL=(
  [announcements]='/announcements?state=SN'
  [nested]='/nested?state=SN'
  [search]="/search?q=Digitalisierung%20Kommunen"
  [paths]="/paths?from=$FROM&to=$TO"
  [walk]="/walk?q=$DEAL"
)
run() { # url [lua]
  local out
  if [ -n "${2:-}" ]; then out=$(wrk -t2 -c50 -d"${DURATION}s" --timeout 10s --latency -s "$2" "$1"); else out=$(wrk -t2 -c50 -d"${DURATION}s" --timeout 10s --latency "$1"); fi
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "$rps $p50 $p99 ${errors:-0}"
}
printf "| query | GraphQL req/s | p50 | p99 | ceiling req/s | p50 | p99 | GraphQL / ceiling |\n|---|---|---|---|---|---|---|---|\n"
for q in ${QUERIES:-announcements nested search paths walk}; do
  body=$(mktemp --suffix .json)
  lua=$(mktemp --suffix .lua)
  printf '{"query": "%s"}' "${GQL[$q]}" >"$body"
  printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nlocal f = io.open("%s")\nwrk.body = f:read("*a")\nf:close()\n' "$body" >"$lua"
  # a check that the query answers data
  curl -sf -H 'content-type: application/json' --data @"$body" http://127.0.0.1:8090/graphql | grep -q '"data":{' || { echo "$q does not answer"; exit 1; }
  read -r g_rps g50 g99 gerr < <(run http://127.0.0.1:8090/graphql "$lua")
  read -r c_rps c50 c99 cerr < <(run "http://127.0.0.1:8091${CEIL[$q]}")
  ratio=$(awk -v a="$g_rps" -v b="$c_rps" 'BEGIN { printf "%.2f", a / b }')
  printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n" "$q" "$g_rps" "$g50" "$g99" "$c_rps" "$c50" "$c99" "$ratio"
  [ "$gerr" = "0" ] || echo "($q: $gerr non-2xx answers from GraphQL)"
  rm -f "$lua" "$body"
done
echo
echo "API process memory after the runs: $(ps -o rss= -p $API | awk '{printf "%.0f MiB", $1/1024}')"
