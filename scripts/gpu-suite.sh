#!/usr/bin/env bash
# The one command for the GPU suite and the GPU benchmarks (ndopt + PyTorch on the same GPU), results into OUT_DIR:
#   scripts/gpu-suite.sh RUNTIME OUT_DIR all      (check, then bench; about 10 minutes on an H100)
#   scripts/gpu-suite.sh RUNTIME OUT_DIR check    (gpu-check: parity, scale, network and demo checks, conformance)
#   scripts/gpu-suite.sh RUNTIME OUT_DIR bench    (gpu-bench + benchmarks/gpu/torch_bench.py + torch_mlp_bench.py)
# RUNTIME is what scripts/jlink-runtime.sh made (RUNTIME/bin/ndopt: a jlinked JDK 22+ and target/ndopt-cli.jar),
# or '-' to run the CLI with the command in NDOPT_CLI, e.g. NDOPT_CLI="java --enable-native-access=ALL-UNNAMED
# --add-modules jdk.incubator.vector -jar target/ndopt-cli.jar" (a JDK 22+). See README.md, "GPU".
# The benchmarks need python3 with PyTorch (CUDA build); without it their step fails with one line saying so.
# Exit status: 0 when every part succeeded, else the first failing part's (its name in OUT_DIR/status.txt).
set -uo pipefail
usage="usage: gpu-suite.sh RUNTIME OUT_DIR [check|bench|all]"
b=${1:?$usage}; out=${2:?$usage}; what=${3:-all}
case "$what" in check|bench|all) ;; *) echo "gpu-suite.sh: '$what' is not check, bench or all; $usage" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")/.." && pwd); mkdir -p "$out"
if [ -x "$b/bin/ndopt" ]; then
  java=("$b/bin/ndopt")
elif [ "$b" = - ] && [ -n "${NDOPT_CLI:-}" ]; then
  read -r -a java <<< "$NDOPT_CLI"
else
  echo "gpu-suite.sh: $b has no bin/ndopt (scripts/jlink-runtime.sh makes it); or pass '-' with NDOPT_CLI set" >&2; exit 2
fi
# the same warm-up and repetitions on both sides of each comparison
WARMUP=10 REPS=50 MLP_WARMUP=20 MLP_REPS=100
rc=0; : > "$out/status.txt"
part() {  # part NAME CMD...: runs CMD, logs its status, keeps the first failure
  local name=$1; shift
  local start=$SECONDS
  "$@"; local s=$?
  echo "$name: exit $s, $((SECONDS - start)) s" >> "$out/status.txt"
  if [ "$s" -ne 0 ] && [ "$rc" -eq 0 ]; then rc=$s; fi
}
"${java[@]}" info > "$out/info.txt" 2>&1; cat "$out/info.txt"
if [ "$what" = check ] || [ "$what" = all ]; then
  check() { "${java[@]}" gpu-check --out "$out" --cases "$here/src/test/resources/conformance" 2>&1 \
      | grep -v ' INFO ' | tee "$out/gpu-check.log"; return "${PIPESTATUS[0]}"; }
  part gpu-check check
fi
if [ "$what" = bench ] || [ "$what" = all ]; then
  : > "$out/gpu-bench.log"
  bench() { "${java[@]}" gpu-bench --out "$out" --warmup $WARMUP --reps $REPS 2>&1 | grep -v ' INFO ' \
      | tee -a "$out/gpu-bench.log"; return "${PIPESTATUS[0]}"; }
  torch_opt() { python3 "$here/benchmarks/gpu/torch_bench.py" --out "$out" --warmup $WARMUP --reps $REPS 2>&1 \
      | tee -a "$out/gpu-bench.log"; return "${PIPESTATUS[0]}"; }
  torch_mlp() { python3 "$here/benchmarks/gpu/torch_mlp_bench.py" --out "$out" --warmup $MLP_WARMUP \
      --reps $MLP_REPS 2>&1 | tee -a "$out/gpu-bench.log"; return "${PIPESTATUS[0]}"; }
  part gpu-bench bench
  part torch_bench torch_opt
  part torch_mlp_bench torch_mlp
fi
cat "$out/status.txt"
exit $rc
