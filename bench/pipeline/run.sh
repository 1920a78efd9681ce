#!/usr/bin/env bash
# The full pipeline against a local fixture site of N pages (default 2,000), politeness off:
# documents stored per second and the worker's peak memory. Needs a release build and a
# PostgreSQL as `govgraph up` finds it; uses its own database `govgraph_pipeline_bench`.
#
#   cargo build --release && bench/pipeline/run.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-2000}
port=18700
site=$(mktemp -d)
python3 bench/pipeline/make_site.py "$site" "$n" "http://127.0.0.1:$port" >/dev/null
(cd "$site" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$site"' EXIT
sleep 1
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS govgraph_pipeline_bench" -c "CREATE DATABASE govgraph_pipeline_bench" >/dev/null
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/govgraph_pipeline_bench
export GOVGRAPH_ALLOW_PRIVATE_HOSTS=1 GOVGRAPH_FETCH_DELAY_MS=0 RUST_LOG=warn
./target/release/govgraph migrate >/dev/null
printf '[[source]]\nname = "bench"\nkind = "rss"\nurl = "http://127.0.0.1:%s/feed.xml"\n' "$port" > "$site/sources.toml"
/usr/bin/time -v ./target/release/govgraph harvest --sources "$site/sources.toml" --source bench 2> "$site/time.txt" | tail -1
secs=$(grep "Elapsed (wall clock)" "$site/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
rss=$(grep "Maximum resident set size" "$site/time.txt" | awk '{print $NF}')
stored=$(psql -tA -h 127.0.0.1 -U postgres -d govgraph_pipeline_bench -c "SELECT count(*) FROM documents")
echo "pages: $n, stored: $stored, wall: ${secs}s, documents/s: $(python3 -c "print(round($stored/$secs, 1))"), peak RSS: $((rss / 1024)) MiB"
echo "CPU: user $(grep 'User time' "$site/time.txt" | awk '{print $NF}')s, system $(grep 'System time' "$site/time.txt" | awk '{print $NF}')s"
