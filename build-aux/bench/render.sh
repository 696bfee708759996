#!/usr/bin/env bash
# render — Outreach's Mustache renderer against mustache.js, in the same run.
#
# Renders ../shared/bench/template/thank-you.mustache with donor.json one
# million times with each (compile once; every render changes first_name
# and HTML-escapes {{x}}, as mustache-js-bench.js does). Each figure is the
# best of 3 runs. mustache.js 4.2.0 is installed with npm into a cache
# directory outside the repository the first time.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${OUTREACH_BUILD_DIR:-$top/_build}"
shared="${OUTREACH_SHARED_DIR:-$top/../shared}"
kit="$shared/bench/template"
n="${RENDER_BENCH_N:-1000000}"
runs=3
target=10

helper="$build/tests/bench/outreach-render-bench"
[ -x "$helper" ] || { echo "render: $helper is missing; build with tests enabled" >&2; exit 3; }

best_rate() {  # reads "… = R renders/s …" lines, prints the highest R
  sed -n 's/.* = \([0-9]*\) renders\/s.*/\1/p' | sort -n | tail -1
}

ours=$(for _ in $(seq $runs); do "$helper" "$kit/thank-you.mustache" "$kit/donor.json" "$n"; done | best_rate)

cache="${XDG_CACHE_HOME:-$HOME/.cache}/outreach-bench/mustache-js"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "render: outreach_renders_per_s=$ours (best of $runs, $n renders)"
  echo "render: node and npm are needed for the mustache.js reference" >&2
  echo "render: ratio=unknown target>=$target short"
  exit 0
fi
if [ ! -f "$cache/node_modules/mustache/package.json" ]; then
  mkdir -p "$cache"
  npm install --silent --no-audit --no-fund --prefix "$cache" mustache@4.2.0 >/dev/null
fi
theirs=$(for _ in $(seq $runs); do
  NODE_PATH="$cache/node_modules" node "$kit/mustache-js-bench.js" "$n"
done | best_rate)

echo "render: outreach_renders_per_s=$ours mustache_js_renders_per_s=$theirs renders=$n best_of=$runs"
awk -v a="$ours" -v b="$theirs" -v t="$target" 'BEGIN {
  r = a / b; printf "render: ratio=%.2f target>=%d %s\n", r, t, (r >= t ? "ok" : "short") }'
