#!/usr/bin/env python3
"""Turns JMH JSON results into benchmarks/results.json and benchmarks/RESULTS.md.

Medians are over JMH's measurement iterations. The floor of a bench is the `addi` time (12 bytes
per float32 element: read 2, write 1) scaled to the bytes that bench touches per element."""
import json, os, statistics, sys, datetime, platform, subprocess

BYTES = {"sgd_l2": 5, "adam": 7, "adamw": 7, "adamw_l1": 7}   # arrays read+written per element
mode, files = sys.argv[1], sys.argv[2:]
rows = []
for f in files:
    for r in json.load(open(f)):
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

# floor rows: addi median (3 arrays) scaled to each bench's arrays, for every (n, dtype, layout) measured
floors = {(r["n"], r["dtype"]): r["ms_median"] for r in rows if r["impl"] == "floor"}
out = [r for r in rows if r["impl"] != "floor"]
keys = sorted({(r["bench"], r["layout"], r["n"], r["dtype"]) for r in out if r["bench"] in BYTES})
for b, lay, n, dt in keys:
    if (n, dt) in floors:
        out.append({"bench": b, "impl": "floor", "layout": lay, "n": n, "dtype": dt,
                    "ms_median": floors[(n, dt)] * BYTES[b] / 3.0})
for r in out:
    if r["ms_median"] is not None:
        r["ms_median"] = round(r["ms_median"], 4)
here = os.path.dirname(os.path.abspath(__file__))

def save_json(rows):
    """Writes results.json; in mlp mode the optimizer rows already there are kept."""
    path = os.path.join(here, "results.json")
    if mode == "mlp" and os.path.exists(path):
        rows = [r for r in json.load(open(path)) if r["bench"] != "mlp_train"] + rows
    json.dump(rows, open(path, "w"), indent=1)

save_json(out)

def get(b, impl, lay, n, dt):
    for r in out:
        if (r["bench"], r["impl"], r["layout"], r["n"], r["dtype"]) == (b, impl, lay, n, dt):
            return r["ms_median"]
    return None

def fmt(x, d=2):
    return "—" if x is None else f"{x:.{d}f}"

lines = ["# Benchmark results", "",
         f"Mode `{mode}`, {datetime.date.today()}, {os.cpu_count()} cores, JDK {platform.python_version() and subprocess.run(['java','-version'],capture_output=True,text=True).stderr.splitlines()[0]}.",
         "Medians of JMH measurement iterations (ms per step), all rows from one run of `benchmarks/run"
         + (" --quick" if mode == "quick" else "") + "`. The machine is shared and noisy: read the ratios, not the milliseconds.",
         "`floor` = ND4J `addi` time scaled to the bytes the bench touches (a loose floor: a vectorized loop can beat it).",
         "DL4J = its updater (+ `L2Regularization` / `WeightDecay` / `L1Regularization`) on the same arrays, one updater per tensor, plus `params.subi(update)` and a gradient restore.",
         "", "| bench | layout | n | dtype | ndopt | ndopt-reference | dl4j | floor | ndopt/floor | dl4j/ndopt |",
         "|---|---|---|---|---|---|---|---|---|---|"]
for b, lay, n, dt in keys:
    nd, ref, dl, fl = (get(b, i, lay, n, dt) for i in ("ndopt", "ndopt-reference", "dl4j", "floor"))
    lines.append(f"| {b} | {lay} | {n:.0e} | {dt} | {fmt(nd)} | {fmt(ref)} | {fmt(dl)} | {fmt(fl)} | "
                 f"{fmt(nd / fl if nd and fl else None)} | {fmt(dl / nd if nd and dl else None)} |")
lay_rows = []
for b in BYTES:
    f, t = get(b, "ndopt", "flat", 10**7, "float32"), get(b, "ndopt", "tensors1000", 10**7, "float32")
    if f and t:
        lay_rows.append(f"| {b} | {fmt(t / f)} |")
if lay_rows:
    lines += ["", "1000 tensors vs one tensor (ndopt, n = 1e7 float32):", "", "| bench | tensors1000/flat |", "|---|---|"] + lay_rows
mlp = [r for r in out if r["bench"] == "mlp_train"]
if mlp:
    lines += ["", "Dense-network training (784-256-256-10 ReLU, softmax cross-entropy, batch 128, Adam lr 1e-3, float32; DL4J: MultiLayerNetwork with its Adam):", "",
              "| impl | ms/step | samples/s |", "|---|---|---|"]
    lines += [f"| {r['impl']} | {fmt(r['ms_median'])} | {r['samples_per_s']} |" for r in mlp]
    extra = os.path.join(here, "target", "extra")
    torch_file, phases_file = os.path.join(extra, "torch.json"), os.path.join(extra, "phases.json")
    nd = next((r["ms_median"] for r in mlp if r["impl"] == "ndopt"), None)
    if os.path.exists(torch_file):
        t = json.load(open(torch_file))
        for r in t["results"]:
            ms = r["ms_median"]
            lines.append(f"| pytorch {t['torch']} cpu, {r['threads']} thread(s) | {fmt(ms)} | {round(128 / (ms / 1000.0), 1)} |")
            out.append({"bench": "mlp_train", "impl": f"pytorch-{r['threads']}t", "layout": "flat", "n": mlp[0]["n"],
                        "dtype": "float32", "ms_median": round(ms, 4)})
        best = min(t["results"], key=lambda r: r["ms_median"])
        if nd:
            lines += ["", f"PyTorch's best thread setting ({best['threads']}) / ndopt: **{best['ms_median'] / nd:.1f}×**"
                      + "".join(f"; DL4J / ndopt: **{r['ms_median'] / nd:.1f}×**" for r in mlp if r["impl"] == "dl4j")
                      + "".join(f"; ndopt-reference (layer-by-layer ND4J, default threads) / ndopt: **{r['ms_median'] / nd:.1f}×**"
                                for r in mlp if r["impl"] == "ndopt-reference") + "."]
        save_json(out)
    if os.path.exists(phases_file) and os.path.getsize(phases_file) > 0:
        ph = json.load(open(phases_file))
        lines += ["", f"ndopt step by phase (median ms over many steps, `io.ndopt.nn.MlpPhases`, threads {ph['threads']}):", "",
                  "| forward | loss | backward | optimizer | whole step |", "|---|---|---|---|---|",
                  f"| {ph['forward_ms']:.3f} | {ph['loss_ms']:.3f} | {ph['backward_ms']:.3f} | {ph['optimizer_ms']:.3f} | {ph['step_ms']:.3f} |"]
if mode == "mlp":
    # keep everything of the existing RESULTS.md before its network section; replace that section
    old = open(os.path.join(here, "RESULTS.md")).read().splitlines() if os.path.exists(os.path.join(here, "RESULTS.md")) else []
    cut = next((i for i, l in enumerate(old) if l.startswith(("Network rows:", "Dense-network training"))), len(old))
    mine = next((i for i, l in enumerate(lines) if l.startswith("Dense-network training")), len(lines))
    stamp = f"Network rows: `benchmarks/run --mlp`, {datetime.date.today()}, {os.cpu_count()} cores."
    tail = next((i for i in range(cut, len(old)) if old[i].startswith("## ")), len(old))   # later sections stay
    lines = old[:cut] + [stamp, ""] + lines[mine:] + ([""] + old[tail:] if tail < len(old) else [])
open(os.path.join(here, "RESULTS.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
