#!/bin/sh
# Calibrate real China and refresh what the project ships from it:
#   scenarios/china-calibrated.toml      the posterior medians written back
#   data/calibration/china/*.csv, .json  the run's small tables
#   data/calibration/china/holdout-2021/ the out-of-sample check: fit to
#                                        2015-2020, predict the 2021 rows
# then `BLESS=1 cargo test --release --test validation_doc` regenerates the
# tables of docs/validation.md (and the 2019 ranking) from those files.
# Both calibrations are deterministic by seed (run.seed of china-real.toml).
# Usage: scripts/calibrate-china.sh [OUT]   (default outputs/china-calibration)
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/tiaokuai}
OUT=${1:-outputs/china-calibration}
RUN="--particles 500 --generations 8 --force"
mkdir -p "$OUT"
"$BIN" calibrate scenarios/china-real.toml --targets data/targets/china.csv \
    $RUN --out "$OUT/all"
# Held out in time: the rows observing 2021 (column 4 is the year).
awk -F, '/^#/ {next} /^kind,/ || $4 != "2021"' data/targets/china.csv > "$OUT/china-to-2020.csv"
awk -F, '/^#/ {next} /^kind,/ || $4 == "2021"' data/targets/china.csv > "$OUT/china-2021.csv"
"$BIN" calibrate scenarios/china-real.toml --targets "$OUT/china-to-2020.csv" \
    --holdout "$OUT/china-2021.csv" $RUN --out "$OUT/holdout-2021"
DEST=data/calibration/china
mkdir -p "$DEST/holdout-2021"
cp "$OUT/all/parameters.csv" "$OUT/all/fit.csv" "$OUT/all/schedule.csv" \
    "$OUT/all/manifest.json" "$DEST/"
cp "$OUT/all/generations/gen-000.csv" "$DEST/first-generation.csv"
cp "$OUT/all/generations/gen-008.csv" "$DEST/last-generation.csv"
cp "$OUT/holdout-2021/parameters.csv" "$OUT/holdout-2021/fit.csv" \
    "$OUT/holdout-2021/schedule.csv" "$OUT/holdout-2021/holdout.csv" \
    "$OUT/holdout-2021/manifest.json" "$DEST/holdout-2021/"
sed -e 's/^name = "china-real"$/name = "china-calibrated"/' \
    -e 's/^name_zh = "真实中国"$/name_zh = "真实中国（校准）"/' \
    "$OUT/all/calibrated.toml" > scenarios/china-calibrated.toml
echo "refreshed scenarios/china-calibrated.toml and $DEST"
