#!/usr/bin/env python3
"""Table of run_glm_bench.sh: median seconds of each side, the ratio, and how far the solutions differ.
Usage: python3 compare.py DIR LOG   (LOG holds the RESULT lines of both sides; run 0 of ndopt is its cold run)"""
import sys, statistics
import numpy as np

d, log = sys.argv[1], sys.argv[2]
runs = {}
for line in open(log):
    if line.startswith("RESULT") and "#" not in line:
        _, side, task, w, r, s, c = line.split()
        runs.setdefault((side, task, w), []).append((int(r), float(s), float(c)))


def objective(X, y, w, a):
    r = y - X @ w
    return r @ r / (2 * len(y)) + a * np.abs(w).sum()


desc = {"tall": "n=10 000 × p=1 000", "wide": "n=1 000 × p=10 000"}
print("| workload | task | scikit-learn wall s | ndopt wall s (warm) | ndopt cold s | ndopt/sklearn wall | scikit-learn CPU s | ndopt CPU s | ndopt/sklearn CPU | max abs coef diff | max rel objective diff | runs sk/ndopt |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for w in ("tall", "wide"):
    n, p = map(int, open(f"{d}/{w}.shape").read().split())
    X = np.fromfile(f"{d}/{w}.X.f64").reshape(p, n).T
    y = np.fromfile(f"{d}/{w}.y.f64")
    for task in ("path", "cv"):
        sk = runs.get(("sklearn", task, w), [])
        nd = runs.get(("ndopt", task, w), [])
        if not sk or not nd:
            continue
        warm = [x for x in nd if x[0] > 0] or nd
        cold = [x[1] for x in nd if x[0] == 0]
        a = np.fromfile(f"{d}/ndopt.{w}.{task}.alphas.f64")
        cj = np.fromfile(f"{d}/ndopt.{w}.{task}.path.f64").reshape(len(a), p)
        if task == "path":
            cs = np.load(f"{d}/sklearn.{w}.path.coef.npy")
            sa = np.load(f"{d}/sklearn.{w}.path.alphas.npy")
            assert np.allclose(a, sa, rtol=1e-12), "grids differ"
            diff = np.abs(cj - cs).max()
            rel = max(abs(objective(X, y, cj[k], a[k]) - objective(X, y, cs[k], a[k])) / objective(X, y, cs[k], a[k]) for k in range(len(a)))
            extra = ""
        else:
            mj = np.fromfile(f"{d}/ndopt.{w}.cv.f64").reshape(5, len(a))
            ms = np.load(f"{d}/sklearn.{w}.cv.mse.npy")
            diff = np.abs(mj - ms).max() / ms.min()
            rel = float("nan")
            alpha_sk = float(np.load(f"{d}/sklearn.{w}.cv.alpha.npy")[0])
            alpha_nd = a[int(np.argmin(mj.mean(0)))]
            extra = f" (CV mse max rel diff; alpha_min sklearn {alpha_sk:.5g}, ndopt {alpha_nd:.5g})"
        sm, nm = statistics.median(x[1] for x in sk), statistics.median(x[1] for x in warm)
        sc, nc = statistics.median(x[2] for x in sk), statistics.median(x[2] for x in warm)
        print(f"| {desc[w]} | {'100-λ path' if task == 'path' else '5-fold CV + path'} | {sm:.2f} | {nm:.2f} | {cold[0] if cold else float('nan'):.2f} | "
              f"**{nm / sm:.2f}** | {sc:.2f} | {nc:.2f} | **{nc / sc:.2f}** | {diff:.2g}{extra} | {rel:.2g} | {len(sk)}/{len(warm)} |")
