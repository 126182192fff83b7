#!/usr/bin/env python3
"""PyTorch side of ndopt's GPU benchmark, and the comparison table.

Times, on the same GPU and in the same run as `ndopt gpu-bench`, one optimizer step over one float32
parameter of n elements: AdamW, SGD (momentum 0.9) + L2 and AdamW + L1 (PyTorch has no proximal L1:
its best is fused AdamW followed by a soft threshold, one torch._foreach pass or a torch.compile'd kernel).
Rows of three kinds, each compared only with the same kind of ndopt row:
  step    the whole opt.step() called from Python (fused=True; foreach=True as a second row), timed as
          ndopt's whole opt.step() from Java: after the same --warmup steps, every repetition starts from an
          idle GPU (synchronize), timed by host wall clock to the end of a synchronize after the call ("wall")
          and by CUDA events around the call ("events"). AdamW + L1: the step and then the soft threshold.
  kernel  CUDA events around PyTorch's fused kernel alone (torch._fused_adamw_ / torch._fused_sgd_ on the
          optimizer's own state, step counter advanced as the optimizer does), as ndopt's "fused kernel" row
          times its launch alone. AdamW + L1: the fused kernel, then the compiled (or foreach) soft threshold.
  copy    a device-to-device copy of the parameter (the bandwidth yardstick).
Medians (and minima) of --reps repetitions. Then reads OUT/gpu-bench-ndopt.json (written by
`ndopt gpu-bench --out OUT`) and writes OUT/gpu-bench.json and OUT/gpu-bench.md: per config, size and
kind, each row's ratio to PyTorch's best row of that kind and timer (the smallest median), and the share
of copy bandwidth. Without CUDA it exits with status 1 and one line saying why (ndopt's rows are still
written to gpu-bench.json/.md with that reason).

usage: torch_bench.py --out DIR [--sizes 10000000,100000000] [--reps 50] [--warmup 10] [--no-compile]
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

CONFIGS = {  # name -> (bytes per parameter the update moves, same hyper-parameters as GpuBench.CONFIGS)
    "adamw": 28, "sgd_l2": 20, "adamw_l1": 28,
}
LR, WD_ADAMW, WD_SGD, L1, MOMENTUM = 1e-3, 1e-2, 1e-4, 1e-4, 0.9
THRESHOLD = LR * L1  # the soft threshold of one proximal L1 step


def events_ms(torch, fn, reps):
    """CUDA events around fn, each repetition from an idle GPU."""
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    out = []
    for _ in range(reps):
        torch.cuda.synchronize()
        start.record()
        fn()
        end.record()
        end.synchronize()
        out.append(start.elapsed_time(end))
    return out


def wall_ms(torch, fn, reps):
    """Host wall time from the call to the end of a synchronize after it, each repetition from an idle GPU."""
    out = []
    for _ in range(reps):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        out.append((time.perf_counter() - t0) * 1e3)
    return out


def warm(torch, fn, warmup):
    for _ in range(warmup):
        fn()
        torch.cuda.synchronize()


def soft_thresholds(torch, compile_ok):
    """{label: in-place soft threshold of one tensor}: torch._foreach (3 passes) and, where it compiles, torch.compile."""
    def foreach(p):
        c = torch._foreach_clamp_max(torch._foreach_clamp_min([p], -THRESHOLD), THRESHOLD)
        torch._foreach_sub_([p], c)
    out = {"foreach soft threshold": foreach}
    if compile_ok:
        def soft(p):
            p.copy_(p - torch.clamp(p, -THRESHOLD, THRESHOLD))
        out["compiled soft threshold"] = torch.compile(soft, fullgraph=True, dynamic=False)
    return out


def make(torch, name, n, impl):
    p = torch.full((n,), 0.5, device="cuda", requires_grad=True)
    p.grad = torch.full((n,), 1e-3, device="cuda")
    flag = {impl: True}
    if name == "sgd_l2":
        opt = torch.optim.SGD([p], lr=LR, momentum=MOMENTUM, weight_decay=WD_SGD, **flag)
    else:
        opt = torch.optim.AdamW([p], lr=LR, weight_decay=WD_ADAMW, **flag)
    return p, opt


def fused_kernel(torch, name, p, opt):
    """PyTorch's fused kernel alone on the optimizer's state (after one step made the state)."""
    st = opt.state[p]
    if name == "sgd_l2":
        buf = st["momentum_buffer"]

        def sgd():
            with torch.no_grad():
                torch._fused_sgd_([p], [p.grad], [buf], weight_decay=WD_SGD, momentum=MOMENTUM, lr=LR, dampening=0.0,
                                  nesterov=False, maximize=False, is_first_step=False)
        return sgd
    step = st["step"]

    def adamw():
        with torch.no_grad():
            torch._foreach_add_([step], 1)  # as the fused optimizer advances its counter before the kernel
            torch._fused_adamw_([p], [p.grad], [st["exp_avg"]], [st["exp_avg_sq"]], [], [step], lr=LR, beta1=0.9,
                                beta2=0.999, weight_decay=WD_ADAMW, eps=1e-8, amsgrad=False, maximize=False)
    return adamw


def torch_rows(sizes, warmup, reps, compile_ok):
    import torch
    if not torch.cuda.is_available():
        raise RuntimeError("no CUDA device visible to PyTorch %s" % torch.__version__)
    rows, skipped = [], []
    softs = soft_thresholds(torch, compile_ok)
    for n in sizes:
        for name in CONFIGS:
            for impl in ("fused", "foreach"):
                p, opt = make(torch, name, n, impl)
                variants = {"": None} if name != "adamw_l1" else {" + " + k: f for k, f in softs.items()}
                for suffix, soft in variants.items():
                    label = "torch %s opt.step()%s" % (impl, suffix)
                    try:
                        def step(opt=opt, p=p, soft=soft):
                            opt.step()
                            if soft is not None:
                                with torch.no_grad():
                                    soft(p)
                        warm(torch, step, warmup)
                        rows.append(row(name, n, label, "step", "wall", wall_ms(torch, step, reps), CONFIGS[name] + 4))
                        rows.append(row(name, n, label, "step", "events", events_ms(torch, step, reps),
                                        CONFIGS[name] + 4))
                        if impl == "fused":
                            k = fused_kernel(torch, name, p, opt)
                            kernel = k if soft is None else (lambda k=k, soft=soft, p=p: (k(), soft(p.detach())))
                            klabel = "torch fused kernel" + suffix.replace("opt.step()", "")
                            warm(torch, kernel, warmup)
                            rows.append(row(name, n, klabel, "kernel", "events", events_ms(torch, kernel, reps),
                                            CONFIGS[name]))
                    except Exception as e:  # e.g. torch.compile without a working Triton, a private op renamed
                        skipped.append({"config": name, "n": n, "impl": label, "why": "%s: %s" % (type(e).__name__,
                                                                                                   str(e)[:300])})
                del opt, p
                torch.cuda.empty_cache()
        src = torch.zeros(n, device="cuda")
        dst = torch.empty_like(src)
        rows.append(row("copy", n, "torch device-to-device copy", "copy", "events",
                        events_ms(torch, lambda: dst.copy_(src), reps), 8))
        del src, dst
        torch.cuda.empty_cache()
    return rows, skipped, torch.__version__, torch.cuda.get_device_name(0)


def row(config, n, impl, kind, timer, ms, bytes_per_param):
    med = statistics.median(ms)
    return {"config": config, "n": n, "impl": impl, "kind": kind, "timer": timer, "medianMs": med, "minMs": min(ms),
            "gbPerS": bytes_per_param * n / (med * 1e-3) / 1e9, "reps": len(ms)}


def table(rows):
    """Markdown: per (config, n, kind, timer), each row's ratio to PyTorch's best (smallest median) of the same
    (config, n, kind, timer), and the share of the same run's device copy bandwidth."""
    def key(r):
        return r["config"], r["n"], r.get("kind", "?"), r.get("timer", "events")
    best = {}
    for r in rows:
        if r["impl"].startswith("torch") and r.get("kind") in ("step", "kernel"):
            if key(r) not in best or r["medianMs"] < best[key(r)]["medianMs"]:
                best[key(r)] = r
    copy_bw = {r["n"]: r["gbPerS"] for r in rows if r.get("kind") == "copy" and r["impl"].startswith("device")}
    lines = ["| config | n | kind | timer | implementation | median ms | min ms | GB/s | x PyTorch's best | "
             "PyTorch's best | % of copy GB/s |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    kinds = {"step": 0, "kernel": 1, "copy": 2}
    for r in sorted(rows, key=lambda r: (r["n"], r["config"], kinds.get(r.get("kind"), 3), r.get("timer", ""),
                                         not r["impl"].startswith("ndopt"), r["impl"])):
        b = best.get(key(r))
        ratio = "%.2f" % (r["medianMs"] / b["medianMs"]) if b and r["config"] != "copy" else ""
        share = "%.0f%%" % (100 * r["gbPerS"] / copy_bw[r["n"]]) if r["n"] in copy_bw and r["config"] != "copy" else ""
        lines.append("| %s | %.0e | %s | %s | %s | %.4f | %.4f | %.0f | %s | %s | %s |" % (
            r["config"], r["n"], r.get("kind", "?"), r.get("timer", "events"), r["impl"], r["medianMs"], r["minMs"],
            r["gbPerS"], ratio, b["impl"] if b and r["config"] != "copy" else "", share))
    return "\n".join(lines) + "\n"


def write_atomic(path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix="." + os.path.basename(path))
    with os.fdopen(fd, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a result file gets the usual permissions
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[1:]))
    ap.add_argument("--out", required=True)
    ap.add_argument("--sizes", default="10000000,100000000")
    ap.add_argument("--reps", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--no-compile", action="store_true", help="skip the torch.compile'd soft threshold")
    a = ap.parse_args()
    try:
        sizes = [int(float(s)) for s in a.sizes.split(",")]
    except ValueError:
        sys.exit("torch_bench.py: --sizes must be numbers separated by commas, got %r" % a.sizes)
    if a.reps < 1 or a.warmup < 0 or any(n < 1 for n in sizes):
        sys.exit("torch_bench.py: --reps must be >= 1, --warmup >= 0 and every size >= 1")
    os.makedirs(a.out, exist_ok=True)
    ndopt_file = os.path.join(a.out, "gpu-bench-ndopt.json")
    ndopt = json.load(open(ndopt_file)) if os.path.exists(ndopt_file) else {"rows": [], "note": "no " + ndopt_file}
    failure = None
    try:
        rows, skipped, version, gpu = torch_rows(sizes, a.warmup, a.reps, not a.no_compile)
        torch_info = {"torch": version, "gpu": gpu, "warmup": a.warmup, "skipped": skipped}
    except Exception as e:  # no torch or no GPU: still write ndopt's numbers, with the reason, and fail
        failure = "torch_bench.py: PyTorch not run: %s: %s" % (type(e).__name__, e)
        rows, torch_info = [], {"torch": failure}
    all_rows = ndopt["rows"] + rows
    result = {"ndopt": {k: v for k, v in ndopt.items() if k != "rows"}, "pytorch": torch_info, "rows": all_rows}
    write_atomic(os.path.join(a.out, "gpu-bench.json"), json.dumps(result, indent=2))
    skipped_md = "".join("\n- skipped %s n=%s %s: %s" % (s["config"], s["n"], s["impl"], s["why"])
                         for s in torch_info.get("skipped", []))
    md = ("# GPU optimizer step, float32 (one run, one GPU)\n\nndopt: %s\n\nPyTorch: %s%s\n\n"
          "step = the whole opt.step() (Java vs Python), kernel = the fused kernel alone; ratios against PyTorch's "
          "best row of the same config, size, kind and timer.\n\n%s") % (
        json.dumps(result["ndopt"]), json.dumps({k: v for k, v in torch_info.items() if k != "skipped"}), skipped_md,
        table(all_rows))
    write_atomic(os.path.join(a.out, "gpu-bench.md"), md)
    print(md)
    if failure:
        sys.exit(failure)


if __name__ == "__main__":
    main()
