#!/usr/bin/env python3
"""Golden trajectories for io.ndopt.optim.TorchFamilyTest (run: python3 generate.py > trajectories.json).

PyTorch 2.x (torch.set_default_dtype(torch.float64): torch keeps scalar state such as NAdam's mu_product in the
default dtype), single-tensor path (foreach=False): a 5-8-3 MLP (tanh hidden layer, logits out), softmax
cross-entropy (mean), 10 steps on batches of 5 rows of 12 (the last batch of each pass has 2), for each
torch.optim element-wise rule: RMSprop, Adagrad, Adadelta, Adamax, NAdam (coupled and decoupled decay),
RAdam (coupled and decoupled), Rprop. Weight decay on the weights only (the biases' group has 0).
Lion is not in torch: its step is a NumPy transcription of google/automl's lion_pytorch.py (the gradients
still come from torch's autograd). Initial weights come from a seeded NumPy generator and are written out;
weights are written as ndopt stores them: W[in, out] (torch's Linear.weight transposed)."""
import json
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(26)
sizes = [5, 8, 3]
n = 12
x = rng.normal(size=(n, 5))
labels = rng.integers(0, 3, size=n)
W0 = [rng.uniform(-0.7, 0.7, size=(sizes[i], sizes[i + 1])) for i in range(2)]
b0 = [rng.uniform(-0.2, 0.2, size=(sizes[i + 1],)) for i in range(2)]
batches = [(0, 5), (5, 10), (10, 12)]
STEPS = 10

RUNS = [
    ("rmsprop_centered_momentum", torch.optim.RMSprop,
     dict(lr=0.01, alpha=0.9, eps=1e-8, momentum=0.9, centered=True), 0.01),
    ("rmsprop", torch.optim.RMSprop, dict(lr=0.01), 0.0),
    ("adagrad", torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, eps=1e-10), 0.01),
    ("adadelta", torch.optim.Adadelta, dict(lr=1.0, rho=0.9, eps=1e-6), 0.01),
    ("adamax", torch.optim.Adamax, dict(lr=0.02, betas=(0.9, 0.999), eps=1e-8), 0.01),
    ("nadam", torch.optim.NAdam, dict(lr=0.02, betas=(0.9, 0.999), eps=1e-8, momentum_decay=4e-3), 0.01),
    ("nadam_decoupled", torch.optim.NAdam, dict(lr=0.02, momentum_decay=4e-3, decoupled_weight_decay=True), 0.1),
    ("radam", torch.optim.RAdam, dict(lr=0.02, betas=(0.9, 0.999), eps=1e-8), 0.01),
    ("radam_decoupled", torch.optim.RAdam, dict(lr=0.02, decoupled_weight_decay=True), 0.1),
    ("rprop", torch.optim.Rprop, dict(lr=0.01, etas=(0.5, 1.2), step_sizes=(1e-6, 50)), None),
]


def model():
    lins = [torch.nn.Linear(sizes[i], sizes[i + 1]) for i in range(2)]
    with torch.no_grad():
        for l, W, b in zip(lins, W0, b0):
            l.weight.copy_(torch.tensor(W.T))
            l.bias.copy_(torch.tensor(b))
    return lins, torch.nn.Sequential(lins[0], torch.nn.Tanh(), lins[1])


def lion_step(params, state, lr, betas):
    """google/automl lion_pytorch.py Lion.step, transcribed to NumPy (decay on the weights only)."""
    b1, b2 = betas
    for p, decay in params:
        g = p.grad.numpy()
        w = p.detach().numpy().copy()
        w *= 1 - lr * decay                                   # p.data.mul_(1 - lr * weight_decay)
        m = state.setdefault(id(p), np.zeros_like(w))         # state['exp_avg'] = zeros_like(p)
        update = m * b1 + g * (1 - b1)                        # exp_avg * beta1 + grad * (1 - beta1)
        w += np.sign(update) * -lr                            # p.add_(torch.sign(update), alpha=-lr)
        state[id(p)] = m * b2 + g * (1 - b2)                  # exp_avg.mul_(beta2).add_(grad, alpha=1 - beta2)
        with torch.no_grad():
            p.copy_(torch.tensor(w))


def run(name, make, kwargs, wd):
    lins, net = model()
    weights, biases = [l.weight for l in lins], [l.bias for l in lins]
    if name == "lion":
        state = {}
        step = lambda: lion_step([(p, wd) for p in weights] + [(p, 0.0) for p in biases], state, kwargs["lr"],
                                 kwargs["betas"])
    else:
        if wd is None:
            opt = make(weights + biases, foreach=False, **kwargs)
        else:
            opt = make([{"params": weights, "weight_decay": wd}, {"params": biases, "weight_decay": 0.0}],
                       foreach=False, **kwargs)
        step = opt.step
    X, Y = torch.tensor(x), torch.tensor(labels)
    losses, traj = [], []
    for t in range(STEPS):
        a, b = batches[t % 3]
        for p in weights + biases:
            p.grad = None
        loss = torch.nn.functional.cross_entropy(net(X[a:b]), Y[a:b])
        loss.backward()
        step()
        losses.append(loss.item())
        traj.append({"W": [l.weight.detach().numpy().T.tolist() for l in lins],
                     "b": [l.bias.detach().numpy().tolist() for l in lins]})
    return {"name": name, "torch": make.__name__ if make else "lion (numpy, google/automl lion_pytorch.py)",
            "options": {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()},
            "weight_decay": wd, "losses": losses, "trajectory": traj}


out = [run(*r) for r in RUNS]
out.append(run("lion", None, dict(lr=3e-3, betas=(0.9, 0.99)), 0.1))    # decay 0.1 on the weights only
print(json.dumps({
    "torch": torch.__version__, "numpy": np.__version__, "x": x.tolist(), "labels": labels.tolist(),
    "batches": batches, "W0": [W.tolist() for W in W0], "b0": [b.tolist() for b in b0], "runs": out,
}, indent=1))
