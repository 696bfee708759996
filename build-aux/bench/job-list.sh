#!/usr/bin/env bash
# job-list — the Jobs page's list on 100,000 jobs: opening it, the status
# counters, a filter, a search, a sort by name, the last page (scrolling to
# the bottom) and a live refresh, each the best of 5 (helper:
# tests/bench/outreach-job-list-bench.c, on the same lazy model the page
# uses). The store is the one launch.sh makes. Target: every operation
# under 100 ms, so the list never stalls a frame for long.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${OUTREACH_BUILD_DIR:-$top/_build}"
n="${LAUNCH_BENCH_JOBS:-100000}"
target_ms=100

helper="$build/tests/bench/outreach-job-list-bench"
[ -x "$helper" ] || { echo "job-list: $helper is missing; build with tests enabled" >&2; exit 3; }
db="$build/bench/launch/jobs-$n.db"
if [ ! -f "$db" ]; then
  echo "job-list: making the store with launch.sh's generator…" >&2
  LAUNCH_BENCH_ONLY_DB=1 "$top/build-aux/bench/launch.sh" >/dev/null
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp "$db" "$scratch/outreach.db"
line=$("$helper" "$scratch/outreach.db")
echo "job-list: $line"
worst=$(echo "$line" | tr ' ' '\n' | sed -n 's/^[a-z_]*_ms=//p' | sort -n | tail -1)
worst_int=${worst%.*}
verdict=short; [ "$worst_int" -lt "$target_ms" ] && verdict=ok
echo "job-list: value=$worst target<$target_ms $verdict"
