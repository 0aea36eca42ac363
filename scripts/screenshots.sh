#!/usr/bin/env bash
# Make the README screenshots of the HTML report and the Excel workbook
# from a run directory.
#
#   scripts/screenshots.sh RUN_DIR [OUT_DIR]     # default OUT_DIR: docs/img
#
# Needs: a built `tiaokuai` (target/release or target/debug), chromium,
# libreoffice (calc) and pdftoppm (poppler-utils):
#   apt-get install -y chromium fonts-noto-cjk libreoffice-calc-nogui poppler-utils
set -euo pipefail

run=${1:?usage: screenshots.sh RUN_DIR [OUT_DIR]}
out=${2:-docs/img}
here=$(cd "$(dirname "$0")" && pwd)
bin=${TIAOKUAI:-}
if [ -z "$bin" ]; then
    # The most recently built binary.
    bin=$(ls -t "$here"/../target/{release,debug}/tiaokuai 2>/dev/null | head -n 1 || true)
fi
[ -n "$bin" ] || { echo "screenshots: build tiaokuai first (cargo build)" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The report: the top of the page (scenario, comparison table, first
# charts), drawn at 60% scale to keep the image small.
"$bin" report "$run" --out "$work/report.html" -q
CHROMIUM_FLAGS=--force-device-scale-factor=0.6 \
    "$here/render-report.sh" "$work/report.html" "$out/report.png" "" 1200x2800

# The workbook: the Summary sheet printed by LibreOffice, cropped.
mkdir -p "$work/xlsx"
cp -r "$run"/. "$work/xlsx/"
rm -f "$work/xlsx/results.xlsx"
"$bin" report "$work/xlsx" --xlsx --out "$work/xlsx/r.html" -q
soffice --headless --convert-to pdf --outdir "$work" "$work/xlsx/results.xlsx" >/dev/null 2>&1
pdftoppm -r 130 -png -f 1 -l 1 -x 60 -y 80 -W 1300 -H 400 "$work/results.pdf" "$work/workbook"
mv "$work"/workbook*.png "$out/workbook.png"
ls -l "$out/report.png" "$out/workbook.png"
