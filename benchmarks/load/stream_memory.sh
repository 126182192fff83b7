#!/usr/bin/env bash
# Streamed training on float32 .npy shards 4x larger than the Java heap: the run must complete with a peak RSS
# below the data's size, and a run killed mid-epoch and resumed from its checkpoint must end with the parameters of
# the uninterrupted run, bit for bit. Then the same data in memory (a large heap), for the throughput table.
# usage: benchmarks/load/stream_memory.sh DIR [SHARD_MB] [XMX_MB]     (from the repository root, after mvn package)
# Defaults: 4 shards of 96 MB, -Xmx96m. DIR receives the shards and the runs and is deleted at the end (unless
# KEEP=1). PYTHON names a Python with numpy (default: python3). Peak RSS is /usr/bin/time -v's maximum resident set
# size. Prints one JSON line per run and "stream-memory: OK" or exits 1 with the check that failed.
set -euo pipefail
dir=${1:?usage: stream_memory.sh DIR [SHARD_MB] [XMX_MB]}
shard_mb=${2:-96}
xmx_mb=${3:-96}
py=${PYTHON:-python3}
jar=target/ndopt-cli.jar
java=(java --add-modules jdk.incubator.vector)
[ -f "$jar" ] || { echo "stream-memory: $jar missing (run mvn package first)" >&2; exit 1; }
[ -e "$dir" ] && { echo "stream-memory: $dir exists; name a new folder" >&2; exit 1; }
mkdir -p "$dir/shards"
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"; }
trap cleanup EXIT

"$py" - "$dir/shards" "$shard_mb" <<'EOF'
import sys, numpy as np
out, mb, p = sys.argv[1], int(sys.argv[2]), 64
rng = np.random.default_rng(1)
n = (mb << 20) // ((p + 1) * 4)
for s in range(4):
    x = rng.standard_normal((n, p), dtype=np.float32)
    y = x[:, :8].sum(1) + np.float32(0.1) * rng.standard_normal(n, dtype=np.float32)
    np.save(f"{out}/part-{s}.npy", np.concatenate([x, y[:, None]], 1))
EOF
data_bytes=$(cat "$dir"/shards/part-*.npy | wc -c)
common=(train --data "$dir/shards/part-*.npy" --epochs 2 --batch-size 512 --hidden 16 --lr 0.003 --val-split 0.01
        --timing-warmup 0 --tensorboard none)

# run NAME HEAP_MB ARGS...: one CLI run under /usr/bin/time -v; prints a JSON line, sets rc and rss_kb
run() {
  local name=$1 heap=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  set +e
  /usr/bin/time -v -o "$dir/$name.time" "${java[@]}" -Xmx"${heap}m" -jar "$jar" "$@" > "$dir/$name.log" 2>&1
  rc=$?
  set -e
  t1=$(date +%s.%N)
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/$name.time")
  local ms; ms=$(sed -n 's/^done: \([0-9]*\) steps, \([^ ]*\) ms\/step.*first epoch \([^)]*\)).*/\1 \2 \3/p' "$dir/$name.log")
  local checked; checked=$(sed -n 's/^stream: .*checked in \([0-9.]*\) s$/\1/p' "$dir/$name.log")
  local epochs; epochs=$(sed -n 's/^train epoch .*(\([0-9.]*\)s)$/\1/p' "$dir/$name.log" | paste -sd/)
  printf '{"run": "%s", "xmx_mb": %s, "rc": %s, "wall_s": %.1f, "peak_rss_mb": %.0f, "data_mb": %.0f, "steps ms/step first-epoch-ms/step": "%s", "stream_checked_s": "%s", "epoch_s": "%s"}\n' \
    "$name" "$heap" "$rc" "$(echo "$t1 - $t0" | bc)" "$(echo "$rss_kb / 1024" | bc -l)" \
    "$(echo "$data_bytes / 1048576" | bc -l)" "$ms" "$checked" "$epochs"
}
fail() { echo "stream-memory: FAILED: $*" >&2; tail -5 "$dir"/*.log >&2 || true; exit 1; }

run streamed "$xmx_mb" "${common[@]}" --stream --out "$dir/streamed"
[ "$rc" = 0 ] || fail "the streamed run exited $rc"
[ $((rss_kb * 1024)) -lt "$data_bytes" ] || fail "peak RSS $((rss_kb / 1024)) MB is not below the data's $((data_bytes >> 20)) MB"

# killed mid-epoch: checkpoints every 700 steps (an epoch is ~3000 steps of 512 rows), killed after the first
set +e
"${java[@]}" -Xmx"${xmx_mb}m" -jar "$jar" "${common[@]}" --stream --checkpoint-every 700 --out "$dir/killed" \
  > "$dir/killed.log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null && [ ! -f "$dir/killed/checkpoint/checkpoint.zip" ]; do sleep 0.05; done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
set -e
[ -f "$dir/killed/checkpoint/checkpoint.zip" ] || fail "no checkpoint before the run ended"
[ ! -f "$dir/killed/metrics.json" ] || fail "the run ended before it was killed; raise the shard size"
run resumed "$xmx_mb" train --resume "$dir/killed" --stream --out "$dir/killed"
[ "$rc" = 0 ] || fail "the resumed run exited $rc"
grep -q "resumed at step 700 (epoch 0)" "$dir/resumed.log" || fail "the resume did not start mid-epoch 1 at step 700"
for f in "$dir"/streamed/params/*.npy; do
  cmp -s "$f" "$dir/killed/params/$(basename "$f")" || fail "$(basename "$f") differs from the uninterrupted run's"
done

# the same data in memory, for the throughput table (needs a heap and native memory of the data's size)
run in_memory $((4 * shard_mb * 4)) "${common[@]}" --out "$dir/in_memory"
[ "$rc" = 0 ] || fail "the in-memory run exited $rc"
echo "stream-memory: OK (peak RSS of the streamed run below the data size; resumed run equal bit for bit)"
