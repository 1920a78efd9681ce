#!/usr/bin/env bash
# Loading the register of municipalities (GV100AD, 12,597 units of which 10,953 municipalities)
# through govgraph's staged upsert, against a plain COPY of the same rows into an empty table, in
# the same run. Needs a release build and PostgreSQL on 127.0.0.1:5432.
#
#   cargo build --release && bench/catalogue/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
port=18701
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
gunzip -c data/snapshot/gv100ad/GV100AD_30112025.txt.gz > "$work/GV100AD.txt"
(cd "$work" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
sleep 1
db=govgraph_catalogue_bench
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db GOVGRAPH_ALLOW_PRIVATE_HOSTS=1 GOVGRAPH_FETCH_DELAY_MS=0 RUST_LOG=warn
./target/release/govgraph migrate >/dev/null
printf '[[source]]\nname = "gv"\nkind = "gemeindeverzeichnis"\nurl = "http://127.0.0.1:%s/GV100AD.txt"\n' "$port" > "$work/sources.toml"
for run in first second; do
  ./target/release/govgraph harvest --sources "$work/sources.toml" --source gv 2>/dev/null | head -1
  psql -tA -h 127.0.0.1 -U postgres -d $db -c \
    "SELECT '$run load: ' || items_seen || ' units in ' || round(extract(epoch FROM finished_at - started_at)::numeric, 2) || ' s = ' || round(items_seen / extract(epoch FROM finished_at - started_at)) || ' rows/s' FROM harvest_runs ORDER BY id DESC LIMIT 1"
done
# the same units as CSV, then a plain COPY into an empty table of the same shape
python3 - "$work/GV100AD.txt" "$work/units.csv" <<'PY'
import csv, json, sys
rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    kind = {"20": "region", "30": "region", "40": "district", "50": "municipal_federation", "60": "municipality"}.get(line[:2])
    if not kind:
        continue
    key = line[10:18].strip() + (line[18:22].strip() if kind == "municipal_federation" else "")
    name = line[22:72].strip()
    rows.append([kind, name, f"{name.lower()}-{key}", line[10:12], key, None, json.dumps({"type": line[122:124]})])
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerows(rows)
print(len(rows), "rows for COPY")
PY
psql -q -h 127.0.0.1 -U postgres -d $db -c "CREATE TABLE plain (kind text, name text, slug text, state text, ags text, ars text, attributes jsonb)"
start=$(date +%s.%N)
psql -q -h 127.0.0.1 -U postgres -d $db -c "\copy plain FROM '$work/units.csv' WITH (FORMAT csv)"
end=$(date +%s.%N)
n=$(psql -tA -h 127.0.0.1 -U postgres -d $db -c "SELECT count(*) FROM plain")
python3 -c "d=$end-$start; print(f'plain COPY: $n rows in {d:.2f} s = {$n/d:.0f} rows/s (includes starting psql)')"
