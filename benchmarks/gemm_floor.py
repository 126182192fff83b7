#!/usr/bin/env python3
"""GEMM floor of the MLP step (784-256-256-10, batch 128, float32) through numpy's or PyTorch's BLAS: the same
eight products as io.ndopt.bench.MlpGemmFloor (forward Z = X·W per layer; backward dW = Xᵀ·dZ per layer and
dX = dZ·Wᵀ below the first), into preallocated outputs (`out=`), transposes as views (the BLAS gets the flags).
Layouts: `ndopt` (W stored [in, out]) and `torch` (W stored [out, in], as torch.nn.Linear keeps it).

Usage: gemm_floor.py numpy|torch [--threads 1] [--steps 200] [--rounds 5]
numpy reads its BLAS thread count when it loads: run one process per count with OPENBLAS_NUM_THREADS (and
OMP_NUM_THREADS) set to it; this script sets both before importing numpy. Prints one JSON line per layout:
medians over all steps of the forward products, the backward products and the whole sequence."""
import argparse, json, os, statistics, sys, time

p = argparse.ArgumentParser()
p.add_argument("lib", choices=["numpy", "torch"])
p.add_argument("--threads", type=int, default=1)
p.add_argument("--steps", type=int, default=200)
p.add_argument("--rounds", type=int, default=5)
a = p.parse_args()
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(a.threads)
import numpy as np

BATCH, WIDTHS = 128, [784, 256, 256, 10]
MFLOP = sum((2 if i == 0 else 3) * 2.0 * BATCH * WIDTHS[i] * WIDTHS[i + 1] for i in range(len(WIDTHS) - 1)) / 1e6

if a.lib == "torch":
    import torch
    torch.set_num_threads(a.threads)
    rand = lambda *s: torch.rand(*s) - 0.5
    empty = lambda *s: torch.empty(*s)
    mm = lambda x, y, out: torch.mm(x, y, out=out)
    import re
    info = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    version, blas = torch.__version__, "BLAS " + (info.group(1) if info else "?")
    torch.manual_seed(1)
else:
    rng = np.random.default_rng(1)
    rand = lambda *s: (rng.random(s, dtype=np.float32) - np.float32(0.5))
    empty = lambda *s: np.empty(s, dtype=np.float32)
    mm = lambda x, y, out: np.matmul(x, y, out=out)
    version = np.__version__
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"].get("openblas configuration", "?")
    except Exception:  # numpy < 1.25: no dict mode
        blas = "its build's BLAS (numpy < 1.25 does not say which)"


class Floor:
    def __init__(self, torch_layout):
        self.t = torch_layout
        n = len(WIDTHS) - 1
        self.x = rand(BATCH, WIDTHS[0])
        self.w = [rand(WIDTHS[i + 1], WIDTHS[i]) if torch_layout else rand(WIDTHS[i], WIDTHS[i + 1]) for i in range(n)]
        self.gw = [empty(*self.w[i].shape) for i in range(n)]
        self.z = [rand(BATCH, WIDTHS[i + 1]) for i in range(n)]
        self.dz = [rand(BATCH, WIDTHS[i + 1]) for i in range(n)]

    def forward(self):
        h = self.x
        for i, w in enumerate(self.w):
            mm(h, w.T if self.t else w, self.z[i])
            h = self.z[i]

    def backward(self):
        for i in reversed(range(len(self.w))):
            below = self.x if i == 0 else self.z[i - 1]
            if self.t:
                mm(self.dz[i].T, below, self.gw[i])
                if i > 0:
                    mm(self.dz[i], self.w[i], self.dz[i - 1])
            else:
                mm(below.T, self.dz[i], self.gw[i])
                if i > 0:
                    mm(self.dz[i], self.w[i].T, self.dz[i - 1])


floors = {"ndopt": Floor(False), "torch": Floor(True)}
samples = {k: ([], [], [], []) for k in floors}
for r in range(a.rounds):
    for name, f in floors.items():
        tf, tb, ta = [], [], []
        for s in range(-(a.steps // 4), a.steps):
            t0 = time.perf_counter()
            f.forward()
            t1 = time.perf_counter()
            f.backward()
            t2 = time.perf_counter()
            if s >= 0:
                tf.append((t1 - t0) * 1e3)
                tb.append((t2 - t1) * 1e3)
                ta.append((t2 - t0) * 1e3)
        fs, bs, alls, rounds = samples[name]
        fs += tf
        bs += tb
        alls += ta
        rounds.append(round(statistics.median(ta), 3))
for name, (fs, bs, alls, rounds) in samples.items():
    ms = statistics.median(alls)
    print(json.dumps({"blas": a.lib, "version": version, "library": blas, "layout": name, "threads": a.threads,
                      "forward_ms": round(statistics.median(fs), 4), "backward_ms": round(statistics.median(bs), 4),
                      "gemm_ms": round(ms, 4), "gflops": round(MFLOP / ms, 1), "rounds_ms": rounds}))
sys.stdout.flush()
