"""The torch side of `npm run bench`: a small step server, so the harness can interleave
torch and optilab samples in the same run (the machine's load then affects both alike).

Each benchmark script builds its problem and calls `serve(step)`. The harness writes one
JSON request per line on stdin, {"threads": t, "steps": k}; the server runs `step()` k
times with t intra-op threads and answers {"ms": milliseconds per step, "threads": t}.
End of input ends the process.

Run a script by hand to time it alone: `python bench/torch/pinn_burgers.py --once`.
"""
import json
import sys
import time

import torch


def timed(step, steps):
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) * 1000 / steps


def serve(step):
    torch.manual_seed(0)
    if "--once" in sys.argv:
        for threads in (1, 2):
            torch.set_num_threads(threads)
            timed(step, 5)
            samples = sorted(timed(step, 10) for _ in range(5))
            print(json.dumps({"threads": threads, "ms": samples[len(samples) // 2], "torch": torch.__version__}))
        return
    print(json.dumps({"ready": True, "torch": torch.__version__}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        torch.set_num_threads(int(request["threads"]))
        ms = timed(step, int(request["steps"]))
        print(json.dumps({"ms": ms, "threads": torch.get_num_threads()}), flush=True)
