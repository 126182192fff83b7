#!/usr/bin/env python3
"""PyTorch CPU side of MlpTrainBench: the same step (784-256-256-10 ReLU MLP, softmax cross-entropy,
batch 128, Adam lr 1e-3, float32) timed at each requested thread count, in one process.

Usage: torch_mlp.py [--threads 1,2] [--steps 300] [--rounds 5] [--young | --settle STEPS]
Prints one JSON object: {"torch": version, "results": [{"threads": t, "ms_median": m, "ms_rounds": [...]}, ...],
"subnormal_state": n}. Each round times `steps` steps after a warm-up; the median is over all rounds' per-round
means, and thread counts are interleaved round by round so background load hits them alike. One model trains
through all rounds (a long run: its Adam state holds subnormals after ~650 steps, see subnormal_state), or with
--young a fresh model and optimizer per round and thread count, timed over steps 100..100+steps (keep steps <= 500
to stay before the subnormals)."""
import argparse, json, statistics, time
import torch

p = argparse.ArgumentParser()
p.add_argument("--threads", default="1,2")
p.add_argument("--steps", type=int, default=300)
p.add_argument("--rounds", type=int, default=5)
p.add_argument("--young", action="store_true")
p.add_argument("--settle", type=int, default=0, help="steps to run before the first round (a long run: e.g. 1000)")
a = p.parse_args()
threads = [int(t) for t in a.threads.split(",")]

def build():
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 10))
    return model, torch.optim.Adam(model.parameters(), lr=1e-3)


torch.manual_seed(1)
x = torch.rand(128, 784)
y = torch.arange(128) % 10
model, opt = build()
loss_fn = torch.nn.CrossEntropyLoss()


def step():
    opt.zero_grad(set_to_none=True)
    loss_fn(model(x), y).backward()
    opt.step()


def subnormals():
    tiny = torch.finfo(torch.float32).tiny
    return sum(int(((t != 0) & (t.abs() < tiny)).sum()) for st in opt.state.values() for t in st.values()
               if torch.is_tensor(t) and t.dtype == torch.float32)


rounds = {t: [] for t in threads}
worst = 0
for _ in range(0 if a.young else a.settle):
    step()
for r in range(a.rounds):
    for t in threads:
        torch.set_num_threads(t)
        if a.young:
            model, opt = build()
        for _ in range(100 if a.young else max(20, a.steps // 5)):
            step()
        t0 = time.perf_counter()
        for _ in range(a.steps):
            step()
        rounds[t].append((time.perf_counter() - t0) * 1000 / a.steps)
        worst = max(worst, subnormals())
print(json.dumps({"torch": torch.__version__, "young": a.young, "subnormal_state": worst,
                  "results": [{"threads": t, "ms_median": statistics.median(v), "ms_rounds": [round(m, 4) for m in v]}
                              for t, v in rounds.items()]}))
