#!/usr/bin/env python3
"""Turns JMH JSON results and c_floor lines into benchmarks/results.json and benchmarks/RESULTS.md.

Usage: report.py MODE DIR...   one DIR per JDK (target/jmh/jdkN: *.json from JMH, c_floor.jsonl, jdk.txt).
Medians are over JMH's measurement iterations (c_floor: over 40 steps after 10 warm-up steps).
`addi` is ND4J's addi time (12 bytes per float32 element: read 2, write 1) scaled to the bytes a bench
touches; `c_floor` is the bench's own arithmetic in C (benchmarks/c/c_floor.c), update only;
`c_floor_check` adds the Σg² pass (finite check / clipping norm) that ndopt runs first."""
import json, os, statistics, sys, datetime

BYTES = {"sgd_l2": 5, "adam": 7, "adamw": 7, "adamw_l1": 7}   # arrays read+written per element
mode, dirs = sys.argv[1], sys.argv[2:]
out, jdk_names = [], {}
for d in dirs:
    jdk = os.path.basename(d.rstrip("/")).replace("jdk", "")
    jdk_names[jdk] = open(os.path.join(d, "jdk.txt")).read().strip() if os.path.exists(os.path.join(d, "jdk.txt")) else jdk
    rows = []
    for f in sorted(os.listdir(d)):
        path = os.path.join(d, f)
        if f == "c_floor.jsonl":
            rows += [json.loads(line) for line in open(path) if line.strip()]
            continue
        if not f.endswith(".json") or os.path.getsize(path) == 0:   # an interrupted JMH run leaves an empty file
            continue
        for r in json.load(open(path)):
            p = r["params"]
            raw = [x for it in r["primaryMetric"]["rawData"] for x in it]
            unit = r["primaryMetric"]["scoreUnit"]
            med = statistics.median(raw)
            name = r["benchmark"].split(".")[-2]
            if name == "MlpTrainBench":
                # n = parameters of the 784-256-256-10 MLP
                rows.append({"bench": "mlp_train", "impl": p["impl"], "layout": "flat", "n": 784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10,
                             "dtype": "float32", "ms_median": med if unit == "ms/op" else None,
                             "samples_per_s": round(int(p.get("batch", 128)) / (med / 1000.0), 1)})
                continue
            rows.append({"bench": p["bench"], "impl": p["impl"], "layout": p["layout"], "n": int(p["n"]),
                         "dtype": p["dtype"], "ms_median": med})
    # addi rows: the addi median (3 arrays) scaled to each bench's arrays, for every (n, dtype, layout) measured
    addi = {(r["n"], r["dtype"]): r["ms_median"] for r in rows if r["impl"] == "addi"}
    rows = [r for r in rows if r["impl"] != "addi"]
    for b, lay, n, dt in sorted({(r["bench"], r["layout"], r["n"], r["dtype"]) for r in rows if r["bench"] in BYTES}):
        if (n, dt) in addi:
            rows.append({"bench": b, "impl": "addi", "layout": lay, "n": n, "dtype": dt, "ms_median": addi[(n, dt)] * BYTES[b] / 3.0})
    for r in rows:
        r["jdk"] = jdk
        if r["ms_median"] is not None:
            r["ms_median"] = round(r["ms_median"], 4)
    out += rows
here = os.path.dirname(os.path.abspath(__file__))
json.dump(out, open(os.path.join(here, "results.json"), "w"), indent=1)

def get(jdk, b, impl, lay, n, dt):
    for r in out:
        if (r["jdk"], r["bench"], r["impl"], r["layout"], r["n"], r["dtype"]) == (jdk, b, impl, lay, n, dt):
            return r["ms_median"]
    return None

def fmt(x, d=2):
    return "—" if x is None else f"{x:.{d}f}"

def ratio(a, b):
    return a / b if a and b else None

lines = ["# Benchmark results", "",
         f"Mode `{mode}`, {datetime.date.today()}, {os.cpu_count()} cores. One section per JDK, all from one run of `benchmarks/run"
         + (" --quick" if mode == "quick" else "") + "`.",
         "Medians (ms per step). The machine is shared and noisy: read the ratios within a section, not the milliseconds.",
         "`c_floor` = the bench's arithmetic in C over arrays of the same size (benchmarks/c/c_floor.c; gcc -O3 -march=native -fno-math-errno -fopenmp, 2 threads), update only, run right before that JDK's JMH runs;",
         "`c_floor+Σg²` = the same with the Σg² pass (finite check / clipping norm) first, which ndopt also runs.",
         "`addi` = ND4J `addi` time scaled to the bytes the bench touches (kept as a loose reference; it is not a floor).",
         "DL4J = its updater (+ `L2Regularization` / `WeightDecay` / `L1Regularization`) on the same arrays, one updater per tensor, plus `params.subi(update)` and a gradient restore."]
for jdk in sorted(jdk_names, key=lambda j: int(j) if j.isdigit() else 0):
    keys = sorted({(r["bench"], r["layout"], r["n"], r["dtype"]) for r in out if r["jdk"] == jdk and r["bench"] in BYTES})
    lines += ["", f"## JDK {jdk} (`{jdk_names[jdk]}`)", "",
              "| bench | layout | n | dtype | ndopt | ndopt-reference | dl4j | c_floor | c_floor+Σg² | addi | ndopt/c_floor | ndopt/(c_floor+Σg²) | dl4j/ndopt |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for b, lay, n, dt in keys:
        nd, ref, dl, cf, cfc, ad = (get(jdk, b, i, lay, n, dt) for i in ("ndopt", "ndopt-reference", "dl4j", "c_floor", "c_floor_check", "addi"))
        lines.append(f"| {b} | {lay} | {n:.0e} | {dt} | {fmt(nd)} | {fmt(ref)} | {fmt(dl)} | {fmt(cf)} | {fmt(cfc)} | {fmt(ad)} | "
                     f"{fmt(ratio(nd, cf))} | {fmt(ratio(nd, cfc))} | {fmt(ratio(dl, nd))} |")
    lay_rows = []
    for b in BYTES:
        f, t = get(jdk, b, "ndopt", "flat", 10**7, "float32"), get(jdk, b, "ndopt", "tensors1000", 10**7, "float32")
        if f and t:
            lay_rows.append(f"| {b} | {fmt(t / f)} |")
    if lay_rows:
        lines += ["", "1000 tensors vs one tensor (ndopt, n = 1e7 float32):", "", "| bench | tensors1000/flat |", "|---|---|"] + lay_rows
    mlp = [r for r in out if r["jdk"] == jdk and r["bench"] == "mlp_train"]
    if mlp:
        lines += ["", "Dense-network training (784-256-256-10 ReLU, softmax cross-entropy, batch 128, Adam lr 1e-3, float32; DL4J: MultiLayerNetwork with its Adam):", "",
                  "| impl | ms/step | samples/s |", "|---|---|---|"]
        lines += [f"| {r['impl']} | {fmt(r['ms_median'])} | {r['samples_per_s']} |" for r in mlp]
open(os.path.join(here, "RESULTS.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
