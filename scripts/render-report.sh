#!/usr/bin/env bash
# Render an HTML report to PNG and PDF with headless Chromium, and fail if
# rendering fails or the page comes out blank.
#
#   scripts/render-report.sh REPORT.html OUT.png [OUT.pdf] [WIDTHxHEIGHT]
#
# Needs Debian's `chromium` (apt-get install -y chromium fonts-noto-cjk).
# A blank 1280x2000 page compresses to a few kilobytes; any real report is
# far larger, so a PNG under MIN_PNG_BYTES (default 20000) counts as blank.
# Extra Chromium flags can be passed in CHROMIUM_FLAGS (e.g.
# --force-device-scale-factor=0.6 for a smaller image of a longer page).
set -euo pipefail

html=${1:?usage: render-report.sh REPORT.html OUT.png [OUT.pdf] [WxH]}
png=${2:?usage: render-report.sh REPORT.html OUT.png [OUT.pdf] [WxH]}
pdf=${3:-}
size=${4:-1280,2000}
size=${size/x/,}
min_png=${MIN_PNG_BYTES:-20000}
chromium=${CHROMIUM:-chromium}

command -v "$chromium" >/dev/null || { echo "render-report: $chromium not found" >&2; exit 1; }
[ -f "$html" ] || { echo "render-report: $html not found" >&2; exit 1; }

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
url="file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --hide-scrollbars --user-data-dir="$profile")
# shellcheck disable=SC2206  # word splitting of the extra flags is wanted
flags+=(${CHROMIUM_FLAGS:-})

rm -f "$png"
"$chromium" "${flags[@]}" --screenshot="$png" --window-size="$size" "$url" 2>/dev/null
[ -s "$png" ] || { echo "render-report: no screenshot written" >&2; exit 1; }
bytes=$(wc -c < "$png")
if [ "$bytes" -lt "$min_png" ]; then
    echo "render-report: $png is only $bytes bytes: the page rendered blank" >&2
    exit 1
fi

if [ -n "$pdf" ]; then
    rm -f "$pdf"
    "$chromium" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$pdf" "$url" 2>/dev/null
    [ -s "$pdf" ] || { echo "render-report: no PDF written" >&2; exit 1; }
    head -c 5 "$pdf" | grep -q '%PDF-' || { echo "render-report: $pdf is not a PDF" >&2; exit 1; }
fi
echo "render-report: $png ($bytes bytes)${pdf:+ and $pdf ($(wc -c < "$pdf") bytes)}"
