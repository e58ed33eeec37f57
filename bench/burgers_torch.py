"""PyTorch side of bench/taylor_vs_nested.ts: the same Burgers PINN problem.

2-32-32-32-1 tanh MLP, 2000 collocation points (t, x); u_xx by nested autograd, and one
Adam step on mean (u_t + u u_x - (0.01/pi) u_xx)^2. Prints JSON with median milliseconds
for 1 and 2 intra-op threads.

    /work/main/.venv-ref/bin/python bench/burgers_torch.py
"""
import json
import math
import statistics
import sys
import time

import torch


def median_ms(fn, repeats):
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(2, 32), torch.nn.Tanh(), torch.nn.Linear(32, 32), torch.nn.Tanh(),
        torch.nn.Linear(32, 32), torch.nn.Tanh(), torch.nn.Linear(32, 1))
    pts = torch.cat([torch.rand(2000, 1), torch.rand(2000, 1) * 2 - 1], dim=1)
    nu = 0.01 / math.pi
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def derivatives(create_graph):
        x = pts.clone().requires_grad_(True)
        u = net(x)
        du = torch.autograd.grad(u.sum(), x, create_graph=True)[0]
        u_xx = torch.autograd.grad(du[:, 1].sum(), x, create_graph=create_graph)[0][:, 1:2]
        return u, du, u_xx

    def uxx():
        derivatives(False)

    def adam_step():
        opt.zero_grad()
        u, du, u_xx = derivatives(True)
        residual = du[:, 0:1] + u * du[:, 1:2] - nu * u_xx
        loss = (residual ** 2).mean()
        loss.backward()
        opt.step()

    out = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        out[f"uxx_ms_{threads}t"] = median_ms(uxx, repeats)
        out[f"adam_step_ms_{threads}t"] = median_ms(adam_step, repeats)
    out["torch"] = torch.__version__
    print(json.dumps(out))


if __name__ == "__main__":
    main()
