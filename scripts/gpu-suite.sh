#!/usr/bin/env bash
# On a GPU machine without a JDK: runs the GPU suite and the GPU benchmark (ndopt + PyTorch) from the
# gpu-bundle (see /work/shared/gpu-bundle/README.md and README.md "GPU"), results into OUT_DIR.
# usage: scripts/gpu-suite.sh BUNDLE_B_DIR OUT_DIR [check|bench|all]   (part a staged before: bash BUNDLE_A_DIR/unpack.sh stage)
set -uo pipefail
b=${1:?usage: gpu-suite.sh BUNDLE_B_DIR OUT_DIR [check|bench|all]}; out=${2:?OUT_DIR}; what=${3:-all}
here=$(cd "$(dirname "$0")/.." && pwd); mkdir -p "$out"
java=(bash "$b/unpack.sh" run -- --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -jar /tmp/ndopt-gpu/bundle/app.jar)
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
