#!/usr/bin/env bash
# End-to-end test of examples/slurm/ on a real Slurm scheduler.
#
#   scripts/e2e-slurm.sh            # needs root for apt-get if Slurm is missing
#
# Installs Slurm and MUNGE from Debian packages when they are missing, starts
# a one-node cluster on this machine (slurmctld + slurmd on 127.0.0.1, a
# private munged, no cgroups; everything in a temporary folder, stopped on
# exit), then does what docs/experiments.md tells a user to do:
#
#   export SCENARIO=... SHARDS=4
#   jid=$(sbatch --parsable --array=0-3 examples/slurm/sweep-array.sbatch)
#   sbatch --dependency=afterany:$jid examples/slurm/merge.sbatch
#
# While the array runs it cancels one task part-way and requeues it, and
# checks that `merge --check` reports that shard as unfinished meanwhile.
# The merged files must equal an unsharded `tiaokuai sweep` byte for byte.
# Then it deletes one shard, re-runs that index alone (`--array=2`), merges
# again with FORCE=1 and compares again.
#
# Environment: E2E_SCENARIO (default: scenarios/uncertainty.toml with 192
# design points and 2 replicates, 1,152 runs per sweep), KEEP=1 keeps the
# temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
t0=$(date +%s)
say() { echo "e2e-slurm [$(($(date +%s) - t0)) s]: $*"; }
fail() {
    echo "e2e-slurm: FAILED: $*" >&2
    exit 1
}

need=()
for c in slurmctld slurmd sbatch munged; do
    command -v "$c" >/dev/null 2>&1 || need+=("$c")
