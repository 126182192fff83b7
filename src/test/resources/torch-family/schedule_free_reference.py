"""Numpy transcription of facebookresearch/schedule_free AdamWScheduleFree (train mode, step + eval()).

Writes schedule_free_reference.json: a multi-output linear model (W p x k, b k) trained full-batch on the MSE
(mean over n*k, no 1/2) with two parameter groups -- the weight (lr, weight decay, cosine lr schedule) and the
bias (its own lr, no decay) -- warmup, r > 0; after every step the train point y and the eval point
x = lerp(y, z, 1 - 1/beta1). Run: python3 schedule_free_reference.py (numpy only).
"""
import json
import math

import numpy as np


def lerp(a, b, w):
    """torch.lerp: a + w (b - a) for |w| < 0.5, else b - (b - a)(1 - w)."""
    d = b - a
    return a + w * d if abs(w) < 0.5 else b - d * (1 - w)


def cosine(lr, t_max, eta_min, k):
    return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * k / t_max)) / 2


def main():
    rng = np.random.default_rng(20261207)
    n, p, k = 9, 3, 2
    X = np.round(rng.normal(size=(n, p)), 6)
    Y = np.round(rng.normal(size=(n, k)), 6)
    W = np.round(rng.normal(size=(p, k)) * 0.3, 6)
    b = np.round(rng.normal(size=(k,)) * 0.1, 6)
    beta1, beta2, eps, warmup, r, power = 0.9, 0.999, 1e-8, 3, 0.5, 2.0
    steps, t_max, eta_min = 12, 12, 0.002
    groups = [  # the reference keeps lr_max and weight_sum per param group
        {"name": "w", "lr": 0.05, "wd": 0.1, "cosine": True, "lr_max": -1.0, "weight_sum": 0.0},
        {"name": "b", "lr": 0.02, "wd": 0.0, "cosine": False, "lr_max": -1.0, "weight_sum": 0.0},
    ]
    y = {"w": W.copy(), "b": b.copy()}
    z = {"w": W.copy(), "b": b.copy()}          # state['z'] = clone(p) at the first step
    v = {"w": np.zeros_like(W), "b": np.zeros_like(b)}
    traj = {"w": [W.tolist()], "b": [b.tolist()], "w_eval": [W.tolist()], "b_eval": [b.tolist()]}
    for kk in range(steps):
        R = X @ y["w"] + y["b"] - Y
        grads = {"w": 2.0 / (n * k) * X.T @ R, "b": 2.0 / (n * k) * R.sum(axis=0)}
        for g in groups:
            base = cosine(g["lr"], t_max, eta_min, kk) if g["cosine"] else g["lr"]
            sched = (kk + 1) / warmup if kk < warmup else 1.0
            lr = base * sched
            g["lr_max"] = lr_max = max(lr, g["lr_max"])
            weight = ((kk + 1) ** r) * (lr_max ** power)
            g["weight_sum"] += weight
            ckp1 = weight / g["weight_sum"] if g["weight_sum"] != 0 else 0.0
            nm = g["name"]
            grad = grads[nm]
            v[nm] = v[nm] * beta2 + grad * grad * (1 - beta2)
            bias_correction2 = 1 - beta2 ** (kk + 1)
            denom = np.sqrt(v[nm] / bias_correction2) + eps
            u = grad / denom
            if g["wd"] != 0:
                u = u + y[nm] * g["wd"]
            y[nm] = lerp(y[nm], z[nm], ckp1)
            y[nm] = y[nm] + u * (lr * (beta1 * (1 - ckp1) - 1))
            z[nm] = z[nm] - u * lr
        traj["w"].append(y["w"].tolist())
        traj["b"].append(y["b"].tolist())
        traj["w_eval"].append(lerp(y["w"], z["w"], 1 - 1 / beta1).tolist())
        traj["b_eval"].append(lerp(y["b"], z["b"], 1 - 1 / beta1).tolist())
    out = {
        "problem": {"X": X.tolist(), "Y": Y.tolist(), "w0": W.tolist(), "b0": b.tolist()},
        "optimizer": {"betas": [beta1, beta2], "eps": eps, "warmup_steps": warmup, "r": r,
                      "weight_lr_power": power, "steps": steps,
                      "weight": {"lr": 0.05, "weight_decay": 0.1, "cosine": {"t_max": t_max, "eta_min": eta_min}},
                      "bias": {"lr": 0.02, "weight_decay": 0.0}},
        "expected": {"w_traj": traj["w"], "b_traj": traj["b"], "w_eval_traj": traj["w_eval"],
                     "b_eval_traj": traj["b_eval"]},
        "generator": {"numpy": np.__version__},
    }
    with open("schedule_free_reference.json", "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
