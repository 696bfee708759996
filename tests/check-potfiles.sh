#!/usr/bin/env bash
# Fails when a file with translatable strings is missing from po/POTFILES.in
# (or POTFILES.in names a file that is gone).
set -u
top="${1:?source root}"
cd "$top" || exit 1
status=0

listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort -u)
needed=$( {
  grep -rlE '\b(N?_|C_|NC_|g_dngettext|ngettext) *\(' --include='*.c' src
  grep -rl 'translatable="yes"' --include='*.ui' src
  ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null
} | sort -u)

missing=$(comm -13 <(echo "$listed") <(echo "$needed"))
gone=$(for f in $listed; do [ -e "$f" ] || echo "$f"; done)

if [ -n "$missing" ]; then
  echo "not ok - files with translatable strings missing from po/POTFILES.in:"
  echo "$missing" | sed 's/^/#   /'
  status=1
fi
if [ -n "$gone" ]; then
  echo "not ok - po/POTFILES.in lists files that do not exist:"
  echo "$gone" | sed 's/^/#   /'
  status=1
fi
[ $status -eq 0 ] && echo "ok - po/POTFILES.in lists every file with translatable strings"
exit $status
