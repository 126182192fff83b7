#!/usr/bin/env python3
"""Benchmark data for run_glm_bench.sh: dense Gaussian X, 20 true non-zeros, y = Xw + noise.

Writes DIR/{tall,wide}.X.f64 (column-major little-endian float64), .y.f64 and .shape (n p).
X and y are centred here, so scikit-learn's lasso_path (which fits no intercept) and ndopt's
intercept fit solve the same problem."""
import sys, os
import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, n, p, seed in [("tall", 10_000, 1_000, 0), ("wide", 1_000, 10_000, 1)]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    idx = rng.choice(p, 20, replace=False)
    w[idx] = rng.choice([-1, 1], 20) * rng.uniform(0.5, 2.0, 20)
    y = X @ w + rng.standard_normal(n)
    X -= X.mean(0)
    y -= y.mean()
    np.asfortranarray(X).T.astype("<f8").tofile(os.path.join(out, name + ".X.f64"))   # column j contiguous
    y.astype("<f8").tofile(os.path.join(out, name + ".y.f64"))
    with open(os.path.join(out, name + ".shape"), "w") as f:
        f.write(f"{n} {p}\n")
