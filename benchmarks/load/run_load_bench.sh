#!/usr/bin/env bash
# Load-time benchmark of data files (CSV, .npy, Parquet) against numpy, in interleaved rounds.
# usage: benchmarks/load/run_load_bench.sh DATA_DIR [ROUNDS]   (from the repository root, after mvn package)
# PYTHON names a Python with numpy (default: python3). Lines go to benchmarks/load/results/load.jsonl,
# the table to stdout (report.py).
set -euo pipefail
dir=${1:?usage: run_load_bench.sh DATA_DIR [ROUNDS]}
rounds=${2:-3}
py=${PYTHON:-python3}
here=$(cd "$(dirname "$0")" && pwd)
jar=target/ndopt-cli.jar
out=$here/results/load.jsonl
mkdir -p "$dir" "$here/results"
[ -f "$dir/table.csv" ] || "$py" "$here/make_load_data.py" "$dir"
[ -f "$dir/table.parquet" ] || java -cp "$jar" "$here/LoadBench.java" parquet "$dir/table.npy" "$dir/table.parquet"
: > "$out"
java_load() { java -cp "$jar" "$here/LoadBench.java" load "$1" 2 2>/dev/null | grep '^{' | sed "s/^{/{\"round\": $r, /" >> "$out"; }
py_load() { "$py" "$here/bench_numpy_load.py" "$dir" 1 "$1" | sed "s/^{/{\"round\": $r, /" >> "$out"; }
for r in $(seq 1 "$rounds"); do
  py_load loadtxt
  java_load "$dir/table.csv"
  py_load npy
  java_load "$dir/table.npy"
  java_load "$dir/table.parquet"
done
py_load loadtxt32
py_load pandas
"$py" "$here/report.py" "$out"
