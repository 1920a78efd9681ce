#!/usr/bin/env bash
# govgraph against PostGraphile 4.14 (with postgraphile-plugin-connection-filter 2.3, the
# connection-filter plugin for PostGraphile 4) on the same bench database (govgraph bench-seed:
# 100,000 announcements, 12,000 actors, 2,000 agreements, ~300,000 relations), the same queries
# asked the way each schema asks them.
#
#   bench/api/postgraphile.sh           # needs PostgreSQL on 127.0.0.1:5432 (user postgres), wrk, node and npm
#   REUSE=1 bench/api/postgraphile.sh   # keep an already seeded govgraph_bench
#   ROUNDS=3 DURATION=10 QUERIES="walk nested" bench/api/postgraphile.sh
#
# PostGraphile is installed with npm into target/bench-postgraphile (never committed); the few
# SQL functions it needs (search, the undirected relation list) are bench/api/postgraphile.sql,
# applied to the bench database only. Each query: wrk with 50 connections on 2 threads for
# DURATION seconds, against govgraph, then PostGraphile, ROUNDS times alternating; the table
# gives the median requests/s of the rounds and govgraph / PostGraphile.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
QUERIES=${QUERIES:-"announcements nested search walk"}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
DB=govgraph_bench
URL="$PGURL/$DB"
GG=${GG_PORT:-8090}
PG=${PG_PORT:-8093}
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
command -v npm >/dev/null || { echo "node and npm are needed"; exit 1; }
cargo build --release --locked --bin govgraph -p govgraph
if [ "${REUSE:-0}" != 1 ] || ! psql "$PGURL/postgres" -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  psql "$PGURL/postgres" -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  DATABASE_URL=$URL target/release/govgraph bench-seed 2>/dev/null
fi
psql "$URL" -q -f bench/api/postgraphile.sql

NODE_DIR=target/bench-postgraphile
mkdir -p "$NODE_DIR"
if [ ! -x "$NODE_DIR/node_modules/.bin/postgraphile" ]; then
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --silent postgraphile@4.14.1 postgraphile-plugin-connection-filter@2.3.0)
fi
# relation filters for `some`; DESC NULLS LAST as govgraph's index on published_at
printf 'module.exports = { options: { graphileBuildOptions: { connectionFilterRelations: true, orderByNullsLast: true } } };\n' \
  >"$NODE_DIR/.postgraphilerc.js"

DATABASE_URL=$URL GOVGRAPH_RATE_LIMIT=1000000 GOVGRAPH_DB_POOL_SIZE=16 RUST_LOG=warn \
  target/release/govgraph serve --bind 127.0.0.1:$GG >/tmp/govgraph-bench-pg-govgraph.log 2>&1 &
API=$!
(cd "$NODE_DIR" && NODE_ENV=production exec node_modules/.bin/postgraphile -c "$URL" --schema public \
  --host 127.0.0.1 --port $PG --max-pool-size 16 --disable-query-log \
  --append-plugins postgraphile-plugin-connection-filter) >/tmp/govgraph-bench-postgraphile.log 2>&1 &
PGRAPH=$!
trap 'kill $API $PGRAPH 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf http://127.0.0.1:$GG/healthz >/dev/null &&
    curl -sf -H 'content-type: application/json' --data '{"query":"{__typename}"}' http://127.0.0.1:$PG/graphql >/dev/null && break
  sleep 0.3
done

# an agreement of the synthetic graph: its ~80 parties, their agreements and bodies
DEAL=$(psql "$URL" -Atc "SELECT slug FROM agreements WHERE slug LIKE 'synthetic-agreement-%' ORDER BY id LIMIT 1")

