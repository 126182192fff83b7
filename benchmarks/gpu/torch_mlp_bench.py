#!/usr/bin/env python3
"""PyTorch side of ndopt's GPU MLP benchmark (issue 13 item 6), and the comparison table.

Times one float32 training step -- forward, softmax cross-entropy, backward, Adam step (lr 1e-3) --
of two ReLU MLPs on the GPU, in one run:
  small  784-256-256-10, batch 128     (the step of benchmarks/.../MlpTrainBench)
  large  4096-4096-4096-10, batch 1024 (cuBLAS-bound)
  large4096  the same at batch 4096
each as
  torch eager (foreach)                 Adam's default multi-tensor path
  torch eager (fused)                   Adam(fused=True), where this PyTorch has it
  torch cuda graph (foreach)            the whole step captured once (static input/target, Adam(capturable=True),
                                        warm-up on a side stream as PyTorch's CUDA-graph docs show), then replayed
  torch cuda graph (fused)              the same with Adam(fused=True, capturable=True), where available
  torch.compile (fused)                 the model through torch.compile (Inductor's fused kernels), Adam(fused=True),
                                        where it compiles here (--no-compile skips it; a failure is listed as skipped)
and, for the large configs, mixed precision as PyTorch's AMP recipe (fused Adam on the float32 weights):
  torch autocast bf16 (fused)           forward and loss under torch.autocast(dtype=torch.bfloat16)
  torch autocast fp16 + GradScaler (fused)  the same in float16 with torch.amp.GradScaler (scale, step, update)
  torch cuda graph autocast bf16 (fused)    the bf16 step captured (autocast cache off, as graphs need)
against ndopt's bf16/fp16 rows (ndopt gpu-bench: --precision's arithmetic, fp16 with its loss scaler).
The table gives every row's ratio to torch eager (foreach) and to PyTorch's best row of its config (the
smallest median among the PyTorch rows of the same precision): ndopt's target is <= 1.0x PyTorch's best.
Inputs are uniform [0, 1), labels uniform in 0..9, drawn on the device with a fixed seed; every
implementation starts from the same initial model. TF32 is off (plain float32 GEMMs, as ndopt's).

Two times per implementation, after --warmup steps:
  median_ms, min_ms   CUDA events around each of --reps steps, synchronized after each (one step
                      from an idle GPU, launch latency included)
  wall_ms_per_step    time.perf_counter over --reps back-to-back steps and one final synchronize
                      (throughput, launches overlapping the GPU's work)

Writes OUT/gpu-mlp-torch.json {"torch", "gpu", "device", "tf32", "warmup", "configs", "rows": [...]};
a row is {"config", "impl", "median_ms", "min_ms", "wall_ms_per_step", "reps"} (+ "loss_start",
"loss_end": the step's loss before the first and after the last timed step, a check that the step
trains). If OUT/gpu-mlp-ndopt.json exists (rows of the same form, written by `ndopt gpu-bench`;
camelCase keys such as medianMs are read as median_ms) both
are merged into OUT/gpu-mlp.md, one table with every row's ratio to torch eager (foreach) of its
config; without it the table has PyTorch's rows only and says so. Files are replaced atomically.

--device cpu runs the eager rows on the CPU (a smoke test of this script; no events, no graphs).

usage: torch_mlp_bench.py --out DIR [--sizes small,large] [--reps 200] [--warmup 50] [--device cuda|cpu]
"""
import argparse
import json
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_bench import write_atomic  # noqa: E402  (the same atomic writer as the optimizer benchmark)

CONFIGS = {  # name -> (inputs, hidden sizes, outputs, batch)
    "small": (784, (256, 256), 10, 128),
    "large": (4096, (4096, 4096), 10, 1024),
    "large4096": (4096, (4096, 4096), 10, 4096),
}
MIXED_CONFIGS = ("large", "large4096")  # configs that also get the autocast rows
BASELINE = "torch eager (foreach)"
SEED = 1


def build(torch, cfg, dev, fused, capturable, compiled=False):
    """A fresh model (same seed, so the same initial weights every time), its Adam and a batch."""
    n_in, hidden, n_out, batch = CONFIGS[cfg]
    torch.manual_seed(SEED)
    layers, prev = [], n_in
    for h in hidden:
        layers += [torch.nn.Linear(prev, h), torch.nn.ReLU()]
        prev = h
    layers.append(torch.nn.Linear(prev, n_out))
    model = torch.nn.Sequential(*layers).to(dev)
    if compiled:
        model = torch.compile(model)
    kw = {}
    if fused:
        kw["fused"] = True
    if capturable:
        kw["capturable"] = True
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, **kw)
    g = torch.Generator(device=dev)
    g.manual_seed(SEED)
    x = torch.rand(batch, n_in, device=dev, generator=g)
    y = torch.randint(0, n_out, (batch,), device=dev, generator=g)
    return model, opt, x, y


