#!/usr/bin/env bash
# On a GPU machine without a JDK: runs the GPU suite and the GPU benchmark (ndopt + PyTorch), results into OUT_DIR.
# RUNTIME is what scripts/jlink-runtime.sh made (RUNTIME/bin/ndopt: a jlinked JDK 22+ and target/ndopt-cli.jar),
# or '-' to run the CLI with the command in NDOPT_CLI, e.g. NDOPT_CLI="java --enable-native-access=ALL-UNNAMED
# --add-modules jdk.incubator.vector -jar target/ndopt-cli.jar" (a JDK 22+). See README.md, "GPU".
# usage: scripts/gpu-suite.sh RUNTIME OUT_DIR [check|bench|all]
set -uo pipefail
b=${1:?usage: gpu-suite.sh RUNTIME OUT_DIR [check|bench|all]}; out=${2:?OUT_DIR}; what=${3:-all}
here=$(cd "$(dirname "$0")/.." && pwd); mkdir -p "$out"
if [ -x "$b/bin/ndopt" ]; then
  java=("$b/bin/ndopt")
elif [ "$b" = - ] && [ -n "${NDOPT_CLI:-}" ]; then
  read -r -a java <<< "$NDOPT_CLI"
else
  echo "gpu-suite.sh: $b has no bin/ndopt (scripts/jlink-runtime.sh makes it); or pass '-' with NDOPT_CLI set" >&2; exit 2
fi
rc=0
"${java[@]}" info > "$out/info.txt" 2>&1; cat "$out/info.txt"
if [ "$what" = check ] || [ "$what" = all ]; then
  "${java[@]}" gpu-check --out "$out" --cases "$here/src/test/resources/conformance" 2>&1 | grep -v ' INFO ' | tee "$out/gpu-check.log"
  rc=${PIPESTATUS[0]}
fi
if [ "$what" = bench ] || [ "$what" = all ]; then
  "${java[@]}" gpu-bench --out "$out" 2>&1 | grep -v ' INFO ' | tee "$out/gpu-bench.log"
  python3 "$here/benchmarks/gpu/torch_bench.py" --out "$out" 2>&1 | tee -a "$out/gpu-bench.log"
  python3 "$here/benchmarks/gpu/torch_mlp_bench.py" --out "$out" 2>&1 | tee -a "$out/gpu-bench.log"
fi
exit $rc
