#!/usr/bin/env bash
# A 40-task sweep grid (2 runs × 5 λ × 4 folds × 1 seed, moons, hidden 16, 5 epochs): the local `sweep` against
# SweepJob under scripts/spark-submit in local[1] and local[2], wall time of the whole command (JVM start, Spark
# context, data, tasks, output) and the tasks' own durations from the driver's log; checks that every sweep.json
# equals the local one (the "spark" entry aside). Needs target/ndopt-cli.jar (mvn -DskipTests package).
# Usage: bash benchmarks/spark/run_sweep_bench.sh [REPEATS]   (results under target/spark-bench/)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/spark-bench
mkdir -p "$out"
A=(--dataset moons --hidden 16 --epochs 5 --batch-size 64 --run adam:lr=0.01 --run sgd:lr=0.1,momentum=0.9
   --penalty l2 --grid 1e-4:1e-1:5 --folds 4 --tensorboard none)
secs() { python3 -c "import time; print(time.time())"; }
for i in $(seq 1 "${1:-2}"); do
  for mode in local 'local[1]' 'local[2]'; do
    tag=$(echo "$mode" | tr -d '[]')_$i
    load=$(cut -d' ' -f1 /proc/loadavg)
    s=$(secs)
    if [ "$mode" = local ]; then
      java --add-modules jdk.incubator.vector -jar target/ndopt-cli.jar sweep "${A[@]}" --out "$out/$tag" --overwrite \
          >"$out/$tag.log" 2>&1
    else
      bash scripts/spark-submit --master "$mode" --class io.ndopt.spark.SweepJob target/ndopt-cli.jar "${A[@]}" \
          --out "$out/$tag" --overwrite >"$out/$tag.log" 2>"$out/$tag.err"
    fi
    e=$(secs)
    python3 - "$out" "$tag" "$s" "$e" "$load" <<'PY'
import json, re, sys
out, tag, s, e, load = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
log = open(f"{out}/{tag}.log").read()
t = [float(x) for x in re.findall(r"attempt \d+, ([0-9.]+) s\)", log)]
same = ""
if not tag.startswith("local_"):
    a = json.load(open(f"{out}/local_{tag.split('_')[1]}/sweep.json"))
    b = json.load(open(f"{out}/{tag}/sweep.json")); b.pop("spark")
    same = "sweep.json equal to local: %s" % (a == b)
print(f"{tag:10s} wall {e - s:6.1f} s  load {load:>6s}  " + (f"tasks {len(t)} mean {sum(t)/len(t):.2f} s  " if t else "")
      + same)
PY
  done
done
