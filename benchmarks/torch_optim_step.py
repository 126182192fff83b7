#!/usr/bin/env python3
"""PyTorch CPU's optimizer step for the rules of benchmarks/run --family, on the same sizes as ndopt's rows.

Element-wise rules: one float32 parameter of N elements (default 10^7), torch's defaults but lr 1e-3 (as
OptimizerStepBench's rmsprop ... lion, Lion as google/automl's lion_pytorch.py, which torch does not ship), each
implementation torch has on the CPU: fused=True where the class accepts it for CPU tensors, foreach=True, and the
single-tensor loop (foreach=False). The implementations take turns in rounds (blocks of BLOCK + 1 steps after a 50 ms
pause, the first dropped), as benchmarks/ab/FloorAB.java does; one JSON line per rule and implementation with the
median ms per step.

Muon: torch.optim.Muon's step on one M x N float32 weight (5 Newton-Schulz iterations, torch's defaults) as torch
ships it (its Newton-Schulz casts to bfloat16), the same with the cast patched out (Newton-Schulz in float32, as
ndopt runs it in the parameter's dtype), and its GEMM floor: the same 15 matrix products (X Xᵀ, A A, B X per iteration) with plain torch.mm on the same shapes, timed
in the same rounds; prints the flops, the ms and the GFLOP/s.

    python3 benchmarks/torch_optim_step.py [--n N] [--rounds R] [--block B] [--threads T] [--muon MxN,...]
"""
import argparse, json, math, statistics, time

import torch

RULES = ["rmsprop", "adagrad", "adadelta", "adamax", "nadam", "radam", "rprop", "lion"]


class Lion(torch.optim.Optimizer):
    """lion_pytorch.py (google/automl), weight decay 0: the single-tensor loop."""

    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99)):
        super().__init__(params, dict(lr=lr, betas=betas))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                state = self.state[p]
                if not state:
                    state["exp_avg"] = torch.zeros_like(p)
                m = state["exp_avg"]
                update = m.mul(b1).add_(p.grad, alpha=1 - b1)
                p.add_(torch.sign(update), alpha=-group["lr"])
                m.mul_(b2).add_(p.grad, alpha=1 - b2)


def make(rule, impl, p):
    cls = {"rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad, "adadelta": torch.optim.Adadelta,
           "adamax": torch.optim.Adamax, "nadam": torch.optim.NAdam, "radam": torch.optim.RAdam,
           "rprop": torch.optim.Rprop}.get(rule)
    if cls is None:
        return Lion([p], lr=1e-3) if impl == "single" else None
    kw = {"fused": dict(fused=True), "foreach": dict(foreach=True), "single": dict(foreach=False)}[impl]
    try:
        opt = cls([p], lr=1e-3, **kw)
        opt.step()          # fused CPU support is checked at the first step in some versions
        return opt
    except (RuntimeError, TypeError, ValueError):
        return None


def rounds_of(steps, rounds, block):
    """steps: name -> callable; returns name -> list of timed ms, implementations taking turns in rotating order."""
    names = list(steps)
    times = {n: [] for n in names}
    for r in range(-3, rounds):
        for k in range(len(names)):
            name = names[(r + k) % len(names)]
            time.sleep(0.05)
            for i in range(block + 1):
                a = time.perf_counter()
                steps[name]()
                ms = (time.perf_counter() - a) * 1e3
                if r >= 0 and i > 0:
                    times[name].append(ms)
    return times


def elementwise(args):
    torch.manual_seed(1)
    for rule in RULES:
        steps = {}
        for impl in ["fused", "foreach", "single"]:
            p = torch.nn.Parameter(torch.rand(args.n) - 0.5)
            p.grad = (torch.rand(args.n) - 0.5) * 1e-2
            opt = make(rule, impl, p)
            if opt is not None:
                steps[impl] = opt.step
        times = rounds_of(steps, args.rounds, args.block)
        for impl, t in times.items():
            print(json.dumps({"bench": rule, "impl": "torch_" + impl, "n": args.n, "dtype": "float32",
                              "threads": torch.get_num_threads(), "torch": torch.__version__,
                              "ms_median": round(statistics.median(t), 4)}), flush=True)


def ns_products(x, a, b, c):
    """Muon's Newton-Schulz iteration written as torch's _zeropower_via_newtonschulz does it (3 products)."""
    gram = x @ x.mT
    gram_update = torch.addmm(gram, gram, gram, beta=b, alpha=c)
    return torch.addmm(x, gram_update, x, beta=a)


def ns_float32(grad, ns_coefficients, ns_steps, eps):
    """torch.optim._muon._zeropower_via_newtonschulz without its bfloat16 cast."""
    a, b, c = ns_coefficients
    x = grad.T if grad.size(0) > grad.size(1) else grad
    x = x / x.norm().clamp(min=eps)
    for _ in range(ns_steps):
        x = ns_products(x, a, b, c)
    return x.T if grad.size(0) > grad.size(1) else x


def muon(args):
    import torch.optim._muon as tm
    shipped = tm._zeropower_via_newtonschulz
    torch.manual_seed(1)
    a, b, c = 3.4445, -4.7750, 2.0315
    for shape in args.muon.split(","):
        m, n = (int(v) for v in shape.split("x"))
        p = torch.nn.Parameter(torch.randn(m, n) * 0.02)
        p.grad = torch.randn(m, n) * 1e-2
        opt = torch.optim.Muon([p], lr=1e-3)
        p32 = torch.nn.Parameter(p.detach().clone())
        p32.grad = p.grad.clone()
        opt32 = torch.optim.Muon([p32], lr=1e-3)

        def step32():
            tm._zeropower_via_newtonschulz = ns_float32
            try:
                opt32.step()
            finally:
                tm._zeropower_via_newtonschulz = shipped
        x = torch.randn(min(m, n), max(m, n))
        x /= x.norm()

        def floor():
            y = x
            for _ in range(5):
                y = ns_products(y, a, b, c)
            return y

        r, k = min(m, n), max(m, n)
        flops = 5 * (2 * r * r * k + 2 * r * r * r + 2 * r * r * k)
        times = rounds_of({"torch_muon_bf16": opt.step, "torch_muon_f32": step32, "gemm_floor": floor}, args.rounds, args.block)
        for impl, t in times.items():
            ms = statistics.median(t)
            print(json.dumps({"bench": "muon", "impl": impl, "shape": shape, "dtype": "float32",
                              "threads": torch.get_num_threads(), "torch": torch.__version__, "ns_flops": flops,
                              "ms_median": round(ms, 4), "gflops": round(flops / ms / 1e6, 2)}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--block", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--muon", default="")
    ap.add_argument("--only-muon", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if not args.only_muon:
        elementwise(args)
    if args.muon:
        muon(args)


if __name__ == "__main__":
    main()
