#!/usr/bin/env python3
"""Turns the files of `benchmarks/run --mlp-floor` (DIR: env.txt, floor.jsonl, ndopt.jsonl, jmh.json, torch.jsonl) into
the "## Network step vs its GEMM floor" section of benchmarks/RESULTS.md (replaced in place; every other section is
kept) and prints it.

Floors: *ndopt's floor* = the eight products on the OpenBLAS ndopt ran with (ND4J's, the core type of this run's
environment), ndopt's weight layout, the faster of 1 and 2 BLAS threads; *machine floor* = the fastest correct row of
any BLAS, layout and thread count. Regimes: *young* = a fresh model, ~100-500 optimizer steps; *long* = after
thousands of steps, when Adam's state holds subnormals (the subnormal column) -- on CPUs that take a microcode
assist per subnormal operand this slows every optimizer's update, PyTorch's too.

Usage: floor_report.py DIR"""
import json, os, statistics, sys

if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    print("usage: floor_report.py DIR (the target/floor folder of benchmarks/run --mlp-floor)", file=sys.stderr)
    sys.exit(2)
d = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
H = "## Network step vs its GEMM floor"


def lines(name):
    path = os.path.join(d, name)
    if not os.path.exists(path):
        return []
    return [json.loads(l) for l in open(path) if l.strip().startswith("{")]


env = dict(l.rstrip("\n").split(": ", 1) for l in open(os.path.join(d, "env.txt")) if ": " in l)
floor = [r for r in lines("floor.jsonl") if not r.get("failed")]
failed = [r for r in lines("floor.jsonl") if r.get("failed")]
ndopt = lines("ndopt.jsonl")
torch = lines("torch.jsonl")
jmh = []
if os.path.exists(os.path.join(d, "jmh.json")) and os.path.getsize(os.path.join(d, "jmh.json")) > 0:
    for r in json.load(open(os.path.join(d, "jmh.json"))):
        raw = [x for it in r["primaryMetric"]["rawData"] for x in it]
        jmh.append({"impl": r["params"]["impl"], "ms": statistics.median(raw), "iters": len(raw)})


def blas_name(r):
    if r["blas"] == "nd4j-openblas":
        return f"ND4J OpenBLAS 0.3.19, OPENBLAS_CORETYPE={r['coretype']} ({r.get('kernels', '?')} kernels)"
    if r["blas"] == "numpy":
        return f"numpy {r['version']} ({r['library'].split('  ')[0]})"
    lib = "system libblas.so.3" if r["library"] == "BLAS generic" else r["library"]
    return f"PyTorch {r['version']} torch.mm ({lib})"


correct = [r for r in floor if r.get("correct", True)]
mine_core = env.get("OPENBLAS_CORETYPE", "unset")
mine_core = "auto" if mine_core == "unset" else mine_core
own = [r for r in correct if r["blas"] == "nd4j-openblas" and r["coretype"] == mine_core and r["layout"] == "ndopt"]
own_floor = min(own, key=lambda r: r["gemm_ms"]) if own else None
machine_floor = min(correct, key=lambda r: r["gemm_ms"]) if correct else None

out = [H + " (`benchmarks/run --mlp-floor`)", "",
       f"{env.get('date', '?')}; {env.get('cpu', '?')}; flags: {env.get('flags', '?')}; {env.get('jdk', '?')}; "
       f"OPENBLAS_CORETYPE {env.get('OPENBLAS_CORETYPE', 'unset')}; system libblas.so.3 "
       f"{env.get('system libblas.so.3', '?')}; load {env.get('load before', '?')} before, "
       f"{env.get('load after', '?')} after. 784-256-256-10 ReLU MLP, batch 128, softmax cross-entropy, Adam, float32.",
       "",
       "The GEMM floor is the step's eight products alone (forward X·W per layer; backward dW = Xᵀ·dZ per layer, "
       "dX = dZ·Wᵀ below the first layer; 155 MFLOP) into preallocated outputs, same shapes and transposes "
       "(`io.ndopt.bench.MlpGemmFloor`, `gemm_floor.py`). Layout `ndopt`: W stored [in, out] (what ndopt calls); "
       "`torch`: W stored [out, in]; `ndopt-split`: OpenBLAS on 1 thread, each product halved between two Java threads. "
       "Medians over all steps of all rounds.", "",
       "| BLAS | layout | threads | forward ms | backward ms | products ms | GFLOP/s | correct |",
       "|---|---|---|---|---|---|---|---|"]
for r in floor:
    ok = r.get("correct", True)
    out.append(f"| {blas_name(r)} | {r['layout']} | {r['threads']} | {r['forward_ms']:.3f} | {r['backward_ms']:.3f} | "
               f"{r['gemm_ms']:.3f} | {r['gflops']:.0f} | {'yes' if ok else 'NO (excluded)'} |")
