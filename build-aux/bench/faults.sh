#!/usr/bin/env bash
# faults.sh — delivery under faults, with the nginx sink of ../shared/bench.
#  1. FAULT_PERCENT=10 (10 % 503 and 10 % 429, Retry-After: 1): a 20,000-recipient
#     webhook job completes with every message delivered exactly once (count.sh).
#  2. SIGKILL `outreach jobs run` at 10 random moments during a 20,000-recipient
#     job, resuming after each: no X-Message-Id accepted twice,
#     sent + failed + uncertain + skipped + cancelled = total, and each kill
#     leaves at most concurrency + claim batch (16 + 256) uncertain.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${OUTREACH_BUILD_DIR:-$top/_build}"
outreach="$build/src/outreach"
kit="${OUTREACH_SHARED_DIR:-$top/../shared}/bench"
port="${FAULTS_PORT:-18182}"
n="${FAULTS_N:-20000}"
kills="${FAULTS_KILLS:-10}"
conc=16
batch=256
work="$(mktemp -d /tmp/outreach-faults.XXXXXX)"

cleanup() {
  "$kit/sink/stop-sink.sh" "$port" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

[ -x "$outreach" ] || { echo "faults: no binary at $outreach (build first)" >&2; exit 1; }
printf 'Dear {{first_name}},\nthank you for your gift.\n' > "$work/text.mustache"

make_db() {  # DB
  local db=$1
  "$outreach" --db "$db" info >/dev/null
  sqlite3 "$db" <<SQL
BEGIN;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $n)
INSERT INTO donors (first_name, email, created_at, updated_at)
  SELECT 'Donor' || i, 'donor' || i || '@example.org', 1, 1 FROM seq;
COMMIT;
SQL
  "$outreach" --db "$db" accounts add Sink --provider webhook --set "url=$SINK_URL" --set concurrency=$conc
  "$outreach" --db "$db" jobs create --name "Faults" --account Sink --all \
    --subject 'Thank you, {{first_name}}' --text "$work/text.mustache"
}

count() {  # UUID → sets unique dups r503 r429
  local c
  c="$("$kit/sink/count.sh" "$SINK_LOG" "$1-")"
  unique=$(awk '/^unique_2xx:/ {print $2}' <<<"$c")
  dups=$(awk '/^duplicates_2xx:/ {print $2}' <<<"$c")
  r503=$(awk '/^503:/ {print $2}' <<<"$c")
  r429=$(awk '/^429:/ {print $2}' <<<"$c")
}

# ---- 1. FAULT_PERCENT=10 ----
eval "$("$kit/sink/start-sink.sh" "$port" 10)"
db="$work/faults.db"
job="$(make_db "$db")"
uuid="$(sqlite3 "$db" "SELECT uuid FROM jobs WHERE id = $job")"
start=$(date +%s.%N)
status=0
"$outreach" --db "$db" jobs run "$job" --keep 0 2>"$work/faults.err" || status=$?
end=$(date +%s.%N)
count "$uuid"
read -r sent total jstatus < <(sqlite3 -separator ' ' "$db" "SELECT sent, total, status FROM jobs WHERE id = $job")
ok1=ok
[ "$status" = 0 ] && [ "$jstatus" = completed ] && [ "$sent" = "$n" ] && [ "$unique" = "$n" ] && [ "$dups" = 0 ] || ok1=short
echo "faults: fault_percent=10 msgs=$n status=$jstatus exit=$status sent=$sent unique_2xx=$unique duplicates_2xx=$dups answered_503=$r503 answered_429=$r429 seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') $ok1"
"$kit/sink/stop-sink.sh" "$port" >/dev/null

# ---- 2. SIGKILL at random moments, resume after each ----
eval "$("$kit/sink/start-sink.sh" "$port")"
db="$work/kills.db"
job="$(make_db "$db")"
uuid="$(sqlite3 "$db" "SELECT uuid FROM jobs WHERE id = $job")"
done_kills=0
worst=0
for k in $(seq "$kills"); do
  before=$(sqlite3 "$db" "SELECT uncertain FROM jobs WHERE id = $job")
  "$outreach" --db "$db" jobs run "$job" --keep 0 2>/dev/null &
  pid=$!
  # a random moment: 50 to 800 ms into the run
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", 0.05 + (r % 750) / 1000 }')"
  if kill -KILL "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || true
    done_kills=$((done_kills + 1))
  else
    wait "$pid" 2>/dev/null || true
    break
  fi
  # recovery happens when the next process looks at the job
  "$outreach" --db "$db" jobs pause "$job" >/dev/null 2>&1 || true
  after=$(sqlite3 "$db" "SELECT uncertain FROM jobs WHERE id = $job")
  added=$((after - before))
  [ "$added" -gt "$worst" ] && worst=$added
done
status=0
"$outreach" --db "$db" jobs run "$job" --keep 0 2>"$work/kills.err" || status=$?
count "$uuid"
read -r total sent failed uncertain skipped cancelled pending jstatus < <(sqlite3 -separator ' ' "$db" \
  "SELECT total, sent, failed, uncertain, skipped, cancelled, pending, status FROM jobs WHERE id = $job")
sum=$((sent + failed + uncertain + skipped + cancelled))
ok2=ok
[ "$dups" = 0 ] && [ "$sum" = "$total" ] && [ "$pending" = 0 ] && [ "$worst" -le $((conc + batch)) ] || ok2=short
echo "faults: kills=$done_kills msgs=$total status=$jstatus sent=$sent failed=$failed uncertain=$uncertain sum=$sum unique_2xx=$unique duplicates_2xx=$dups worst_uncertain_per_kill=$worst limit=$((conc + batch)) $ok2"

verdict=ok
[ "$ok1" = ok ] && [ "$ok2" = ok ] || verdict=short
echo "faults: value=duplicates_$dups target=exactly-once $verdict"
