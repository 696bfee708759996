#!/usr/bin/env bash
# render — Outreach's Mustache renderer against mustache.js, in the same run.
#
# Renders ../shared/bench/template/thank-you.mustache with donor.json one
# million times with each (compile once; every render changes first_name
# and HTML-escapes {{x}}, as mustache-js-bench.js does), 5 runs each,
# alternating, best of 5 (a run is half a second, and on this shared
# machine one run in three is slowed by others' work). Two figures per
# renderer: wall-clock rate, and rate per CPU second the process used. The verdict uses the CPU rates:
# this machine's 2 cores are shared, and the load changes from one second
# to the next, so wall-clock rates measured seconds apart do not compare.
# The reference script is run unchanged; for its CPU figure a preload
# makes its clock (process.hrtime) count the process's CPU time.
# mustache.js 4.2.0 is installed with npm into a cache directory outside
# the repository the first time.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${OUTREACH_BUILD_DIR:-$top/_build}"
shared="${OUTREACH_SHARED_DIR:-$top/../shared}"
kit="$shared/bench/template"
n="${RENDER_BENCH_N:-1000000}"
runs=5
target=10

helper="$build/tests/bench/outreach-render-bench"
[ -x "$helper" ] || { echo "render: $helper is missing; build with tests enabled" >&2; exit 3; }

cache="${XDG_CACHE_HOME:-$HOME/.cache}/outreach-bench/mustache-js"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  "$helper" "$kit/thank-you.mustache" "$kit/donor.json" "$n" | sed 's/^/render: /'
  echo "render: node and npm are needed for the mustache.js reference" >&2
  echo "render: ratio=unknown target>=$target short"
  exit 0
fi
if [ ! -f "$cache/node_modules/mustache/package.json" ]; then
  mkdir -p "$cache"
  npm install --silent --no-audit --no-fund --prefix "$cache" mustache@4.2.0 >/dev/null
fi
cat > "$cache/cpu-clock.js" <<'JS'
// Makes process.hrtime.bigint() count this process's CPU time (user + system).
process.hrtime.bigint = () => { const u = process.cpuUsage(); return BigInt(u.user + u.system) * 1000n; };
JS

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for _ in $(seq $runs); do
  "$helper" "$kit/thank-you.mustache" "$kit/donor.json" "$n" >> "$work/ours"
  start=$(date +%s%N)
  NODE_PATH="$cache/node_modules" node -r "$cache/cpu-clock.js" "$kit/mustache-js-bench.js" "$n" >> "$work/theirs-cpu"
  end=$(date +%s%N)
  awk -v n="$n" -v ns="$((end - start))" 'BEGIN { printf "mustache.js wall: %d renders = %.0f renders/s\n", n, n / (ns / 1e9) }' >> "$work/theirs-wall"
done

best() { sed -n 's/.* = \([0-9]*\) renders\/s.*/\1/p' | sort -n | tail -1; }
ours_wall=$(grep '^outreach:' "$work/ours" | best)
ours_cpu=$(grep '^outreach-cpu:' "$work/ours" | best)
theirs_cpu=$(best < "$work/theirs-cpu")
theirs_wall=$(best < "$work/theirs-wall")

echo "render: outreach_renders_per_s=$ours_wall mustache_js_renders_per_s=$theirs_wall clock=wall renders=$n best_of=$runs"
echo "render: outreach_renders_per_cpu_s=$ours_cpu mustache_js_renders_per_cpu_s=$theirs_cpu clock=cpu renders=$n best_of=$runs"
awk -v a="$ours_wall" -v b="$theirs_wall" 'BEGIN { printf "render: wall_ratio=%.2f\n", a / b }'
awk -v a="$ours_cpu" -v b="$theirs_cpu" -v t="$target" 'BEGIN {
  r = a / b; printf "render: ratio=%.2f target>=%d %s\n", r, t, (r >= t ? "ok" : "short") }'
