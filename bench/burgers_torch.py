"""PyTorch side of bench/taylor_vs_nested.ts: the Burgers PINN of bench/torch/pinn_burgers.py.

Times u_xx by nested autograd (forward only) and one Adam step on the residual loss.
Prints JSON with median milliseconds for 1 and 2 intra-op threads.

    /work/main/.venv-ref/bin/python bench/burgers_torch.py [repeats]
"""
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch"))
from pinn_burgers import adam_step, burgers_problem  # noqa: E402


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
    net, derivatives, loss = burgers_problem()
    step = adam_step(net, loss)
    out = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        out[f"uxx_ms_{threads}t"] = median_ms(lambda: derivatives(False), repeats)
        out[f"adam_step_ms_{threads}t"] = median_ms(step, repeats)
    out["torch"] = torch.__version__
    print(json.dumps(out))


if __name__ == "__main__":
    main()
