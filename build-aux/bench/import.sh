#!/usr/bin/env bash
# import — `outreach donors import` of 1 000 000 donors against the sqlite3
# shell doing the same indexed work, in the same run.
#
# The file is ../shared/testdata/gen-donors.py 1000000 (kept in a cache
# directory). Reference: `.import` into a plain table, then CREATE UNIQUE
# INDEX on the external id and on email COLLATE NOCASE. Outreach parses,
# validates, dedupes and upserts into a fresh database (schema created in
# the same run). Each time is the best of 3 runs; peak RSS is Outreach's
# largest of those runs. Targets: ratio (outreach / sqlite3) <= 1.0 and
# peak RSS <= 150 MB.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${OUTREACH_BUILD_DIR:-$top/_build}"
shared="${OUTREACH_SHARED_DIR:-$top/../shared}"
outreach="$build/src/outreach"
runs=3
n="${IMPORT_BENCH_N:-1000000}"

command -v sqlite3 >/dev/null || { echo "import: the sqlite3 shell is needed" >&2; exit 3; }
[ -x "$outreach" ] || { echo "import: $outreach is missing; build first" >&2; exit 3; }

cache="${XDG_CACHE_HOME:-$HOME/.cache}/outreach-bench"
csv="$cache/donors-$n.csv"
mkdir -p "$cache"
if [ ! -s "$csv" ]; then
  python3 "$shared/testdata/gen-donors.py" "$n" > "$csv.tmp"
  mv "$csv.tmp" "$csv"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Prints "SECONDS MAXRSS_KB CPU_SECONDS" of a command (GNU time).
timed() {
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/err" || {
    cat "$work/err" >&2; return 1; }
  awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$work/time"
}

best_sqlite=""
best_ours=""
cpu_sqlite=""
cpu_ours=""
peak_kb=0
# `sync` before each timed run: neither side then pays for writing back
# the other's 200 MB (an fsync on ext4 can wait for other files' data).
for _ in $(seq $runs); do
  rm -f "$work"/s.db*
  sync
  read -r s _ sc < <(timed sqlite3 "$work/s.db" ".import --csv $csv donors" \
    "CREATE UNIQUE INDEX donors_external_id ON donors (donor_id)" \
    "CREATE UNIQUE INDEX donors_email ON donors (email COLLATE NOCASE)")
  rm -f "$work"/o.db*
  sync
  read -r o kb oc < <(timed "$outreach" --db "$work/o.db" donors import "$csv")
  best_sqlite=$(printf '%s\n%s\n' "${best_sqlite:-$s}" "$s" | sort -g | head -1)
  best_ours=$(printf '%s\n%s\n' "${best_ours:-$o}" "$o" | sort -g | head -1)
  cpu_sqlite=$(printf '%s\n%s\n' "${cpu_sqlite:-$sc}" "$sc" | sort -g | head -1)
  cpu_ours=$(printf '%s\n%s\n' "${cpu_ours:-$oc}" "$oc" | sort -g | head -1)
  [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
done

rows=$(sqlite3 "$work/o.db" "SELECT count(*) FROM donors")
[ "$rows" -eq "$n" ] || { echo "import: only $rows of $n donors imported" >&2; exit 1; }

ratio=$(awk -v a="$best_ours" -v b="$best_sqlite" 'BEGIN { printf "%.2f", a / b }')
rss_mb=$(awk -v k="$peak_kb" 'BEGIN { printf "%.0f", k / 1024 }')
echo "import: rows=$n outreach_s=$best_ours sqlite3_s=$best_sqlite (wall clock, best of $runs)"
echo "import: outreach_cpu_s=$cpu_ours sqlite3_cpu_s=$cpu_sqlite (user+sys, best of $runs; Outreach reads in one thread while it writes in another)"
echo "import: load_average=$(cut -d' ' -f1 /proc/loadavg) (other work on this machine skews wall-clock times)"
echo "import: peak_rss_mb=$rss_mb target<=150 $([ "$rss_mb" -le 150 ] && echo ok || echo short)"
echo "import: ratio=$ratio target<=1.0 $(awk -v r="$ratio" 'BEGIN { print (r <= 1.0) ? "ok" : "short" }')"
