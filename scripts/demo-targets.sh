#!/usr/bin/env bash
# Re-simulate data/targets/demo.csv, the observations of the calibration
# example, from the current model: scenarios/calibration-demo.toml with its
# priors dropped and the "true" values trust.initial = 0.5 and
# barriers.unwilling.weight = 0.35 set, 20 replicates, year-end means (and
# the 90% range of the collaboration index) of the status-quo strategy.
# Run it after a model change moves the demo, then re-bless the docs.
# Usage: scripts/demo-targets.sh   (BIN overrides target/release/tiaokuai)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/tiaokuai}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
sed -e '/^\[\[uncertainty\]\]/,$d' scenarios/calibration-demo.toml > $T/s.toml
cat >> $T/s.toml <<'X'

[trust]
initial = 0.5

[barriers.unwilling]
weight = 0.35
X
$BIN run $T/s.toml --replicates 20 --out $T/run -q
python3 - "$T/run/summary.csv" <<'PY'
import csv,sys
rows={(r['metric'],int(r['year'])):r for r in csv.DictReader(open(sys.argv[1])) if r['strategy']=='status-quo'}
def v(m,y,nd=3): return f"{float(rows[(m,y)]['mean']):.{nd}f}"
src="simulated: scenarios/calibration-demo.toml with trust.initial=0.5 and barriers.unwilling.weight=0.35 (20 replicates)"
c=rows[('collab_index',5)]
out=["kind,scope,metric,year,value,sd,low,high,threshold,source",
f"value,world,trust,0,{v('trust',0)},0.01,,,,{src}",
f"value,world,trust,3,{v('trust',3)},0.01,,,,simulated as above",
f"value,world,barrier_unwilling,1,{v('barrier_unwilling',1)},0.01,,,,simulated as above",
f"value,world,sharing_horizontal,2,{v('sharing_horizontal',2)},0.01,,,,simulated as above",
f"value,world,collab_index,5,{float(c['mean']):.1f},,{float(c['p05']):.1f},{float(c['p95']):.1f},,simulated as above (90% interval)",
f"value,world,maturity_index,5,{v('maturity_index',5,1)},1,,,,simulated as above"]
open('data/targets/demo.csv','w').write("\n".join(out)+"\n")
print("\n".join(out))
PY
