#!/usr/bin/env python3
"""PyTorch CPU side of MlpTrainBench: the same step (784-256-256-10 ReLU MLP, softmax cross-entropy,
batch 128, Adam lr 1e-3, float32) timed at each requested thread count, in one process.

Usage: torch_mlp.py [--threads 1,2] [--steps 300] [--rounds 5]
Prints one JSON object: {"torch": version, "results": [{"threads": t, "ms_median": m, "ms_rounds": [...]}, ...]}.
Each round times `steps` steps after a warm-up; the median is over all rounds' per-round means, and
thread counts are interleaved round by round so background load hits them alike."""
import argparse, json, statistics, time
import torch

p = argparse.ArgumentParser()
p.add_argument("--threads", default="1,2")
p.add_argument("--steps", type=int, default=300)
p.add_argument("--rounds", type=int, default=5)
a = p.parse_args()
threads = [int(t) for t in a.threads.split(",")]

torch.manual_seed(1)
x = torch.rand(128, 784)
y = torch.arange(128) % 10
model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(),
                            torch.nn.Linear(256, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()

def step():
    opt.zero_grad(set_to_none=True)
    loss_fn(model(x), y).backward()
    opt.step()

rounds = {t: [] for t in threads}
for r in range(a.rounds):
    for t in threads:
        torch.set_num_threads(t)
        for _ in range(max(20, a.steps // 5)):
            step()
        t0 = time.perf_counter()
        for _ in range(a.steps):
            step()
        rounds[t].append((time.perf_counter() - t0) * 1000 / a.steps)
print(json.dumps({"torch": torch.__version__,
                  "results": [{"threads": t, "ms_median": statistics.median(v), "ms_rounds": [round(m, 4) for m in v]}
                              for t, v in rounds.items()]}))
