"""torch side of bench/adamw_1m.ts: one AdamW update (foreach) over 10 tensors of 100k parameters.

Usage: python bench/torch/adamw_1m.py --threads 1 [--repeats 7 --inner 50]
Prints one JSON line: {"threads": n, "ms_per_update": median, "samples": [...]}.
"""
import argparse
import json
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--tensors", type=int, default=10)
parser.add_argument("--size", type=int, default=100_000)
parser.add_argument("--repeats", type=int, default=7)
parser.add_argument("--inner", type=int, default=50)
parser.add_argument("--warmup", type=int, default=20)
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(0)
params = [torch.randn(args.size, requires_grad=True) for _ in range(args.tensors)]
for p in params:
    p.grad = torch.randn(args.size)
opt = torch.optim.AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, foreach=True)
for _ in range(args.warmup):
    opt.step()
samples = []
for _ in range(args.repeats):
    t0 = time.perf_counter()
    for _ in range(args.inner):
        opt.step()
    samples.append((time.perf_counter() - t0) / args.inner * 1e3)
samples.sort()
print(json.dumps({"threads": torch.get_num_threads(), "ms_per_update": samples[len(samples) // 2], "samples": samples}))
