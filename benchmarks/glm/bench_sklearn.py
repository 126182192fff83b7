#!/usr/bin/env python3
"""scikit-learn side of run_glm_bench.sh: lasso_path(n_alphas=100, eps=1e-3, tol=1e-6) or
LassoCV(cv=KFold(5), same grid and tol) on the data of make_data.py. Prints "RESULT task workload
run wall-seconds cpu-seconds" lines (cpu: all threads of the process, BLAS included) and saves the last run's solution for compare.py.
Usage: OMP_NUM_THREADS=2 python3 bench_sklearn.py DIR WORKLOAD TASK REPEATS"""
import sys, time
import numpy as np
from sklearn.linear_model import lasso_path, LassoCV
from sklearn.model_selection import KFold

d, w, task, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
n, p = map(int, open(f"{d}/{w}.shape").read().split())
X = np.asfortranarray(np.fromfile(f"{d}/{w}.X.f64").reshape(p, n).T)
y = np.fromfile(f"{d}/{w}.y.f64")
for r in range(1, repeats + 1):
    t, c = time.perf_counter(), time.process_time()
    if task == "path":
        alphas, coef, _ = lasso_path(X, y, n_alphas=100, eps=1e-3, tol=1e-6)
    else:
        m = LassoCV(n_alphas=100, eps=1e-3, tol=1e-6, cv=KFold(5)).fit(X, y)
    print(f"RESULT {task} {w} {r} {time.perf_counter() - t:.4f} {time.process_time() - c:.4f}", flush=True)
if task == "path":
    np.save(f"{d}/sklearn.{w}.path.coef.npy", coef.T)
    np.save(f"{d}/sklearn.{w}.path.alphas.npy", alphas)
else:
    np.save(f"{d}/sklearn.{w}.cv.mse.npy", m.mse_path_.T)
    np.save(f"{d}/sklearn.{w}.cv.alphas.npy", m.alphas_)
    np.save(f"{d}/sklearn.{w}.cv.alpha.npy", np.array([m.alpha_]))
