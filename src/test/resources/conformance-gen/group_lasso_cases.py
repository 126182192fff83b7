"""Generates the extra group-lasso conformance cases (numpy float64), same form as shared/conformance/cases-group.

Run from this folder: python3 group_lasso_cases.py  (writes ../conformance/group_lasso_weighted*.json)
Rule per step t (eta = lr, or the cosine schedule's lr_{t-1}):
    z   = w - eta*(g + l2*w)            g = (2/n) X^T r, r = Xw + b - y
    z   = sign(z)*max(|z| - eta*l1, 0)
    w_G = max(0, 1 - eta*lam*c_G/||z_G||) * z_G   (c_G = weights[G] or sqrt(|G|); indices in no group untouched)
    b   = b - eta*g_b
"""
import json
import math
import numpy as np

RULE = ("(prox_sgd with a group_lasso block), per step t (eta = lr, or the scheduled lr of step t):\n"
        "    z   = w - eta*(g + l2*w)\n    z   = soft(z, eta*l1)\n"
        "    w_G = max(0, 1 - eta*lam*c_G/||z_G||_2) * z_G   c_G = weights[G] or sqrt(|G|); indices in no group are untouched\n"
        "    b   = b - eta*g_b")


def run(X, y, w0, b0, steps, lr, l1, l2, lam, groups, weights, t_max=None, eta_min=0.0):
    n = X.shape[0]
    w, b = w0.copy(), b0
    c = [weights[k] if weights is not None else math.sqrt(len(g)) for k, g in enumerate(groups)]
    wt, bt, loss, lrs = [w.tolist()], [b], [float(np.mean((X @ w + b - y) ** 2))], []
    for t in range(1, steps + 1):
        eta = lr if t_max is None else eta_min + (lr - eta_min) * (1 + math.cos(math.pi * (t - 1) / t_max)) / 2
        lrs.append(eta)
        r = X @ w + b - y
        gw, gb = (2.0 / n) * X.T @ r, (2.0 / n) * r.sum()
        z = w - eta * (gw + l2 * w)
        z = np.sign(z) * np.maximum(np.abs(z) - eta * l1, 0.0)
        for k, g in enumerate(groups):
            nz = np.linalg.norm(z[g])
            z[g] = 0.0 if nz <= eta * lam * c[k] else (1 - eta * lam * c[k] / nz) * z[g]
        w, b = z, b - eta * gb
        wt.append([float(v) + 0.0 for v in w])
        bt.append(float(b))
        loss.append(float(np.mean((X @ w + b - y) ** 2)))
    zero_groups = [k for k, g in enumerate(groups) if all(w[i] == 0.0 for i in g)]
    return wt, bt, loss, lrs, zero_groups


def case(name, seed, n, p, steps, opt, groups, weights, schedule=None):
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, p)), 6)
    w_true = np.zeros(p)
    w_true[[0, 3, p - 1]] = [1.5, -2.0, 0.7]
    y = np.round(X @ w_true + 0.3 + 0.1 * rng.normal(size=n), 6)
    w0, b0 = np.round(rng.normal(size=p) * 0.5, 6), 0.1
    gl = {"lambda": opt["lambda"], "groups": groups}
    if weights is not None:
        gl["weights"] = weights
    wt, bt, loss, lrs, zg = run(X, y, w0, b0, steps, opt["lr"], opt["l1"], opt["l2"], opt["lambda"], groups, weights,
                                None if schedule is None else schedule["t_max"], 0.0 if schedule is None else schedule["eta_min"])
    spec = {"schema_version": 1, "case": name, "kind": "trajectory",
            "description": "linear regression, prox_sgd with weighted group lasso (ndopt-generated, numpy float64)",
            "problem": {"n": n, "p": p, "X": X.tolist(), "y": y.tolist(), "w0": w0.tolist(), "b0": b0},
            "steps": steps,
            "optimizer": {"type": "prox_sgd", "lr": opt["lr"], "l1": opt["l1"], "l2": opt["l2"], "group_lasso": gl},
            "regularize_bias": False, "rule": RULE,
            "expected": {"w_traj": wt, "b_traj": bt, "loss": loss, "w_final": wt[-1], "b_final": bt[-1],
                         "final_zero_count": sum(1 for v in wt[-1] if v == 0.0), "final_zero_groups": zg}}
    if schedule is not None:
        spec["schedule"] = schedule
        spec["expected"]["lr_per_step"] = lrs
    with open("../conformance/" + name + ".json", "w") as f:
        json.dump(spec, f)
    print(name, "zero groups", zg, "final w", np.round(wt[-1], 4))


case("group_lasso_weighted", 3, 20, 7, 50, {"lr": 0.04, "l1": 0.05, "l2": 0.1, "lambda": 0.6},
     [[0, 1, 2], [4, 5]], [0.5, 2.0])
case("group_lasso_weighted_cosine", 4, 16, 6, 40, {"lr": 0.08, "l1": 0.0, "l2": 0.0, "lambda": 1.5},
     [[1, 2], [4], [0, 5]], None, {"type": "cosine", "t_max": 40, "eta_min": 0.01})