done
if ((${#need[@]})); then
    say "installing slurmctld slurmd slurm-client munge (missing: ${need[*]})"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        slurmctld slurmd slurm-client munge >/dev/null
fi

cargo build --release --quiet
# What `cargo install --path .` does: `tiaokuai` on PATH.
export PATH="$repo/target/release:$PATH"

work=$(mktemp -d /tmp/tiaokuai-slurm.XXXXXX)
chmod 700 "$work"
pids=()
cleanup() {
    local rc=$?
    if [ -n "${SLURM_CONF:-}" ]; then
        squeue -h -o %A 2>/dev/null | xargs -r scancel 2>/dev/null || true
        sleep 1
    fi
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    for p in "${pids[@]}"; do
        wait "$p" 2>/dev/null || true
    done
    if ((rc != 0)); then
        for f in "$work"/log/*.log "$work"/study/slurm-*.out; do
            [ -f "$f" ] && { echo "---- $f"; tail -n 30 "$f"; }
        done
    fi
    if [ "${KEEP:-0}" = 1 ]; then
        echo "e2e-slurm: kept $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# --- a private MUNGE daemon -------------------------------------------------
mkdir -p "$work/munge" "$work/log" "$work/spool/ctld" "$work/spool/d"
chmod 711 "$work/munge"
head -c 1024 /dev/urandom >"$work/munge/munge.key"
chmod 400 "$work/munge/munge.key"
munged --foreground --force \
    --key-file="$work/munge/munge.key" --socket="$work/munge/socket" \
    --pid-file="$work/munge/munged.pid" --seed-file="$work/munge/seed" \
    --log-file="$work/log/munged.log" >"$work/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
    [ -S "$work/munge/socket" ] && break
    sleep 0.1
done
[ -S "$work/munge/socket" ] || fail "munged did not start"

# --- a one-node cluster ---------------------------------------------------
# Ports other than Slurm's defaults, so a Slurm already on the machine is
# left alone; 2 CPUs, so the array's 2-CPU tasks run one at a time.
host=$(hostname -s)
base=$((20000 + RANDOM % 20000))
export SLURM_CONF="$work/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=tiaokuai-e2e
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# cred_expire is also how long a requeued job waits before it may start
# again (120 s by default).
AuthInfo=socket=$work/munge/socket,cred_expire=10
StateSaveLocation=$work/spool/ctld
SlurmdSpoolDir=$work/spool/d
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
MinJobAge=600
NodeName=e2e NodeHostname=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=4096 State=UNKNOWN
PartitionName=e2e Nodes=e2e Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -i -f "$SLURM_CONF" >"$work/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N e2e -f "$SLURM_CONF" >"$work/log/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 120); do
    state=$(sinfo -h -n e2e -o %T 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.5
done
[ "$state" = idle ] || fail "the node did not come up (state: '${state:-none}')"
say "cluster up ($(sinfo --version))"

# --- the study, submitted as the docs say ------------------------------------
mkdir -p "$work/study"
cp -r "$repo/examples" "$repo/scenarios" "$repo/frameworks" "$work/study/"
cd "$work/study"
if [ -n "${E2E_SCENARIO:-}" ]; then
    cp "$repo/$E2E_SCENARIO" scenarios/e2e.toml
else
    # 192 points in 4 shards: 48 points per shard, 6 chunks of 8 points (2
    # threads), so a task can be caught between two chunks.
    sed -e 's/^samples = 32 .*/samples = 192/' -e 's/^replicates = 10$/replicates = 2/' \
        scenarios/uncertainty.toml >scenarios/e2e.toml
    if ! grep -q '^samples = 192$' scenarios/e2e.toml || ! grep -q '^replicates = 2$' scenarios/e2e.toml; then
        fail "could not change scenarios/uncertainty.toml"
    fi
fi
export SCENARIO=scenarios/e2e.toml SHARDS=4
OUT=outputs/e2e-sweep-shards
MERGED=outputs/e2e-sweep

job_state() { scontrol -o show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1; }
wait_job() { # job, wanted states (regex), seconds
    local s=""
    for _ in $(seq $(($3 * 2))); do
        s=$(job_state "$1")
        [[ "$s" =~ ^($2)$ ]] && return 0
        sleep 0.5
    done
    fail "job $1 is '$s', expected $2 within $3 s"
}

jid=$(sbatch --parsable --array=0-3 examples/slurm/sweep-array.sbatch)
mid=$(sbatch --parsable --dependency=afterany:"$jid" examples/slurm/merge.sbatch)
say "array $jid and merge $mid submitted"

# Cancel task 1 once it has written some rows, then requeue it.
rows() {
    local n
    n=$({ wc -l <"$1"; } 2>/dev/null) || n=0
    echo "${n:-0}"
}
for _ in $(seq 2400); do
    (($(rows "$OUT/part-1.partial/experiments.csv") > 1)) && break
    [ -f "$OUT/part-1/manifest.json" ] && fail "task 1 finished before it could be cancelled"
    sleep 0.05
done
(($(rows "$OUT/part-1.partial/experiments.csv") > 1)) || fail "task 1 wrote nothing within 120 s"
scancel "${jid}_1"
wait_job "${jid}_1" "CANCELLED" 30
[ -f "$OUT/part-1/manifest.json" ] && fail "task 1 finished before it could be cancelled"
before=$(rows "$OUT/part-1.partial/experiments.csv")
say "task ${jid}_1 cancelled with $((before - 1)) experiments written"
set +e
check=$(tiaokuai merge "$OUT"/part-{0..3} --check 2>&1)
code=$?
set -e
echo "$check"
((code == 1)) || fail "merge --check exited $code while shard 1 was cancelled"
grep -q "shard 1/4  unfinished" <<<"$check" || fail "merge --check does not list shard 1 as unfinished"
[ "$(job_state "$mid")" = PENDING ] || fail "the merge did not wait for the cancelled task"
scontrol requeue "${jid}_1"
say "task ${jid}_1 requeued"

wait_job "$mid" "COMPLETED|FAILED|CANCELLED|TIMEOUT" 900
[ "$(job_state "$mid")" = COMPLETED ] || fail "merge job $mid ended $(job_state "$mid")"
say "merge job done"
log1=$(ls slurm-tiaokuai-sweep-"$jid"_1.out)
grep -q "experiments · .* runs/s" "$log1" || fail "no progress lines in $log1"
(($(grep -c "^shard 1/4 of" "$log1") == 2)) || fail "$log1 does not hold both attempts of task 1"
grep -q "([1-9][0-9]* resumed" "$log1" || fail "task 1 did not resume after the requeue ($log1)"
grep -q "complete: 4 of 4 shards finished" slurm-tiaokuai-merge-"$mid".out || fail "no --check report in the merge log"

say "the same study unsharded"
tiaokuai sweep "$SCENARIO" --out "$work/whole" --quiet
compare() {
    for f in experiments.csv outcomes.csv scenario.toml; do
        cmp "$work/whole/$f" "$MERGED/$f" || fail "$f of the merged study differs from the unsharded run"
    done
    say "merged files equal the unsharded run ($(wc -l <"$MERGED/outcomes.csv") outcome rows)"
}
compare

# One index again, alone: the array spec no longer decides the shard count.
rm -rf "$OUT/part-2" "$MERGED/experiments.csv"
rid=$(sbatch --parsable --array=2 examples/slurm/sweep-array.sbatch)
mid2=$(FORCE=1 sbatch --parsable --dependency=afterany:"$rid" examples/slurm/merge.sbatch)
wait_job "$mid2" "COMPLETED|FAILED|CANCELLED|TIMEOUT" 600
[ "$(job_state "$mid2")" = COMPLETED ] || fail "merge job $mid2 after re-running shard 2 ended $(job_state "$mid2")"
compare

say "passed in $(($(date +%s) - t0)) s"
