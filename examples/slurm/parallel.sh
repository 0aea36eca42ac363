#!/bin/bash
# The same sharded sweep on one workstation (or over ssh hosts) with GNU
# parallel: 4 shards, one thread each, then merge.
#
#   bash examples/slurm/parallel.sh [SCENARIO] [SHARDS]
#
# The one-liner it runs:
#   parallel tiaokuai sweep scenarios/uncertainty.toml --shard {}/4 --out outputs/shards/part-{} --threads 1 --resume --quiet ::: 0 1 2 3 \
#     && tiaokuai merge outputs/shards/part-* --out outputs/uncertainty-sweep
# Add `-S host1,host2 --workdir .` to spread the shards over machines that
# share this folder.
set -euo pipefail

SCENARIO=${1:-scenarios/uncertainty.toml}
N=${2:-4}

parallel tiaokuai sweep "$SCENARIO" --shard {}/"$N" --out outputs/shards/part-{} --threads 1 --resume --quiet ::: $(seq 0 $((N - 1))) \
  && tiaokuai merge outputs/shards/part-* --out outputs/uncertainty-sweep
