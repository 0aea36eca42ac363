#!/bin/bash
# The same sharded study on one workstation (or over ssh hosts) with GNU
# parallel: SHARDS shards, one thread each, then merge.
#
#   bash examples/slurm/parallel.sh [SCENARIO] [SHARDS]
#
# Folders follow the scenario, as in sweep-array.sbatch: shards go to
# OUT=outputs/<scenario file name>-<study>-shards/part-I and the merged study
# to MERGED=outputs/<scenario file name>-<study>, where <study> is `sweep`,
# `sobol` or `morris`; set OUT, MERGED or COMMAND (e.g.
# COMMAND="sensitivity --method morris") in the environment to change them.
# For scenarios/uncertainty.toml and 4 shards it runs:
#   parallel tiaokuai sweep scenarios/uncertainty.toml --shard {}/4 --out outputs/uncertainty-sweep-shards/part-{} --threads 1 --resume --quiet ::: 0 1 2 3 \
#     && tiaokuai merge outputs/uncertainty-sweep-shards/part-{0..3} --out outputs/uncertainty-sweep
# Add `-S host1,host2 --workdir .` to spread the shards over machines that
# share this folder.
set -euo pipefail

SCENARIO=${1:-scenarios/uncertainty.toml}
SHARDS=${2:-4}
COMMAND=${COMMAND:-sweep}

case "$COMMAND" in
sweep*) study=sweep ;;
sensitivity*)
    study=$(sed -n 's/.*--method[ =]*\([a-z]*\).*/\1/p' <<<"$COMMAND")
    : "${study:?COMMAND runs sensitivity but names no --method}"
    ;;
*) echo "COMMAND must start with sweep or sensitivity, not: $COMMAND" >&2; exit 2 ;;
esac
OUT=${OUT:-outputs/$(basename "$SCENARIO" .toml)-$study-shards}
MERGED=${MERGED:-outputs/$(basename "$SCENARIO" .toml)-$study}

parts=()
for ((i = 0; i < SHARDS; i++)); do
    parts+=("$OUT/part-$i")
done

# shellcheck disable=SC2086  # COMMAND holds a subcommand and its flags
parallel tiaokuai $COMMAND "$SCENARIO" --shard {}/"$SHARDS" --out "$OUT"/part-{} --threads 1 --resume --quiet ::: $(seq 0 $((SHARDS - 1))) \
    && tiaokuai merge "${parts[@]}" --out "$MERGED"