def eager_step(torch, model, opt, x, y):
    loss_fn = torch.nn.functional.cross_entropy

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()
    return step


def amp_step(torch, model, opt, x, y, dtype, scaler):
    """One autocast step: bf16 without a scaler, fp16 with GradScaler (PyTorch's AMP recipe)."""
    loss_fn = torch.nn.functional.cross_entropy

    def step():
        opt.zero_grad(set_to_none=True)
        with torch.autocast(device_type="cuda", dtype=dtype):
            loss = loss_fn(model(x), y)
        if scaler is None:
            loss.backward()
            opt.step()
        else:
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
    return step


def amp_graph_step(torch, model, opt, x, y, dtype):
    """The bf16 autocast step captured in a CUDA graph (autocast's weight cache off, as capture requires)."""
    loss_fn = torch.nn.functional.cross_entropy
    static_x, static_y = x.clone(), y.clone()
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3):
            opt.zero_grad(set_to_none=True)
            with torch.autocast(device_type="cuda", dtype=dtype, cache_enabled=False):
                loss = loss_fn(model(static_x), static_y)
            loss.backward()
            opt.step()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    opt.zero_grad(set_to_none=True)
    with torch.cuda.graph(g):
        with torch.autocast(device_type="cuda", dtype=dtype, cache_enabled=False):
            static_loss = loss_fn(model(static_x), static_y)
        static_loss.backward()
        opt.step()

    def replay(keep=(static_x, static_y, static_loss)):
        g.replay()
    return replay


def mixed_variants(torch):
    """(impl label, step builder(model, opt, x, y), capturable) for the autocast rows."""
    bf, fp = torch.bfloat16, torch.float16
    return [
        ("torch autocast bf16 (fused)", lambda m, o, x, y: amp_step(torch, m, o, x, y, bf, None), False),
        ("torch autocast fp16 + GradScaler (fused)",
         lambda m, o, x, y: amp_step(torch, m, o, x, y, fp, torch.amp.GradScaler("cuda")), False),
        ("torch cuda graph autocast bf16 (fused)", lambda m, o, x, y: amp_graph_step(torch, m, o, x, y, bf), True),
    ]


def graph_step(torch, model, opt, x, y):
    """Captures the whole step in a CUDA graph and returns its replay."""
    loss_fn = torch.nn.functional.cross_entropy
    static_x, static_y = x.clone(), y.clone()
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):  # warm-up on a side stream (allocator and Adam's state settle outside the capture)
        for _ in range(3):
            opt.zero_grad(set_to_none=True)
            loss_fn(model(static_x), static_y).backward()
            opt.step()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    opt.zero_grad(set_to_none=True)
    with torch.cuda.graph(g):
        static_loss = loss_fn(model(static_x), static_y)
        static_loss.backward()
        opt.step()

    # the graph reads and writes these tensors' memory: they must outlive it (a dropped static_y was reused
    # by the caching allocator and the replay read garbage class indices)
    def replay(keep=(static_x, static_y, static_loss)):
        g.replay()
    return replay


def time_step(torch, step, loss_of, cuda, warmup, reps):
    """(per-step ms list, wall ms per step, loss before the timed steps, loss after)."""
    for _ in range(warmup):
        step()
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    sync()
    loss_start = loss_of()
    ms = []
    if cuda:
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        for _ in range(reps):
            start.record()
            step()
            end.record()
            end.synchronize()
            ms.append(start.elapsed_time(end))
    else:
        for _ in range(reps):
            t0 = time.perf_counter()
            step()
            ms.append((time.perf_counter() - t0) * 1e3)
    sync()
    t0 = time.perf_counter()
    for _ in range(reps):
        step()
    sync()
    wall = (time.perf_counter() - t0) * 1e3 / reps
    return ms, wall, loss_start, loss_of()


def variants(cuda, compile_ok=True):
    """(impl label, fused, graph, compiled) in table order."""
    v = [(BASELINE, False, False, False), ("torch eager (fused)", True, False, False)]
    if cuda:
        v += [("torch cuda graph (foreach)", False, True, False), ("torch cuda graph (fused)", True, True, False)]
        if compile_ok:
            v += [("torch.compile (fused)", True, False, True)]
    return v


