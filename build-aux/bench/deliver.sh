#!/usr/bin/env bash
# deliver.sh — how fast `outreach jobs run` delivers a 20,000-recipient webhook
# job at concurrency 16 (no rate limit) to the nginx sink of ../shared/bench,
# against soup-ceiling (the plainest libsoup sender) measured in the same run.
# Best of 3, each on a fresh database; count.sh checks every X-Message-Id
# arrived exactly once; peak RSS from /usr/bin/time. Then a 1,000,000-recipient
# job must keep its RSS flat (<= 100 MB); DELIVER_SKIP_1M=1 skips that.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${OUTREACH_BUILD_DIR:-$top/_build}"
outreach="$build/src/outreach"
kit="${OUTREACH_SHARED_DIR:-$top/../shared}/bench"
port="${DELIVER_PORT:-18181}"
n="${DELIVER_N:-20000}"
conc=16
work="$(mktemp -d /tmp/outreach-deliver.XXXXXX)"

cleanup() {
  "$kit/sink/stop-sink.sh" "$port" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

[ -x "$outreach" ] || { echo "deliver: no binary at $outreach (build first)" >&2; exit 1; }

eval "$("$kit/sink/start-sink.sh" "$port")"

# soup-ceiling, built from the kit, in this same run and against this same sink
cc -O2 "$kit/soup-ceiling.c" -o "$work/soup-ceiling" $(pkg-config --cflags --libs libsoup-3.0)
cp "$kit/message.json" "$work/"
ceiling_line="$("$work/soup-ceiling" "$SINK_URL" "$n" "$conc" ceiling-)"
ceiling="$(sed -n 's/.*= \([0-9]*\) msgs\/s.*/\1/p' <<<"$ceiling_line")"
echo "deliver: soup_ceiling_msgs_per_s=$ceiling ($ceiling_line)"

# A message about the size of the kit's message.json (~1.5 KB of JSON on the wire).
cp "$kit/template/thank-you.mustache" "$work/text.mustache"
cat > "$work/html.mustache" <<'HTML'
<p>Dear {{first_name}} {{last_name}},</p><p>Thank you for your gift of {{last_gift_amount_formatted}}.
Your support helped families across {{city}}.</p><p><a href="{{{unsubscribe_url}}}">Unsubscribe</a></p>
HTML

make_db() {  # DB N
  local db=$1 count=$2
  "$outreach" --db "$db" info >/dev/null
  sqlite3 "$db" <<SQL
BEGIN;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $count)
INSERT INTO donors (first_name, last_name, email, city, last_gift_amount, last_gift_date, tags, created_at, updated_at)
  SELECT 'Donor' || i, 'Example', 'donor' || i || '@example.org', 'Exampletown', 25000, '2025-08-16', 'bench', 1, 1 FROM seq;
UPDATE settings SET value = 'Friends of the River' WHERE key = 'org_name';
UPDATE settings SET value = 'https://example.org/u?d={{donor_id}}' WHERE key = 'unsubscribe_url';
COMMIT;
SQL
  "$outreach" --db "$db" accounts add Sink --provider webhook --set "url=$SINK_URL" \
    --set from=office@example.org --set from_name=Shelter --set concurrency=$conc --set rate=0
  "$outreach" --db "$db" jobs create --name "Bench $count" --account Sink --all \
    --subject 'Thank you, {{first_name}}!' --text "$work/text.mustache" --html "$work/html.mustache"
}

best=0
best_rss=0
for run in 1 2 3; do
  db="$work/run$run.db"
  job="$(make_db "$db" "$n")"
  uuid="$(sqlite3 "$db" "SELECT uuid FROM jobs WHERE id = $job")"
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/rss$run" "$outreach" --db "$db" jobs run "$job" --keep 0 2>"$work/run$run.err" || {
    echo "deliver: run $run failed:" >&2; tail -3 "$work/run$run.err" >&2; exit 1; }
  end=$(date +%s.%N)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
  rss_kb=$(tail -1 "$work/rss$run")
  counts="$("$kit/sink/count.sh" "$SINK_LOG" "$uuid-")"
  unique=$(awk '/^unique_2xx:/ {print $2}' <<<"$counts")
  dups=$(awk '/^duplicates_2xx:/ {print $2}' <<<"$counts")
  verdict=exactly-once
  [ "$unique" = "$n" ] && [ "$dups" = 0 ] || verdict=WRONG
  echo "deliver: run=$run msgs=$n seconds=$secs msgs_per_s=$rate peak_rss_mb=$((rss_kb / 1024)) unique_2xx=$unique duplicates_2xx=$dups verdict=$verdict"
  [ "$verdict" = exactly-once ] || { echo "deliver: count.sh says not exactly once" >&2; exit 1; }
  if [ "$rate" -gt "$best" ]; then best=$rate; fi
  if [ "$rss_kb" -gt "$best_rss" ]; then best_rss=$rss_kb; fi
  rm -f "$db" "$db-wal" "$db-shm"
done
ratio=$(awk -v a="$best" -v b="$ceiling" 'BEGIN { printf "%.2f", a / b }')
echo "deliver: best_of_3_msgs_per_s=$best soup_ceiling_msgs_per_s=$ceiling peak_rss_mb=$((best_rss / 1024))"

if [ "${DELIVER_SKIP_1M:-0}" != 1 ]; then
  db="$work/million.db"
  job="$(make_db "$db" 1000000)"
  uuid="$(sqlite3 "$db" "SELECT uuid FROM jobs WHERE id = $job")"
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/rss1m" "$outreach" --db "$db" jobs run "$job" --keep 0 2>"$work/run1m.err" || {
    echo "deliver: the 1M run failed:" >&2; tail -3 "$work/run1m.err" >&2; exit 1; }
  end=$(date +%s.%N)
  rss_kb=$(tail -1 "$work/rss1m")
  counts="$("$kit/sink/count.sh" "$SINK_LOG" "$uuid-")"
  unique=$(awk '/^unique_2xx:/ {print $2}' <<<"$counts")
  dups=$(awk '/^duplicates_2xx:/ {print $2}' <<<"$counts")
  flat=ok; [ $((rss_kb / 1024)) -le 100 ] || flat=short
  echo "deliver: million_msgs=1000000 seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') unique_2xx=$unique duplicates_2xx=$dups peak_rss_mb=$((rss_kb / 1024)) target<=100 $flat"
fi

ok=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.8) ? "ok" : "short" }')
echo "deliver: ratio=$ratio target>=0.8 $ok"
