#!/usr/bin/env bash
# The layers of STYLE.md: src/core has no GTK and includes nothing from src/ui
# or src/cli; src/ui and src/cli never include each other.
set -u
top="${1:?source root}"
status=0

report() { echo "not ok - $1"; echo "$2" | sed 's/^/#   /'; status=1; }

hits=$(grep -rnE '#include *[<"](gtk/|adwaita\.h|gdk/|gtksourceview|webkit)' "$top/src/core" || true)
[ -z "$hits" ] || report "src/core includes GTK" "$hits"

hits=$(grep -rnE '#include *"outreach-(application|window|[a-z-]*-page|[a-z-]*-dialog|[a-z-]*-row)\.h"' "$top/src/core" "$top/src/cli" || true)
[ -z "$hits" ] || report "src/core or src/cli includes a UI header" "$hits"

hits=$(grep -rnE '#include *"outreach-cli[a-z-]*\.h"' "$top/src/core" "$top/src/ui" || true)
[ -z "$hits" ] || report "src/core or src/ui includes a CLI header" "$hits"

hits=$(grep -rnE 'gtk_dep|adw_dep|outreach_ui' "$top/src/core/meson.build" "$top/src/cli/meson.build" || true)
[ -z "$hits" ] || report "src/core or src/cli links GTK or the UI" "$hits"

[ $status -eq 0 ] && echo "ok - layers hold"
exit $status