def torch_rows(torch, configs, dev, warmup, reps, compile_ok=True):
    cuda = dev.type == "cuda"
    rows, skipped = [], []
    for cfg in configs:
        for label, fused, graph, compiled in variants(cuda, compile_ok):
            model = opt = x = y = step = loss_of = None
            try:
                model, opt, x, y = build(torch, cfg, dev, fused, graph, compiled)
                step = graph_step(torch, model, opt, x, y) if graph else eager_step(torch, model, opt, x, y)

                def loss_of(model=model, x=x, y=y):  # the loss at the current weights, outside any graph
                    with torch.no_grad():
                        return float(torch.nn.functional.cross_entropy(model(x), y))
                ms, wall, l0, l1 = time_step(torch, step, loss_of, cuda, warmup, reps)
            except Exception as e:  # e.g. fused Adam absent in this PyTorch/device, torch.compile without Triton
                skipped.append({"config": cfg, "impl": label, "why": "%s: %s" % (type(e).__name__, e)})
                continue
            finally:
                model = opt = x = y = step = loss_of = None
                if cuda:
                    torch.cuda.empty_cache()
            add_row(rows, cfg, label, ms, wall, reps, l0, l1)
        if cuda and cfg in MIXED_CONFIGS:
            mixed_rows(torch, cfg, dev, warmup, reps, rows, skipped)
    return rows, skipped


def add_row(rows, cfg, label, ms, wall, reps, l0, l1):
    rows.append({"config": cfg, "impl": label, "median_ms": statistics.median(ms), "min_ms": min(ms),
                 "wall_ms_per_step": wall, "reps": reps, "loss_start": l0, "loss_end": l1})
    print("%-6s %-28s median %.4f ms  min %.4f ms  wall %.4f ms/step  loss %.4f -> %.4f"
          % (cfg, label, rows[-1]["median_ms"], rows[-1]["min_ms"], wall, l0, l1), flush=True)


def mixed_rows(torch, cfg, dev, warmup, reps, rows, skipped):
    """The autocast rows of one config (fused Adam on the float32 master weights)."""
    for label, make, capturable in mixed_variants(torch):
        try:
            model, opt, x, y = build(torch, cfg, dev, True, capturable)
            step = make(model, opt, x, y)

            def loss_of(model=model, x=x, y=y):
                with torch.no_grad():
                    return float(torch.nn.functional.cross_entropy(model(x), y))
            ms, wall, l0, l1 = time_step(torch, step, loss_of, True, warmup, reps)
        except (RuntimeError, TypeError, ValueError, AttributeError) as e:
            skipped.append({"config": cfg, "impl": label, "why": "%s: %s" % (type(e).__name__, e)})
            continue
        finally:
            model = opt = x = y = step = loss_of = None
            torch.cuda.empty_cache()
        add_row(rows, cfg, label, ms, wall, reps, l0, l1)


def precision_of(row):
    """A row's arithmetic: bf16 or fp16 rows are compared with PyTorch's best of the same precision, fp32 with fp32."""
    impl = row["impl"]
    return "bf16" if "bf16" in impl else "fp16" if "fp16" in impl else "fp32"


def table(rows):
    """Markdown: every row with its ratio to torch eager (foreach) and to PyTorch's best row of the same config."""
    base = {r["config"]: r["median_ms"] for r in rows if r["impl"] == BASELINE}
    base_wall = {r["config"]: r["wall_ms_per_step"] for r in rows if r["impl"] == BASELINE}
    best, best_wall = {}, {}
    for r in rows:
        if r["impl"].startswith("torch"):
            c = (r["config"], precision_of(r))
            if c not in best or r["median_ms"] < best[c]["median_ms"]:
                best[c] = r
            if c not in best_wall or r["wall_ms_per_step"] < best_wall[c]["wall_ms_per_step"]:
                best_wall[c] = r
    order = list(CONFIGS)
    lines = ["| config | implementation | median ms | min ms | wall ms/step | x torch eager (median) | "
             "x torch eager (wall) | x PyTorch's best (median) | x PyTorch's best (wall) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in sorted(rows, key=lambda r: (order.index(r["config"]) if r["config"] in order else len(order),
                                         not r["impl"].startswith("ndopt"), r["impl"])):
        b, bw = base.get(r["config"]), base_wall.get(r["config"])
        bb, bbw = best.get((r["config"], precision_of(r))), best_wall.get((r["config"], precision_of(r)))
        lines.append("| %s | %s | %.4f | %.4f | %.4f | %s | %s | %s | %s |" % (
            r["config"], r["impl"], r["median_ms"], r["min_ms"], r["wall_ms_per_step"],
            "%.2f" % (r["median_ms"] / b) if b else "", "%.2f" % (r["wall_ms_per_step"] / bw) if bw else "",
            "%.2f (%s)" % (r["median_ms"] / bb["median_ms"], bb["impl"]) if bb else "",
            "%.2f (%s)" % (r["wall_ms_per_step"] / bbw["wall_ms_per_step"], bbw["impl"]) if bbw else ""))
    return "\n".join(lines) + "\n"


