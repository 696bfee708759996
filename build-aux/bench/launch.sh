#!/usr/bin/env bash
# launch — from process start to the main window's first painted frame, with
# 100,000 finished jobs in the store (history_keep = 0, so none are purged).
#
# The clock starts in this script just before the process is started and
# stops at the frame clock's first after-paint with the Jobs page shown
# (OUTREACH_BENCH_FIRST_FRAME, see outreach-jobs-page.c). Warm: one run
# first, then the median and best of 5. Target: under 500 ms.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${OUTREACH_BUILD_DIR:-$top/_build}"
n="${LAUNCH_BENCH_JOBS:-100000}"
target_ms=500

if [ -z "${OUTREACH_BENCH_INNER:-}" ]; then
  OUTREACH_BENCH_INNER=1 exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$0" "$@"
fi

work="$build/bench/launch"
db="$work/jobs-$n.db"
mkdir -p "$work"
if [ ! -f "$db" ]; then
  echo "launch: generating $n finished jobs (once)…" >&2
  rm -f "$db.tmp"
  "$build/src/outreach" --db "$db.tmp" info > /dev/null
  sqlite3 -bail "$db.tmp" <<SQL
UPDATE settings SET value = '0' WHERE key = 'history_keep';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n)
INSERT INTO jobs (uuid, name, kind, status, account_id, total, sent, failed, created_at,
                  started_at, updated_at, finished_at)
  SELECT printf ('%08x-0000-4000-8000-%012x', i, i),
         printf ('%s appeal %d', CASE i % 4 WHEN 0 THEN 'Spring' WHEN 1 THEN 'Summer'
                                 WHEN 2 THEN 'Autumn' ELSE 'Winter' END, i),
         'send', CASE WHEN i % 50 = 0 THEN 'failed' WHEN i % 20 = 0 THEN 'cancelled'
                      ELSE 'completed' END, 1,
         500, 500 - i % 7, i % 7,
         1600000000 + i * 600, 1600000000 + i * 600 + 5, 1600000000 + i * 600 + 300,
         1600000000 + i * 600 + 300
  FROM n;
VACUUM;
SQL
  mv "$db.tmp" "$db"
fi
[ -n "${LAUNCH_BENCH_ONLY_DB:-}" ] && exit 0

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory GTK_A11Y=none NO_AT_BRIDGE=1
export XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache"
export OUTREACH_BENCH_FIRST_FRAME=1

run_once() {
  local start out frame
  cp "$db" "$scratch/outreach.db"
  start=$(date +%s%6N)
  out=$(OUTREACH_DB="$scratch/outreach.db" "$build/src/outreach" 2>/dev/null)
  frame=$(echo "$out" | sed -n 's/^first_frame_realtime_us=//p')
  rss=$(echo "$out" | sed -n 's/^peak_rss_kib=//p')
  [ -n "$frame" ] || { echo "launch: the app printed no first frame" >&2; exit 3; }
  echo $(( (frame - start) / 1000 )) "$rss"
}

run_once > /dev/null   # warm: binary, libraries and the database in the page cache
times=() rss_max=0
for i in 1 2 3 4 5; do
  read -r ms rss < <(run_once)
  times+=("$ms")
  [ "$rss" -gt "$rss_max" ] && rss_max=$rss
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[2]} best=${sorted[0]}
echo "launch: jobs=$n runs_ms=$(IFS=,; echo "${times[*]}") median_ms=$median best_ms=$best peak_rss_mib=$(( rss_max / 1024 ))"
verdict=short; [ "$median" -lt "$target_ms" ] && verdict=ok
echo "launch: value=$median target<$target_ms $verdict"
