#!/usr/bin/env python3
"""Turns the paired benchmarks' JSON lines (one file per JDK) into a section of benchmarks/RESULTS.md (replaced in
place, or put first when absent) and copies the lines to benchmarks/ab/results/ (same names: the last run's).
Every other section of RESULTS.md is kept as it is.

Usage: report_ab.py FILE...            FloorAB lines (target/ab/jdkN.jsonl): "## Paired optimizer step"
       report_ab.py --kernel FILE...   KernelAB lines (target/ab/kernel-jdkN.jsonl): "## Kernels on the same buffers\""""
import datetime, json, os, shutil, sys

from results_md import replace_section

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
args = sys.argv[1:]
kernel = args[:1] == ["--kernel"]
files = args[1:] if kernel else args
if not files:
    sys.exit("usage: report_ab.py [--kernel] FILE...")
rows = []
for f in files:
    lines = [json.loads(l) for l in open(f) if l.strip()]
    if not lines:
        sys.exit(f"report_ab.py: no results in {f}")
    rows += lines
fmt = lambda r, k, d=2: f"{r[k]:.{d}f}" if k in r else "–"
jdk = lambda r: str(r["jdk"]).split("+")[0]
today = f"{datetime.date.today()}, {os.cpu_count()} cores"
if kernel:
    head = "## Kernels on the same buffers"
    out = [head + f" (`benchmarks/run --kernel`, {today})", "",
           "ndopt's fused kernels and the C floor's loops on the very same 64-byte-aligned ND4J buffers (JDK 22+: C through",
           "FFM), taking turns as in the paired section (blocks of 6 steps after a 50 ms pause, first dropped): the update",
           "kernel alone, and the Σg² pass + update (`benchmarks/ab/KernelAB.java`). n = 10^7 float32, 2 threads each.", "",
           "| JDK | bench | ndopt update ms | C update ms | ndopt Σg² + update ms | C Σg² + update ms | update: ndopt / C | Σg² + update: ndopt / C |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {jdk(r)} | {r['bench']} | {fmt(r, 'ndopt_update_ms')} | {fmt(r, 'c_update_ms')} | "
                   f"{fmt(r, 'ndopt_check_update_ms')} | {fmt(r, 'c_check_update_ms')} | "
                   f"{fmt(r, 'ndopt_update_over_c_update')} | {fmt(r, 'ndopt_check_update_over_c_check_update')} |")
else:
    head = "## Paired optimizer step"
    out = [head + f" (`benchmarks/run --ab`, {today})", "",
           "ndopt (one tensor and 1000 tensors; and under `nonfinite=propagate`, which checks nothing before the update",
           "and sums Σg² in its pass), DL4J and the C floor (update only, and with the Σg² pass) take turns in",
           "rounds, one JVM per bench: each round runs every implementation as a block of 6 back-to-back steps after a",
           "50 ms pause, in a rotating order, the first step of each block dropped; ms are medians over all timed steps,",
           "each ratio is the median over rounds of the ratio of two block medians (`benchmarks/ab/FloorAB.java`).",
           "n = 10^7 float32. The lines of the last run: `benchmarks/ab/results/jdkN.jsonl`.", "",
           "| JDK | bench | ndopt ms | propagate ms | 1000 tensors ms | DL4J ms | c_floor ms | c_floor+Σg² ms | ndopt / (c_floor+Σg²) | ndopt / c_floor | propagate / c_floor | DL4J / ndopt | DL4J / propagate | DL4J / c_floor | 1000 tensors / 1 |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {jdk(r)} | {r['bench']} | {fmt(r, 'ndopt_ms')} | {fmt(r, 'ndopt_propagate_ms')} | "
                   f"{fmt(r, 'ndopt1000_ms')} | {fmt(r, 'dl4j_ms')} | {fmt(r, 'c_floor_ms')} | {fmt(r, 'c_floor_check_ms')} | "
                   f"{fmt(r, 'ndopt_over_c_floor_check')} | {fmt(r, 'ndopt_over_c_floor')} | "
                   f"{fmt(r, 'ndopt_propagate_over_c_floor')} | {fmt(r, 'dl4j_over_ndopt', 1)} | "
                   f"{fmt(r, 'dl4j_over_ndopt_propagate', 1)} | {fmt(r, 'dl4j_over_c_floor', 1)} | "
                   f"{fmt(r, 'ndopt1000_over_ndopt')} |")
    kernels = sorted({f"JDK {jdk(r)}: {r['kernels']}" for r in rows})
    out += ["", "Kernels: " + "; ".join(kernels) + "."]
replace_section(os.path.join(here, "RESULTS.md"), head, out)
os.makedirs(os.path.join(here, "ab", "results"), exist_ok=True)
for f in files:
    shutil.copyfile(f, os.path.join(here, "ab", "results", os.path.basename(f)))
print("\n".join(out))