def snake_keys(row):
    """A row with Java's record names (medianMs, as Json.PLAIN writes them) under this file's (median_ms)."""
    return {re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "_" + m.group(1).lower(), k): v for k, v in row.items()}


def parse_sizes(text):
    names = [s.strip() for s in text.split(",") if s.strip()]
    bad = [n for n in names if n not in CONFIGS]
    if not names or bad:
        sys.exit("torch_mlp_bench.py: --sizes must be a comma-separated subset of %s, got %r"
                 % (",".join(CONFIGS), text))
    return list(dict.fromkeys(names))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[1:]))
    ap.add_argument("--out", required=True, help="folder for gpu-mlp-torch.json and gpu-mlp.md")
    ap.add_argument("--sizes", default="small,large,large4096",
                    help="configs to run: small, large, large4096 (default: all)")
    ap.add_argument("--reps", type=int, default=200, help="timed steps per implementation (default 200)")
    ap.add_argument("--warmup", type=int, default=50, help="untimed steps first (default 50)")
    ap.add_argument("--no-compile", action="store_true", help="skip the torch.compile row")
    ap.add_argument("--device", default="cuda", choices=["cuda", "cpu"],
                    help="cuda (default; the benchmark) or cpu (a smoke test: eager rows only)")
    a = ap.parse_args()
    configs = parse_sizes(a.sizes)
    if a.reps < 1 or a.warmup < 0:
        sys.exit("torch_mlp_bench.py: --reps must be >= 1 and --warmup >= 0, got %d and %d" % (a.reps, a.warmup))
    os.makedirs(a.out, exist_ok=True)
    import torch
    if a.device == "cuda" and not torch.cuda.is_available():
        sys.exit("torch_mlp_bench.py: no CUDA device visible to PyTorch %s (use --device cpu for a smoke test)"
                 % torch.__version__)
    dev = torch.device(a.device)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    rows, skipped = torch_rows(torch, configs, dev, a.warmup, a.reps, not a.no_compile)
    info = {"torch": torch.__version__, "gpu": torch.cuda.get_device_name(dev) if dev.type == "cuda" else "none (cpu)",
            "device": str(dev), "tf32": False, "warmup": a.warmup,
            "configs": {c: {"layers": [CONFIGS[c][0], *CONFIGS[c][1], CONFIGS[c][2]], "batch": CONFIGS[c][3]}
                        for c in configs},
            "skipped": skipped, "rows": rows}
    write_atomic(os.path.join(a.out, "gpu-mlp-torch.json"), json.dumps(info, indent=2))

    ndopt_file = os.path.join(a.out, "gpu-mlp-ndopt.json")
    ndopt = None
    if os.path.exists(ndopt_file):
        with open(ndopt_file) as f:
            ndopt = json.load(f)
        if isinstance(ndopt, list):
            ndopt = {"rows": ndopt}
        ndopt["rows"] = [snake_keys(r) for r in ndopt.get("rows", [])]
    all_rows = (ndopt["rows"] if ndopt else []) + rows
    head = "# GPU MLP training step, float32, Adam (one run, one GPU)\n\nPyTorch %s on %s, TF32 off; %d reps after " \
           "%d warm-up steps.\n\n" % (info["torch"], info["gpu"], a.reps, a.warmup)
    head += ("ndopt: %s\n\n" % json.dumps({k: v for k, v in ndopt.items() if k != "rows"}) if ndopt
             else "ndopt: no %s (PyTorch's rows only)\n\n" % ndopt_file)
    if skipped:
        head += "Skipped: %s\n\n" % "; ".join("%s %s (%s)" % (s["config"], s["impl"], s["why"]) for s in skipped)
    md = head + table(all_rows)
    write_atomic(os.path.join(a.out, "gpu-mlp.md"), md)
    print(md)


if __name__ == "__main__":
    main()
