#!/usr/bin/env python3
"""Golden trajectories of torch.optim's matrix-aware rules on a small MLP, for io.ndopt.nn.TorchMatrixFamilyTest.

Run with PyTorch 2.9+ (CPU): python3 generate_matrix.py  -> writes mlp_*_torch.json here.
float64 throughout (torch.set_default_dtype(torch.float64): torch keeps scalar state in the default dtype).
A 3-5-4-2 MLP (tanh, relu hidden layers; logits out), softmax cross-entropy (mean), 10 steps on batches of 6
rows (the last batch of each pass over the 14 rows has 2). Weights and data come from a seeded NumPy
generator and are written out; weights are written as ndopt stores them, W[in, out] (Linear.weight transposed).

Adafactor: lr 0.05, beta2_decay -0.8, eps (None, 1e-3), d 1, weight_decay 0.1 on the weights, 0 on the biases.
Muon (as MuonWithAuxAdam): a 3-5-5-2 MLP; torch.optim.Muon for the hidden 5x5 weight (square, so that A x B and its
transpose -- ndopt stores W[in, out] -- adjust the lr alike), AdamW for the first and last layers' weights
(weight_decay 0.01) and every bias (0); Newton-Schulz patched to run in float64 (torch casts to bfloat16).
"""
import json
import os

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))


def mlp(Ws, bs, sizes):
    lins = [torch.nn.Linear(sizes[i], sizes[i + 1]) for i in range(3)]
    with torch.no_grad():
        for l, W, b in zip(lins, Ws, bs):
            l.weight.copy_(torch.tensor(W.T))
            l.bias.copy_(torch.tensor(b))
    return lins, torch.nn.Sequential(lins[0], torch.nn.Tanh(), lins[1], torch.nn.ReLU(), lins[2])


def newton_schulz_exact(grad, ns_coefficients, ns_steps, eps):
    """torch.optim._muon._zeropower_via_newtonschulz without its bfloat16 cast."""
    a, b, c = ns_coefficients
    ortho_grad = grad.clone()
    if grad.size(0) > grad.size(1):
        ortho_grad = ortho_grad.T
    ortho_grad.div_(ortho_grad.norm().clamp(min=eps))
    for _ in range(ns_steps):
        gram_matrix = ortho_grad @ ortho_grad.T
        gram_update = torch.addmm(gram_matrix, gram_matrix, gram_matrix, beta=b, alpha=c)
        ortho_grad = torch.addmm(ortho_grad, gram_update, ortho_grad, beta=a)
    if grad.size(0) > grad.size(1):
        ortho_grad = ortho_grad.T
    return ortho_grad


torch.optim._muon._zeropower_via_newtonschulz = newton_schulz_exact


class Both:
    """Steps several optimizers as one (MuonWithAuxAdam)."""

    def __init__(self, *opts):
        self.opts = opts

    def zero_grad(self):
        for o in self.opts:
            o.zero_grad()

    def step(self):
        for o in self.opts:
            o.step()


def run(make_opt, name, steps=10, sizes=(3, 5, 4, 2)):
    rng = np.random.default_rng(11)
    sizes = list(sizes)
    x = rng.normal(size=(14, 3))
    labels = rng.integers(0, 2, size=14)
    Ws = [rng.uniform(-0.8, 0.8, size=(sizes[i], sizes[i + 1])) for i in range(3)]
    bs = [rng.uniform(-0.2, 0.2, size=(sizes[i + 1],)) for i in range(3)]
    lins, model = mlp(Ws, bs, sizes)
    opt = make_opt(lins)
    batches = [(0, 6), (6, 12), (12, 14)]
    X, Y = torch.tensor(x), torch.tensor(labels)
    losses, W_traj, b_traj = [], [], []
    for step in range(steps):
        a, b = batches[step % 3]
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(X[a:b]), Y[a:b])
        loss.backward()
        opt.step()
        losses.append(loss.item())
        W_traj.append([l.weight.detach().numpy().T.tolist() for l in lins])
        b_traj.append([l.bias.detach().numpy().tolist() for l in lins])
    out = {"torch": torch.__version__, "x": x.tolist(), "labels": labels.tolist(), "batches": batches,
           "W0": [W.tolist() for W in Ws], "b0": [b.tolist() for b in bs], "losses": losses,
           "W_traj": W_traj, "b_traj": b_traj}
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(out, f, indent=1)


def adafactor(lins):
    return torch.optim.Adafactor([{"params": [l.weight for l in lins], "weight_decay": 0.1},
                                  {"params": [l.bias for l in lins], "weight_decay": 0.0}],
                                 lr=0.05, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0)


def muon(adjust, nesterov):
    def make(lins):
        hidden = torch.optim.Muon([lins[1].weight], lr=0.02, weight_decay=0.1, momentum=0.95, nesterov=nesterov,
                                  adjust_lr_fn=adjust)
        aux = torch.optim.AdamW([{"params": [lins[0].weight, lins[2].weight], "weight_decay": 0.01},
                                 {"params": [l.bias for l in lins], "weight_decay": 0.0}], lr=3e-3)
        return Both(hidden, aux)
    return make


if __name__ == "__main__":
    run(adafactor, "mlp_adafactor_torch.json")
    run(muon("original", True), "mlp_muon_original_torch.json", sizes=(3, 5, 5, 2))
    run(muon("match_rms_adamw", False), "mlp_muon_match_rms_torch.json", sizes=(3, 5, 5, 2))
