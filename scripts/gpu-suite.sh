#!/usr/bin/env bash
# On a GPU machine without a JDK: runs the GPU suite and the GPU benchmark (ndopt + PyTorch), results into OUT_DIR.
# RUNTIME is what scripts/jlink-runtime.sh made (RUNTIME/bin/ndopt: a jlinked JDK 22+ and target/ndopt-cli.jar),
# or a packed bundle directory with an unpack.sh that runs java (`unpack.sh run -- JAVA_ARGS`, the jar at
# /tmp/ndopt-gpu/bundle/app.jar; its other parts staged before). See README.md, "GPU".
# usage: scripts/gpu-suite.sh RUNTIME OUT_DIR [check|bench|all]
set -uo pipefail
b=${1:?usage: gpu-suite.sh RUNTIME OUT_DIR [check|bench|all]}; out=${2:?OUT_DIR}; what=${3:-all}
here=$(cd "$(dirname "$0")/.." && pwd); mkdir -p "$out"
if [ -x "$b/bin/ndopt" ]; then
  java=("$b/bin/ndopt")
elif [ -f "$b/unpack.sh" ]; then
  java=(bash "$b/unpack.sh" run -- --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -jar /tmp/ndopt-gpu/bundle/app.jar)
else
  echo "gpu-suite.sh: $b has neither bin/ndopt (scripts/jlink-runtime.sh) nor unpack.sh" >&2; exit 2
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
