#!/bin/bash
# Takes a screenshot of an HTML report with headless Chromium, to look at what a reader sees.
#
#   scripts/screenshot_report.sh REPORT.html OUT.png [WIDTH,HEIGHT]
#
# The page must open offline (lopper's reports embed their plots and styles): the browser runs
# with networking features off and a throw-away profile. Needs the Debian package chromium
# (apt-get install -y chromium). Default window 1400,3000; the PNG is cut at that height.
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 REPORT.html OUT.png [WIDTH,HEIGHT]" >&2
  exit 2
fi
report=$(realpath "$1")
out=$(realpath -m "$2")
size=${3:-1400,3000}
[ -f "$report" ] || { echo "error: $1: no such file" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "error: chromium not found (apt-get install -y chromium)" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --user-data-dir="$profile" --screenshot="$out" --window-size="$size" \
  "file://$report" 2>/dev/null
[ -s "$out" ] || { echo "error: no screenshot written to $out" >&2; exit 1; }
echo "$out"
