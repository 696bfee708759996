#!/usr/bin/env bash
# tests/fuzz/run.sh TARGET [SECONDS] — build a libFuzzer target with clang and run it
#
# Called by `build-aux/dev fuzz TARGET [SECONDS]` (default 60 s). The build,
# the growing corpus and any crash input live in $OUTREACH_BUILD_DIR/fuzz/TARGET.
# A crash input must become a test: copy it into tests/data/template-fuzz/
# (test-template replays every file there).
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${OUTREACH_BUILD_DIR:-$top/_build}"
target="${1:?usage: run.sh TARGET [SECONDS]}"
seconds="${2:-60}"

case "$target" in
  templates)
    sources=("$top/tests/fuzz/fuzz-templates.c" "$top/src/core/outreach-template.c")
    seeds=("$top"/tests/data/mustache-spec/*.json)
    ;;
  *)
    echo "fuzz: no target named '$target' (known: templates)" >&2
    exit 2
    ;;
esac

work="$build/fuzz/$target"
mkdir -p "$work/corpus" "$work/crashes"

# The core's config.h, without a meson build in the way.
cat > "$work/config.h" <<CONFIG
#define GETTEXT_PACKAGE "outreach"
#define PACKAGE_VERSION "fuzz"
CONFIG

# Seed the corpus with the spec's templates, one file each.
if [ -z "$(ls -A "$work/corpus")" ]; then
  python3 - "$work/corpus" "${seeds[@]}" <<'PY'
import json, sys, hashlib
out = sys.argv[1]
for path in sys.argv[2:]:
    for test in json.load(open(path))["tests"]:
        data = test["template"].encode()
        partials = test.get("partials", {})
        if partials:
            data += b"\0" + next(iter(partials.values())).encode()
        open(f"{out}/{hashlib.sha1(data).hexdigest()}", "wb").write(data)
PY
fi

clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$work" -I"$top/src/core" -I"$top/tests/fuzz" \
  $(pkg-config --cflags glib-2.0 gio-2.0 json-glib-1.0) \
  -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74 \
  "${sources[@]}" -o "$work/fuzz-$target" \
  $(pkg-config --libs glib-2.0 gio-2.0 json-glib-1.0)

echo "fuzz: running $target for $seconds s (corpus $work/corpus, crashes in $work/crashes)" >&2
cd "$work"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ./"fuzz-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=4096 -artifact_prefix="$work/crashes/" -print_final_stats=1 corpus