for r in failed:
    out.append(f"| ND4J OpenBLAS, OPENBLAS_CORETYPE={r['coretype']} | | | | | | | did not run |")
out.append("")
if own_floor:
    out.append(f"**ndopt's floor**: {own_floor['gemm_ms']:.3f} ms ({blas_name(own_floor)}, {own_floor['threads']} "
               f"thread(s)). **Machine floor**: {machine_floor['gemm_ms']:.3f} ms ({blas_name(machine_floor)}, layout "
               f"{machine_floor['layout']}, {machine_floor['threads']} thread(s)).")
    out.append("")

rows = []   # (what, regime, ms, subnormal, note)
for r in ndopt:
    th = r["threads"].split(" (")[0]
    rows.append((f"ndopt, public calls (MlpPhases; {th})", r["regime"], r["api_step_ms"], r["subnormal_state"],
                 f"phases: forward {r['forward_ms']:.3f}, loss {r['loss_ms']:.3f}, backward {r['backward_ms']:.3f}, "
                 f"optimizer {r['optimizer_ms']:.3f}; mean {r['api_step_mean_ms']:.3f}"))
for r in jmh:
    rows.append((f"{'ndopt' if r['impl'] == 'ndopt' else 'DL4J'} (MlpTrainBench, JMH)", "long", r["ms"], None,
                 f"median of {r['iters']} JMH iterations"))
for t in torch:
    for res in t["results"]:
        rows.append((f"PyTorch {t['torch']}, {res['threads']} thread(s)", "young" if t.get("young") else "long",
                     res["ms_median"], t.get("subnormal_state"), "rounds " + ", ".join(f"{m:.2f}" for m in res["ms_rounds"])))

out += ["| step | regime | ms/step | subnormal state entries | × ndopt's floor | × machine floor | notes |",
        "|---|---|---|---|---|---|---|"]
for what, regime, ms, sub, note in rows:
    fo = f"{ms / own_floor['gemm_ms']:.2f}" if own_floor else "-"
    fm = f"{ms / machine_floor['gemm_ms']:.2f}" if machine_floor else "-"
    out.append(f"| {what} | {regime} | {ms:.3f} | {'' if sub is None else sub} | {fo} | {fm} | {note} |")
out.append("")


def best(prefix, regime):
    c = [(ms, what) for what, rg, ms, _, _ in rows if what.startswith(prefix) and rg == regime]
    return min(c) if c else None


for regime in ("young", "long"):
    nd, pt = best("ndopt", regime), best("PyTorch", regime)
    if not nd:
        continue
    parts = [f"**{regime}**: ndopt {nd[0]:.3f} ms ({nd[1]})"]
    if own_floor:
        met = lambda f: "met" if nd[0] <= 1.3 * f["gemm_ms"] else "not met"
        parts.append(f"{nd[0] / own_floor['gemm_ms']:.2f}× ndopt's floor (target ≤ 1.3×: {met(own_floor)}), "
                     f"{nd[0] / machine_floor['gemm_ms']:.2f}× the machine floor ({met(machine_floor)})")
    if pt:
        parts.append(f"PyTorch's best {pt[0]:.3f} ms ({pt[1]}) = {pt[0] / nd[0]:.2f}× ndopt (target ≥ 1.5×: "
                     f"{'met' if pt[0] >= 1.5 * nd[0] else 'not met'})")
    out.append("- " + "; ".join(parts) + ".")
try:
    cores = int(env.get("cpu", "").rsplit(", ", 1)[1].split()[0])
    load = max(float(env.get(k, "0").split()[0]) for k in ("load before", "load after") if k in env)
except (IndexError, ValueError):
    cores, load = 0, 0.0
if cores and load > 1.5 * cores:
    out.insert(2, f"**Load average {load:g} on {cores} cores: other processes shared the machine, and spinning thread "
                  "pools (OpenBLAS's, OpenMP's) collapse under such load. Do not judge the targets from this run; "
                  "rerun on an idle machine.**")
    out.insert(3, "")
section = "\n".join(out) + "\n"

path = os.path.join(here, "RESULTS.md")
old = open(path).read().splitlines() if os.path.exists(path) else []
start = next((i for i, l in enumerate(old) if l.startswith(H)), None)
if start is not None:
    end = next((i for i in range(start + 1, len(old)) if old[i].startswith("## ")), len(old))
    kept = old[:start] + old[end:]
else:
    first = next((i for i, l in enumerate(old) if l.startswith("## ")), len(old))
    kept, start = old, first
new = kept[:start] + section.rstrip("\n").split("\n") + [""] + kept[start:]
with open(path + ".tmp", "w") as f:
    f.write("\n".join(new).rstrip("\n") + "\n")
os.replace(path + ".tmp", path)
print(section)