declare -A GQL=(
  [announcements]='{ announcements(first: 20, filter: { state: SN }) { edges { node { id title publishedAt states { code } } } } }'
  [nested]='{ actors(first: 20, filter: { state: SN }) { edges { node { name relations(first: 10) { nodes { predicate object { ... on Actor { name } ... on Agreement { name } ... on Project { name } ... on Service { name } ... on State { name } } evidence { sentence announcementTitle } } } } } } }'
  [search]='{ search(query: \"Digitalisierung Kommunen\", first: 10, filter: { types: [ANNOUNCEMENT] }) { edges { snippet node { ... on Announcement { title } } } } }'
  [walk]="{ agreement(slug: \\\"$DEAL\\\") { name date parties(first: 10) { nodes { subject { ... on Actor { name state { code } agreements(first: 5) { nodes { object { ... on Agreement { name date } } } } bodies(first: 5) { nodes { object { ... on Actor { name } } role } } } } } } signatories(first: 10) { nodes { subject { ... on Actor { name } } title evidence { sentence announcement { title url } } } } } }"
)
END='entityByObjectId { actorById { name } agreementById { title } projectById { name } serviceById { name } stateByEntityId { name } }'
declare -A PGQL=(
  [announcements]='{ allDocuments(first: 20, orderBy: [PUBLISHED_AT_DESC, ID_DESC], filter: { duplicateOf: { isNull: true }, deletedAt: { isNull: true }, documentStatesByDocumentId: { some: { stateCode: { equalTo: \"SN\" } } } }) { edges { node { id title publishedAt documentStatesByDocumentId { nodes { stateCode } } } } } }'
  [nested]="{ allActors(first: 20, orderBy: [NAME_ASC, ID_ASC], condition: { stateCode: \\\"SN\\\" }) { edges { node { name relations(first: 10) { nodes { predicate $END evidencesByRelationId { nodes { sentence documentByDocumentId { title } } } } } } } } }"
  [search]='{ searchAnnouncements(q: \"Digitalisierung Kommunen\", first: 10) { edges { node { snippet(q: \"Digitalisierung Kommunen\") title } } } }'
  [walk]="{ agreementBySlug(slug: \\\"$DEAL\\\") { title dateSigned entityById { parties: relationsByObjectId(first: 10, orderBy: [PREDICATE_ASC, ID_ASC], condition: { predicate: \\\"party_to\\\" }, filter: { deletedAt: { isNull: true }, status: { notEqualTo: \\\"rejected\\\" } }) { nodes { entityBySubjectId { actorById { name stateByStateCode { code } entityById { agreements: relationsBySubjectId(first: 5, orderBy: [PREDICATE_ASC, ID_ASC], filter: { predicate: { in: [\\\"party_to\\\", \\\"signed\\\"] }, deletedAt: { isNull: true }, status: { notEqualTo: \\\"rejected\\\" } }) { nodes { entityByObjectId { agreementById { title dateSigned } } } } bodies: relationsBySubjectId(first: 5, orderBy: [PREDICATE_ASC, ID_ASC], condition: { predicate: \\\"member_of\\\" }, filter: { deletedAt: { isNull: true }, status: { notEqualTo: \\\"rejected\\\" } }) { nodes { role entityByObjectId { actorById { name } } } } } } } } } signatories: relationsByObjectId(first: 10, orderBy: [PREDICATE_ASC, ID_ASC], condition: { predicate: \\\"signed\\\" }, filter: { deletedAt: { isNull: true }, status: { notEqualTo: \\\"rejected\\\" } }) { nodes { title entityBySubjectId { actorById { name } } evidencesByRelationId { nodes { sentence documentByDocumentId { title url } } } } } } } }"
)

wrk_lua() { # body file -> lua file
  local lua
  lua=$(mktemp --suffix .lua)
  printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nlocal f = io.open("%s")\nwrk.body = f:read("*a")\nf:close()\n' "$1" >"$lua"
  echo "$lua"
}
run() { # url lua -> "req/s p50 p99 non-2xx"
  local out
  out=$(wrk -t2 -c50 -d"${DURATION}s" --timeout 10s --latency -s "$2" "$1")
  awk '/Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} /Non-2xx/ {err = $5}
       END {printf "%s %s %s %s\n", rps, p50, p99, err ? err : 0}' <<<"$out"
}
median() { tr ' ' '\n' | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo "PostgreSQL: $(psql "$URL" -Atc 'SHOW server_version'), ${ROUNDS} rounds of ${DURATION} s per server and query, 50 connections"
echo
printf "| query | govgraph req/s (rounds) | p50 / p99 | PostGraphile req/s (rounds) | p50 / p99 | govgraph / PostGraphile |\n|---|---|---|---|---|---|\n"
for q in $QUERIES; do
  gbody=$(mktemp --suffix .json)
  pbody=$(mktemp --suffix .json)
  printf '{"query": "%s"}' "${GQL[$q]}" >"$gbody"
  printf '{"query": "%s"}' "${PGQL[$q]}" >"$pbody"
  for side in "$GG $gbody" "$PG $pbody"; do
    read -r port body <<<"$side"
    answer=$(curl -s -H 'content-type: application/json' --data @"$body" http://127.0.0.1:$port/graphql)
    grep -q '"data":{' <<<"$answer" && ! grep -q '"errors"' <<<"$answer" || { echo "$q on :$port: $answer"; exit 1; }
    [ "${SHOW:-0}" = 1 ] && echo "$q on :$port: ${answer:0:600}"
  done
  glua=$(wrk_lua "$gbody")
  plua=$(wrk_lua "$pbody")
  g_all="" p_all="" g_lat="" p_lat=""
  for _ in $(seq 1 "$ROUNDS"); do
    read -r rps p50 p99 err < <(run http://127.0.0.1:$GG/graphql "$glua")
    [ "$err" = 0 ] || echo "($q: $err non-2xx answers from govgraph)"
    g_all="$g_all $rps" g_lat="$p50 / $p99"
    read -r rps p50 p99 err < <(run http://127.0.0.1:$PG/graphql "$plua")
    [ "$err" = 0 ] || echo "($q: $err non-2xx answers from PostGraphile)"
    p_all="$p_all $rps" p_lat="$p50 / $p99"
  done
  g=$(median <<<"${g_all# }")
  p=$(median <<<"${p_all# }")
  ratio=$(awk -v a="$g" -v b="$p" 'BEGIN { printf "%.2f", a / b }')
  printf "| %s | **%s** (%s) | %s | **%s** (%s) | %s | **%s** |\n" "$q" "$g" "${g_all# }" "$g_lat" "$p" "${p_all# }" "$p_lat" "$ratio"
  rm -f "$gbody" "$pbody" "$glua" "$plua"
done
echo
echo "(p50 / p99 of the last round.) Memory after the runs: govgraph $(ps -o rss= -p $API | awk '{printf "%.0f MiB", $1/1024}'), PostGraphile $(ps -o rss= -p $PGRAPH | awk '{printf "%.0f MiB", $1/1024}')"
