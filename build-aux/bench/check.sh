#!/usr/bin/env bash
# check — the pre-launch template check against one million donors.
#
# The donors come from ../shared/testdata/gen-donors.py (1,000,000 rows,
# seed 1), inserted with plain SQL into a database made by `outreach info`;
# it is kept in the build directory for the next run. The figure is the
# median of 5 checks (wall clock; median_cpu_ms is the CPU time of all its
# threads, which a busy shared machine does not inflate). Target: under 1 s.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${OUTREACH_BUILD_DIR:-$top/_build}"
shared="${OUTREACH_SHARED_DIR:-$top/../shared}"
n="${CHECK_BENCH_DONORS:-1000000}"
target_ms=1000

helper="$build/tests/bench/outreach-check-bench"
[ -x "$helper" ] || { echo "check: $helper is missing; build with tests enabled" >&2; exit 3; }

work="$build/bench/check"
db="$work/donors-$n.db"
mkdir -p "$work"
if [ ! -f "$db" ]; then
  echo "check: generating $n donors (once)…" >&2
  rm -f "$db.tmp" "$work/donors.csv"
  python3 "$shared/testdata/gen-donors.py" "$n" --seed 1 > "$work/donors.csv"
  "$build/src/outreach" --db "$db.tmp" info > /dev/null
  sqlite3 -bail "$db.tmp" <<SQL
.mode csv
.import '$work/donors.csv' raw
INSERT INTO donors (external_id, first_name, last_name, email, street, city, last_gift_amount,
                    last_gift_date, tags, do_not_contact, created_at, updated_at)
  SELECT c1, c2, c3, c4, c5, c6, CAST (round (c7 * 100) AS INTEGER), c8, c9, c10 = 'yes',
         unixepoch (), unixepoch ()
  FROM (SELECT "donor_id" AS c1, "first_name" AS c2, "last_name" AS c3, "email" AS c4,
               "street" AS c5, "city" AS c6, "last_gift_amount" AS c7, "last_gift_date" AS c8,
               "tags" AS c9, "do_not_email" AS c10 FROM raw);
DROP TABLE raw;
UPDATE settings SET value = 'Friends of the River' WHERE key = 'org_name';
UPDATE settings SET value = 'https://example.org/u?d={{donor_id}}' WHERE key = 'unsubscribe_url';
VACUUM;
SQL
  rm -f "$work/donors.csv"
  mv "$db.tmp" "$db"
fi

line=$("$helper" "$db" 5)
echo "$line"
median=$(echo "$line" | sed -n 's/.* median_ms=\([0-9]*\).*/\1/p')
if [ "$median" -lt "$target_ms" ]; then verdict=ok; else verdict=short; fi
echo "check: value=${median}ms target<${target_ms}ms $verdict"
