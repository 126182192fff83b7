#!/usr/bin/env python3
"""Turns JMH JSON results and c_floor lines into benchmarks/results.json and benchmarks/RESULTS.md.

Usage: report.py MODE [--torch FILE] DIR...   MODE: full, quick or mlp; one DIR per JDK (target/jmh/jdkN:
*.json from JMH, c_floor.jsonl, jdk.txt, extra/phases.json from io.ndopt.bench.MlpPhases); FILE: torch_mlp.py's JSON.
Medians are over JMH's measurement iterations (c_floor: over 40 steps after 10 warm-up steps).
`addi` is ND4J's addi time (12 bytes per float32 element: read 2, write 1) scaled to the bytes a bench
touches; `c_floor` is the bench's own arithmetic in C (benchmarks/c/c_floor.c), update only;
`c_floor_check` adds the Σg² pass (finite check / clipping norm) that ndopt runs first.

RESULTS.md: this script owns the text before the first `## ` heading and the sections headed `## JDK ` and
`## Dense-network training`; every other `## ` section (hand-maintained: linear models, OpenBLAS core
types, ...) is kept as it is. MODE mlp replaces only the network sections (and results.json's network rows)."""
import json, os, statistics, sys, datetime

BYTES = {"sgd_l2": 5, "adam": 7, "adamw": 7, "adamw_l1": 7}   # arrays read+written per element
MLP_N = 784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10      # parameters of the 784-256-256-10 MLP
JDK_H, NET_H = "## JDK ", "## Dense-network training"


def usage(msg):
    print(f"report.py: {msg}\nusage: report.py full|quick|mlp [--torch FILE] DIR...", file=sys.stderr)
    sys.exit(2)


args = sys.argv[1:]
if not args or args[0] not in ("full", "quick", "mlp"):
    usage(f"unknown mode {args[0]!r}" if args else "no mode")
mode, args, torch_file = args[0], args[1:], None
if args[:1] == ["--torch"]:
    if len(args) < 2:
        usage("--torch needs a file")
    torch_file, args = args[1], args[2:]
dirs = args
if not dirs:
    usage("no result directory")
if torch_file and not os.path.isfile(torch_file):
    usage(f"no such file: {torch_file}")
for d in dirs:
    if not os.path.isdir(d):
        usage(f"not a directory: {d}")
here = os.path.dirname(os.path.abspath(__file__))


def write_atomic(name, text):
    path = os.path.join(here, name)
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def read_dir(d, jdk):
    """The rows of one JDK's directory: JMH results, c_floor lines, addi scaled to each bench."""
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
            med = statistics.median([x for it in r["primaryMetric"]["rawData"] for x in it])
            if r["benchmark"].split(".")[-2] == "MlpTrainBench":
                ms = med if r["primaryMetric"]["scoreUnit"] == "ms/op" else None
                rows.append({"bench": "mlp_train", "impl": p["impl"], "layout": "flat", "n": MLP_N, "dtype": "float32",
                             "ms_median": ms, "samples_per_s": round(int(p.get("batch", 128)) / (ms / 1000.0), 1) if ms else None})
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
    return rows


out, jdk_names, phases = [], {}, {}
for d in dirs:
    jdk = os.path.basename(d.rstrip("/")).replace("jdk", "")
    txt, ph = os.path.join(d, "jdk.txt"), os.path.join(d, "extra", "phases.json")
    jdk_names[jdk] = open(txt).read().strip() if os.path.exists(txt) else jdk
    if os.path.exists(ph) and os.path.getsize(ph) > 0:
        phases[jdk] = json.load(open(ph))
    out += read_dir(d, jdk)
torch = json.load(open(torch_file)) if torch_file else None
if torch:   # one set of PyTorch rows: it does not depend on the JDK
    out += [{"bench": "mlp_train", "impl": f"pytorch-{r['threads']}t", "layout": "flat", "n": MLP_N, "dtype": "float32",
             "ms_median": round(r["ms_median"], 4), "jdk": None} for r in torch["results"]]
json_path = os.path.join(here, "results.json")
if mode == "mlp" and os.path.exists(json_path):   # keep the optimizer rows of the last full/quick run
    out = [r for r in json.load(open(json_path)) if r["bench"] != "mlp_train"] + out
write_atomic("results.json", json.dumps(out, indent=1) + "\n")


def get(jdk, b, impl, lay, n, dt):
    for r in out:
        if (r.get("jdk"), r["bench"], r["impl"], r["layout"], r["n"], r["dtype"]) == (jdk, b, impl, lay, n, dt):
            return r["ms_median"]
    return None


def fmt(x, d=2):
    return "—" if x is None else f"{x:.{d}f}"


def ratio(a, b):
    return a / b if a and b else None


