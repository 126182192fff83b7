#!/usr/bin/env python3
"""Turns the lines of benchmarks/run --family (a folder: kernel-jdkN.jsonl, floor-jdkN.jsonl, muon-jdkN.jsonl,
torch.jsonl, env.txt) into the "## Optimizer family" section of benchmarks/RESULTS.md (replaced in place, or put
first when absent) and copies the lines to benchmarks/ab/results/family/. Every other section is kept as it is.

Usage: report_family.py DIR"""
import glob, json, os, shutil, sys

from results_md import replace_section

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if len(sys.argv) != 2:
    sys.exit("usage: report_family.py DIR")
src = sys.argv[1]


def lines(pattern):
    out = []
    for f in sorted(glob.glob(os.path.join(src, pattern))):
        out += [json.loads(l) for l in open(f) if l.strip()]
    return out


kernel, floor, muon, torch = lines("kernel-jdk*.jsonl"), lines("floor-jdk*.jsonl"), lines("muon-jdk*.jsonl"), lines("torch.jsonl")
env = [" ".join(l.split()) for l in open(os.path.join(src, "env.txt")).read().strip().splitlines()] \
    if os.path.exists(os.path.join(src, "env.txt")) else []
if not (kernel or floor or muon):
    sys.exit(f"report_family.py: no results in {src}")
f = lambda r, k, d=2: f"{r[k]:.{d}f}" if r and k in r and r[k] is not None else "–"
jdk = lambda r: str(r["jdk"]).split("+")[0]
tq = {(r["bench"], r["impl"]): r for r in torch if r["bench"] != "muon"}

head = "## Optimizer family"
out = [head + " (`benchmarks/run --family`)", "",
       "Machine and load (`env.txt` of the run): " + "; ".join(env) + ".", "",
       "Element-wise rules at torch's defaults but lr 1e-3 (no weight decay), n = 10^7 float32, 2 threads everywhere.", "",
       "**Kernels on the same buffers** (`benchmarks/ab/KernelAB.java`, as the section below): ndopt's kernel and the C",
       "loop of the same rule (`benchmarks/c/c_floor.c`) on the very same 64-byte-aligned buffers, taking turns. *fold* =",
       "the update summing Σg² in its own pass, the kernel that runs under `nonfinite=propagate`; ratios are medians over",
       "rounds of block-median ratios.", "",
       "| JDK | rule | C update ms | ndopt update ms | ndopt fold ms | fold / C | update / C | ndopt Σg² + update ms | C Σg² + update ms | Σg² + update: ndopt / C |",
       "|---|---|---|---|---|---|---|---|---|---|"]
for r in kernel:
    out.append(f"| {jdk(r)} | {r['bench']} | {f(r, 'c_update_ms')} | {f(r, 'ndopt_update_ms')} | {f(r, 'ndopt_fold_update_ms')} | "
               f"**{f(r, 'ndopt_fold_update_over_c_update')}** | {f(r, 'ndopt_update_over_c_update')} | "
               f"{f(r, 'ndopt_check_update_ms')} | {f(r, 'c_check_update_ms')} | {f(r, 'ndopt_check_update_over_c_check_update')} |")
out += ["", "**Whole step** (`benchmarks/ab/FloorAB.java`: `Optimizer.step()` on one 10^7 tensor, by default and under",
        "`nonfinite=propagate`; DL4J's own updater, `params.subi(update)` and a gradient restore, where DL4J has the",
        "rule; the C floor, update only and with the Σg² pass, in the same rounds) and PyTorch CPU",
        "(`benchmarks/torch_optim_step.py`, its implementations taking turns in the same way, in its own process after",
        "the JVM runs: compare its column with ndopt's loosely, memory speed drifts between processes; Lion is",
        "google/automl's `lion_pytorch.py`, which torch does not ship; `fused` exists on the CPU for Adagrad only).", "",
        "| JDK | rule | ndopt ms | propagate ms | c_floor ms | c_floor+Σg² ms | propagate / c_floor | ndopt / (c_floor+Σg²) | DL4J ms | DL4J / ndopt | torch fused ms | torch foreach ms | torch single ms | best torch / propagate |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
for r in floor:
    b = r["bench"]
    ts = [tq.get((b, "torch_" + i), {}).get("ms_median") for i in ("fused", "foreach", "single")]
    best = min([t for t in ts if t is not None], default=None)
    prop = r.get("ndopt_propagate_ms")
    tf = lambda t: f"{t:.2f}" if t is not None else "–"
    out.append(f"| {jdk(r)} | {b} | {f(r, 'ndopt_ms')} | {f(r, 'ndopt_propagate_ms')} | {f(r, 'c_floor_ms')} | "
               f"{f(r, 'c_floor_check_ms')} | **{f(r, 'ndopt_propagate_over_c_floor')}** | {f(r, 'ndopt_over_c_floor_check')} | "
               f"{f(r, 'dl4j_ms')} | {f(r, 'dl4j_over_ndopt', 1)} | {tf(ts[0])} | {tf(ts[1])} | {tf(ts[2])} | "
               f"{(best / prop) if best and prop else float('nan'):.1f} |")
tm = {(r["shape"], r["impl"]): r for r in torch if r["bench"] == "muon"}
out += ["", "**Muon** (`benchmarks/ab/MuonAB.java`): ndopt's Muon step on one float32 weight (torch's defaults: 5",
        "Newton–Schulz iterations in the parameter's dtype, Nesterov momentum 0.95, weight decay 0.1) against its GEMM",
        "floor, the same 15 products as plain `Nd4j.gemm` calls into preallocated outputs on ND4J's OpenBLAS, taking",
        "turns in the same rounds; GFLOP/s = Newton–Schulz flops / time. PyTorch: `torch.optim.Muon` as shipped (its",
        "Newton–Schulz casts to bfloat16), the same with the cast patched out (float32, what ndopt computes), and",
        "`torch.mm`/`addmm` of the same shapes, in its own process.", "",
        "| JDK | shape | ndopt Muon ms | ND4J gemm floor ms | ndopt / floor | ndopt GFLOP/s | floor GFLOP/s | torch Muon (bf16) ms | torch Muon (f32) ms | torch mm floor ms | torch floor GFLOP/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|"]
for r in muon:
    s = r["shape"]
    g = lambda i, k="ms_median": f"{tm[(s, i)][k]:.1f}" if (s, i) in tm else "–"
    out.append(f"| {jdk(r)} | {s} | {f(r, 'ndopt_muon_ms', 1)} | {f(r, 'gemm_floor_ms', 1)} | **{f(r, 'ndopt_muon_over_gemm_floor')}** | "
               f"{f(r, 'ndopt_muon_gflops', 1)} | {f(r, 'gemm_floor_gflops', 1)} | {g('torch_muon_bf16')} | {g('torch_muon_f32')} | "
               f"{g('gemm_floor')} | {g('gemm_floor', 'gflops')} |")
if muon:
    out += ["", "BLAS: " + "; ".join(sorted({f"JDK {jdk(r)}: {r['blas']}" for r in muon})) + "."]
if floor:
    out += ["", "Kernels: " + "; ".join(sorted({f"JDK {jdk(r)}: {r['kernels']}" for r in floor})) + "."]

replace_section(os.path.join(here, "RESULTS.md"), head, out)
dst = os.path.join(here, "ab", "results", "family")
os.makedirs(dst, exist_ok=True)
for p in glob.glob(os.path.join(src, "*.jsonl")) + glob.glob(os.path.join(src, "env.txt")):
    shutil.copyfile(p, os.path.join(dst, os.path.basename(p)))
print("\n".join(out))
