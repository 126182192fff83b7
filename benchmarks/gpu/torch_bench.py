#!/usr/bin/env python3
"""PyTorch side of ndopt's GPU benchmark, and the comparison table.

Times, on the same GPU and in the same run as `ndopt gpu-bench`, one optimizer step over one float32
parameter of n elements: AdamW, SGD (momentum 0.9) + L2 and AdamW + L1 (PyTorch has no proximal L1:
fused AdamW followed by an in-place soft threshold), each with fused=True and foreach=True, and a
device-to-device copy of the parameter. Medians of CUDA-event times. Then reads
OUT/gpu-bench-ndopt.json (written by `ndopt gpu-bench --out OUT`) and writes OUT/gpu-bench.json and
OUT/gpu-bench.md with ndopt/PyTorch ratios and the share of copy bandwidth.

usage: torch_bench.py --out DIR [--sizes 10000000,100000000] [--reps 50] [--warmup 10]
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

CONFIGS = {  # name -> (bytes per parameter the update moves, same hyper-parameters as GpuBench.CONFIGS)
    "adamw": 28, "sgd_l2": 20, "adamw_l1": 28,
}


def time_ms(torch, fn, warmup, reps):
    for _ in range(warmup):
        fn()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    out = []
    for _ in range(reps):
        start.record()
        fn()
        end.record()
        end.synchronize()
        out.append(start.elapsed_time(end))
    return out


def torch_rows(sizes, warmup, reps):
    import torch
    dev = torch.device("cuda")
    rows = []
    for n in sizes:
        for impl in ("fused", "foreach"):
            for name in CONFIGS:
                p = torch.full((n,), 0.5, device=dev, requires_grad=True)
                p.grad = torch.full((n,), 1e-3, device=dev)
                flag = {impl: True}
                if name == "sgd_l2":
                    opt = torch.optim.SGD([p], lr=1e-3, momentum=0.9, weight_decay=1e-4, **flag)
                else:
                    opt = torch.optim.AdamW([p], lr=1e-3, weight_decay=1e-2, **flag)
                if name == "adamw_l1":
                    thr = 1e-3 * 1e-4

                    def step():
                        opt.step()
                        with torch.no_grad():  # soft threshold in place: sign(p) * max(|p| - thr, 0)
                            s = torch.sign(p)
                            p.abs_().sub_(thr).clamp_(min=0).mul_(s)
                    label = "torch " + impl + " AdamW + soft threshold"
                else:
                    step = opt.step
                    label = "torch " + impl
                ms = time_ms(torch, step, warmup, reps)
                rows.append(row(name, n, label, ms, CONFIGS[name]))
                del opt, p
                torch.cuda.empty_cache()
        src = torch.zeros(n, device=dev)
        dst = torch.empty_like(src)
        rows.append(row("copy", n, "torch device-to-device copy", time_ms(torch, lambda: dst.copy_(src), warmup, reps), 8))
        del src, dst
    return rows, torch.__version__, torch.cuda.get_device_name(0)


def row(config, n, impl, ms, bytes_per_param):
    med = statistics.median(ms)
    return {"config": config, "n": n, "impl": impl, "medianMs": med, "minMs": min(ms),
            "gbPerS": bytes_per_param * n / (med * 1e-3) / 1e9, "reps": len(ms)}


def table(rows):
    """Markdown table with, per (config, n), the ratio to torch fused and the share of the same run's copy bandwidth."""
    fused = {(r["config"], r["n"]): r["medianMs"] for r in rows if r["impl"].startswith("torch fused")}
    copy_bw = {r["n"]: r["gbPerS"] for r in rows if r["config"] == "copy" and r["impl"].startswith("device")}
    lines = ["| config | n | implementation | median ms | min ms | GB/s | x torch fused | % of copy GB/s |",
             "|---|---|---|---|---|---|---|---|"]
    for r in sorted(rows, key=lambda r: (r["n"], r["config"], r["impl"])):
        f = fused.get((r["config"], r["n"]))
        ratio = "%.2f" % (r["medianMs"] / f) if f and r["config"] != "copy" else ""
        share = "%.0f%%" % (100 * r["gbPerS"] / copy_bw[r["n"]]) if r["n"] in copy_bw and r["config"] != "copy" else ""
        lines.append("| %s | %.0e | %s | %.4f | %.4f | %.0f | %s | %s |" % (
            r["config"], r["n"], r["impl"], r["medianMs"], r["minMs"], r["gbPerS"], ratio, share))
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
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--sizes", default="10000000,100000000")
    ap.add_argument("--reps", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=10)
    a = ap.parse_args()
    try:
        sizes = [int(float(s)) for s in a.sizes.split(",")]
    except ValueError:
        sys.exit("torch_bench.py: --sizes must be numbers separated by commas, got %r" % a.sizes)
    os.makedirs(a.out, exist_ok=True)
    ndopt_file = os.path.join(a.out, "gpu-bench-ndopt.json")
    ndopt = json.load(open(ndopt_file)) if os.path.exists(ndopt_file) else {"rows": [], "note": "no " + ndopt_file}
    try:
        rows, version, gpu = torch_rows(sizes, a.warmup, a.reps)
        torch_info = {"torch": version, "gpu": gpu}
    except Exception as e:  # no torch or no GPU: still write ndopt's numbers, with the reason
        rows, torch_info = [], {"torch": "not run: %s: %s" % (type(e).__name__, e)}
    all_rows = ndopt["rows"] + rows
    result = {"ndopt": {k: v for k, v in ndopt.items() if k != "rows"}, "pytorch": torch_info, "rows": all_rows}
    write_atomic(os.path.join(a.out, "gpu-bench.json"), json.dumps(result, indent=2))
    md = "# GPU optimizer step, float32 (one run, one GPU)\n\nndopt: %s\n\nPyTorch: %s\n\n%s" % (
        json.dumps(result["ndopt"]), json.dumps(torch_info), table(all_rows))
    write_atomic(os.path.join(a.out, "gpu-bench.md"), md)
    print(md)


if __name__ == "__main__":
    main()