def optimizer_section(jdk):
    keys = sorted({(r["bench"], r["layout"], r["n"], r["dtype"]) for r in out if r.get("jdk") == jdk and r["bench"] in BYTES})
    lines = [f"{JDK_H}{jdk} (`{jdk_names[jdk]}`)", "",
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
    return lines


def network_section(jdk):
    mlp = [r for r in out if r.get("jdk") == jdk and r["bench"] == "mlp_train"]
    if not mlp and jdk not in phases:
        return None
    lines = [f"{NET_H}, JDK {jdk} (`{jdk_names[jdk]}`)", "",
             f"From `benchmarks/run{'' if mode == 'full' else ' --' + mode}`, {datetime.date.today()}, {os.cpu_count()} cores. "
             "784-256-256-10 ReLU, softmax cross-entropy, batch 128, Adam lr 1e-3, float32; DL4J: MultiLayerNetwork with its Adam; "
             "PyTorch (`benchmarks/torch_mlp.py`, JDK-independent, measured once per run).", "",
             "| impl | ms/step | samples/s |", "|---|---|---|"]
    lines += [f"| {r['impl']} | {fmt(r['ms_median'])} | {r['samples_per_s'] if r['samples_per_s'] is not None else '—'} |" for r in mlp]
    nd = next((r["ms_median"] for r in mlp if r["impl"] == "ndopt"), None)
    parts = []
    if torch:
        for r in torch["results"]:
            ms = r["ms_median"]
            lines.append(f"| pytorch {torch['torch']} cpu, {r['threads']} thread(s) | {fmt(ms)} | {round(128 / (ms / 1000.0), 1)} |")
        best = min(torch["results"], key=lambda r: r["ms_median"])
        if nd:
            parts.append(f"PyTorch's best thread setting ({best['threads']}) / ndopt: **{best['ms_median'] / nd:.1f}×**")
    if nd:
        parts += [f"DL4J / ndopt: **{r['ms_median'] / nd:.1f}×**" for r in mlp if r["impl"] == "dl4j" and r["ms_median"]]
        parts += [f"ndopt-reference (layer-by-layer ND4J, default threads) / ndopt: **{r['ms_median'] / nd:.1f}×**"
                  for r in mlp if r["impl"] == "ndopt-reference" and r["ms_median"]]
    if parts:
        lines += ["", "; ".join(parts) + "."]
    if jdk in phases:
        ph = phases[jdk]
        lines += ["", f"ndopt step by phase (median ms over many steps, `io.ndopt.bench.MlpPhases`, threads {ph['threads']}):", "",
                  "| forward | loss | backward | optimizer | whole step |", "|---|---|---|---|---|",
                  f"| {ph['forward_ms']:.3f} | {ph['loss_ms']:.3f} | {ph['backward_ms']:.3f} | {ph['optimizer_ms']:.3f} | {ph['step_ms']:.3f} |"]
    return lines


def split_sections(text):
    """(preamble lines, [(heading, lines)]): a section runs from its `## ` heading to the next one."""
    pre, secs = [], []
    for line in text.splitlines():
        if line.startswith("## "):
            secs.append((line, [line]))
        elif secs:
            secs[-1][1].append(line)
        else:
            pre.append(line)
    return pre, secs


def drop_network_tail(lines):
    """Lines before an inline network table (older layouts put it at the end of the preamble or of a JDK section)."""
    cut = next((i for i, l in enumerate(lines) if l.startswith(("Network rows:", "Dense-network training"))), len(lines))
    return lines[:cut]


def strip(lines):
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


jdks = sorted(jdk_names, key=lambda j: int(j) if j.isdigit() else 0)
mine = [s for s in (network_section(j) for j in jdks) if s]
if mode != "mlp":
    mine = [optimizer_section(j) for j in jdks] + mine
md_path = os.path.join(here, "RESULTS.md")
old_pre, old_secs = split_sections(open(md_path).read()) if os.path.exists(md_path) else ([], [])
owned = (NET_H,) if mode == "mlp" else (JDK_H, NET_H)
if mode == "mlp":
    pre = strip(drop_network_tail(old_pre)) or ["# Benchmark results"]
    old_secs = [(h, drop_network_tail(ls) if h.startswith(JDK_H) else ls) for h, ls in old_secs]
else:
    pre = ["# Benchmark results", "",
           f"Mode `{mode}`, {datetime.date.today()}, {os.cpu_count()} cores. One section per JDK, all from one run of `benchmarks/run"
           + (" --quick" if mode == "quick" else "") + "`.",
           "Medians (ms per step). The machine is shared and noisy: read the ratios within a section, not the milliseconds.",
           "`c_floor` = the bench's arithmetic in C over arrays of the same size (benchmarks/c/c_floor.c; gcc -O3 -march=native -fno-math-errno -fopenmp, 2 threads), update only, run right before that JDK's JMH runs;",
           "`c_floor+Σg²` = the same with the Σg² pass (finite check / clipping norm) first, which ndopt also runs.",
           "`addi` = ND4J `addi` time scaled to the bytes the bench touches (kept as a loose reference; it is not a floor).",
           "DL4J = its updater (+ `L2Regularization` / `WeightDecay` / `L1Regularization`) on the same arrays, one updater per tensor, plus `params.subi(update)` and a gradient restore."]
# the new sections go where the first replaced one was; otherwise first (mlp: after the last JDK section)
at = next((i for i, (h, _) in enumerate(old_secs) if h.startswith(owned)), None)
if at is None:
    at = max((i + 1 for i, (h, _) in enumerate(old_secs) if h.startswith(JDK_H)), default=0) if mode == "mlp" else 0
kept = [ls for h, ls in old_secs if not h.startswith(owned)]
at = sum(1 for h, _ in old_secs[:at] if not h.startswith(owned))
blocks = [pre] + kept[:at] + mine + kept[at:]
text = "\n\n".join("\n".join(strip(b)) for b in blocks if strip(b)) + "\n"
write_atomic("RESULTS.md", text)
print(text, end="")
