#!/usr/bin/env bash
# Lasso path / LassoCV speed: ndopt (io.ndopt.glm) vs scikit-learn (Debian python3-sklearn 1.2,
# OMP_NUM_THREADS=2), the four workloads of issue 17, alternating the two sides in one run.
#   benchmarks/glm/run_glm_bench.sh [REPEATS_TALL] [REPEATS_WIDE] [WORKLOADS]   (defaults 3, 1, "tall wide")
# Writes target/glm-bench/log.txt and prints the markdown table (paste into benchmarks/RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
rt=${1:-3}; rw=${2:-1}; workloads=${3:-tall wide}
dir=target/glm-bench
py=/usr/bin/python3
mkdir -p "$dir"
[ -f "$dir/wide.shape" ] || $py benchmarks/glm/make_data.py "$dir"
mvn -B -q -o compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
rm -rf "$dir/classes" && cp -r target/classes "$dir/classes"   # a frozen copy: rebuilding during the run cannot change it
cp="$dir/classes:$(cat target/cp.txt)"
log="$dir/log.txt"
{ echo "# $(date -u +%FT%TZ) $(nproc) cores, $(java -version 2>&1 | head -1), sklearn $($py -c 'import sklearn; print(sklearn.__version__)')"; } > "$log"
for w in $workloads; do
  r=$rt; [ "$w" = wide ] && r=$rw
  for task in path cv; do
    echo "== $w $task" >&2
    OMP_NUM_THREADS=2 $py benchmarks/glm/bench_sklearn.py "$dir" "$w" "$task" "$r" | sed 's/^RESULT/RESULT sklearn/' | tee -a "$log"
    java -Xmx8g -cp "$cp" benchmarks/glm/GlmBench.java "$dir" "$w" "$task" "$r" 2>/dev/null | sed 's/^RESULT/RESULT ndopt/' | tee -a "$log"
  done
done
$py benchmarks/glm/compare.py "$dir" "$log"
