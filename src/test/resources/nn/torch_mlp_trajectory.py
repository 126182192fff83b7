#!/usr/bin/env python3
"""Golden trajectory for io.ndopt.nn.TorchTrajectoryTest (run: python3 torch_mlp_trajectory.py > mlp_adamw_torch.json).

PyTorch 1.13, float64: a 3-5-4-2 MLP (tanh, relu hidden layers; logits out), softmax cross-entropy
(mean), AdamW(lr=0.01, betas=(0.9, 0.999), eps=1e-8) with weight_decay=0.1 on weights and 0 on biases,
8 steps on batches of 6 rows (the last batch of each pass over the 14 rows has 2). Initial weights come
from a seeded NumPy generator and are written out, so ndopt starts from the same point.
Weights are written as ndopt stores them: W[in, out] (PyTorch's Linear.weight transposed)."""
import json
import numpy as np
import torch

rng = np.random.default_rng(7)
sizes = [3, 5, 4, 2]
x = rng.normal(size=(14, 3))
labels = rng.integers(0, 2, size=14)
Ws = [rng.uniform(-0.8, 0.8, size=(sizes[i], sizes[i + 1])) for i in range(3)]
bs = [rng.uniform(-0.2, 0.2, size=(sizes[i + 1],)) for i in range(3)]

lins = [torch.nn.Linear(sizes[i], sizes[i + 1]).double() for i in range(3)]
with torch.no_grad():
    for l, W, b in zip(lins, Ws, bs):
        l.weight.copy_(torch.tensor(W.T))
        l.bias.copy_(torch.tensor(b))
model = torch.nn.Sequential(lins[0], torch.nn.Tanh(), lins[1], torch.nn.ReLU(), lins[2])
opt = torch.optim.AdamW([{"params": [l.weight for l in lins], "weight_decay": 0.1},
                         {"params": [l.bias for l in lins], "weight_decay": 0.0}], lr=0.01)
batches = [(0, 6), (6, 12), (12, 14)]
losses = []
X, Y = torch.tensor(x), torch.tensor(labels)
for step in range(8):
    a, b = batches[step % 3]
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(X[a:b]), Y[a:b])
    loss.backward()
    opt.step()
    losses.append(loss.item())
print(json.dumps({
    "x": x.tolist(), "labels": labels.tolist(), "batches": batches,
    "W0": [W.tolist() for W in Ws], "b0": [b.tolist() for b in bs],
    "losses": losses,
    "W_final": [l.weight.detach().numpy().T.tolist() for l in lins],
    "b_final": [l.bias.detach().numpy().tolist() for l in lins],
}, indent=1))
